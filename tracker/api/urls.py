"""/api/v1/: every resource, the token endpoint, the OpenAPI schema and its docs page."""

import base64
import hashlib
import re
from functools import cache

from csp.decorators import csp_update
from django.template import loader
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
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


@cache
def _swagger_page_style_hash():
    """The CSP hash of the one inline <style> of drf-spectacular's Swagger page (three
    cosmetic rules), so that the page needs no 'unsafe-inline'."""
    source = loader.get_template(DocsView.template_name).template.source  # type: ignore[attr-defined]
    style = re.search(r"<style>(.*?)</style>", source, re.S)
    digest = hashlib.sha256(style.group(1).encode()).digest() if style else b""
    return f"'sha256-{base64.b64encode(digest).decode()}'"


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI under the site's Content-Security-Policy: its start-up script is a second
    request to this page (`?script`), not inline; its stylesheet draws icons from data: URIs;
    it fetches the schema from this site. Nothing else is allowed beyond the site's policy."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def dispatch(self, request, *args, **kwargs):
        allow = csp_update({"img-src": ["data:"], "style-src": [_swagger_page_style_hash()]})
        return allow(super().dispatch)(request, *args, **kwargs)


urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("exporters.api.urls")),
    path("", include("programs.api.urls")),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    # Anything else under /api/v1/ is a JSON 404 in the API's error shape, not an HTML page
    # (and not a redirect that would drop a request body).
    re_path(r"^[\s\S]*$", not_found, name="api-not-found"),
]
