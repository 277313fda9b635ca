"""A lost database connection is a clean 503, not a 500; any other failure under /api/ is a
500 in the API's error shape.

When PostgreSQL goes away mid-request (a restart, a failover, a dropped connection), the
request's transaction is rolled back by the server, so nothing is half-written; the caller
is told to retry, in the API's error shape under /api/ and as a short page elsewhere.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .errors import PreconditionFailed
from .responses import json_response

RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        detail = _("The database is unavailable for a moment. Nothing was saved; please try "
                   "again shortly.")
        if request.path.startswith("/api/"):
            response = json_response(
                {"code": "database_unavailable", "detail": detail, "fields": {}}, status=503)
        else:
            response = HttpResponse(detail, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class ApiServerErrorMiddleware:
    """An unexpected exception under /api/ answers `{"code": "server_error", …}` as JSON, with
    nothing of the exception in it; the traceback goes to the log, as Django's own 500 does.
    Listed before DatabaseUnavailableMiddleware, so a lost database stays a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", request.path, exc_info=exception,
            extra={"status_code": 500, "request": request})
        return json_response({"code": "server_error", "detail": _(
            "Something went wrong on the server. It has been logged; please try again later."),
            "fields": {}}, status=500)


class ApiPreconditionFailedBodyMiddleware:
    """Django's conditional GET answers a read with a stale If-Match by a bare 412; under
    /api/ it carries the error shape, as every other error does. Listed before
    ConditionalGetMiddleware, so it sees that answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code == 412 and not response.content
                and request.path.startswith("/api/")):
            return json_response({"code": PreconditionFailed.code,
                                  "detail": str(PreconditionFailed.message), "fields": {}},
                                 status=412)
        return response
