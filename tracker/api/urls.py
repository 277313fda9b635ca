"""/api/v1/: every resource, the token endpoint, the OpenAPI schema and its docs page."""

from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([AllowAny])
def not_found(request):
    raise NotFound(_("There is no such API path. See /api/v1/docs/."))


class SchemaView(SpectacularAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []


class DocsView(SpectacularSwaggerView):
    permission_classes = [AllowAny]
    authentication_classes = []


urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("programs.api.urls")),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    # Anything else under /api/v1/ is a JSON 404 in the API's error shape, not an HTML page
    # (and not a redirect that would drop a request body).
    re_path(r"^[\s\S]*$", not_found, name="api-not-found"),
]
