"""The caller's address: what the throttles, the sign-in lockout and the logs count and show.

Without a trusted proxy (TRUSTED_PROXY_COUNT = 0) it is the connection's address and
X-Forwarded-For is ignored: anyone can write that header. Behind N proxies that each append
the address they saw, the client is the N-th entry from the right; entries further left were
written by the client itself and are never read. A header shorter than N entries, or an entry
that is not an address, means the request did not come through the proxies: the connection's
address is used.
"""

import ipaddress
import logging
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_started

_current = ContextVar("client_address", default="")


def _address(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request):
    """The client's IP address for a Django or DRF request."""
    meta = request.META
    remote = meta.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [entry for entry in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if entry.strip()]
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote


class ClientAddressMiddleware:
    """Notes the caller's address on the request and for the request's log lines, up to
    Django's own line about the response (written after the middleware returns); the next
    request clears it first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_address = client_address(request)
        _current.set(request.client_address)
        return self.get_response(request)


def _forget_client(**kwargs):
    _current.set("")


request_started.connect(_forget_client, dispatch_uid="tracker.client_address.forget")


class ClientAddressLogFilter(logging.Filter):
    """Adds `client` (the caller's address, or "") to every log record."""

    def filter(self, record):
        record.client = _current.get()
        return True
