"""/api/v1/: every resource, the token endpoint, the OpenAPI schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny


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
]
