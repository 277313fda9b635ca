"""Where a webhook may be sent: the SSRF rules, checked when an endpoint is registered and
again, on the resolved address, at every send (a name may resolve elsewhere by then).

Refused unless WEBHOOK_ALLOW_PRIVATE_TARGETS is on (tests only): a scheme other than
https:// (http:// is allowed in DEBUG too), and a host whose address, or any of its
addresses, is loopback, private, link-local (cloud metadata: 169.254.169.254), multicast,
reserved or unspecified. The request is then made to the checked address itself, so the name
cannot be re-resolved to another between the check and the connection.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from tracker.errors import ServiceError


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with its query
    address: str  # the checked IP address the request connects to


def _refuse(message: str, **params: str) -> ServiceError:
    return ServiceError({"url": ServiceError(message, code="webhook_url_refused",
                                             params=params)})


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not (address.is_multicast or address.is_reserved)


def _addresses(host: str, port: int) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _refuse(_("The host %(host)s cannot be found."), host=host) from error
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def webhook_target(url: str) -> Target:
    """The checked target of `url`; a ServiceError (code webhook_url_refused) names why not."""
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE_TARGETS
    parts = urlsplit(url)
    allowed_schemes = {"https"} | ({"http"} if settings.DEBUG or allow_private else set())
    if parts.scheme not in allowed_schemes:
        raise _refuse(_("Webhook URLs must start with https://."))
    if not parts.hostname or parts.username or parts.password:
        raise _refuse(_("Give a URL with a host name and no user name or password."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise _refuse(_("The URL's port is not a number from 1 to 65535.")) from error
    addresses = _addresses(parts.hostname, port)
    if not allow_private:
        for address in addresses:
            if not _is_public(ipaddress.ip_address(address.partition("%")[0])):
                raise _refuse(_("%(host)s is a loopback, private or reserved address: webhooks "
                                "are only sent to public addresses."), host=parts.hostname)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=parts.scheme, host=parts.hostname, port=port, path=path,
                  address=addresses[0])
