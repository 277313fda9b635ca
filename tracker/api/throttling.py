"""DRF's throttles, counting callers by tracker.client_address instead of DRF's own reading of
X-Forwarded-For (which trusts the header whenever NUM_PROXIES is unset)."""

from rest_framework import throttling

from tracker.client_address import client_address


class ClientAddressIdent:
    def get_ident(self, request):
        return client_address(request)


class AnonRateThrottle(ClientAddressIdent, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressIdent, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientAddressIdent, throttling.ScopedRateThrottle):
    pass
