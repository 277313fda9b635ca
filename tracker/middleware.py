"""A lost database connection is a clean 503, not a 500.

When PostgreSQL goes away mid-request (a restart, a failover, a dropped connection), the
request's transaction is rolled back by the server, so nothing is half-written; the caller
is told to retry, in the API's error shape under /api/ and as a short page elsewhere.
"""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

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
            response = JsonResponse(
                {"code": "database_unavailable", "detail": detail, "fields": {}}, status=503)
        else:
            response = HttpResponse(detail, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
