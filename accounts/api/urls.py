from django.urls import path
from rest_framework.routers import SimpleRouter

from .exporters import (
    ExporterMeasuresView,
    ExporterMeView,
    ExporterViewSet,
    RegisterView,
    VerifyView,
)
from .views import MeView, TokenView

router = SimpleRouter()
router.register("exporters", ExporterViewSet, basename="exporter")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
    path("exporters/register/", RegisterView.as_view(), name="exporter-register"),
    path("exporters/verify/", VerifyView.as_view(), name="exporter-verify"),
    path("exporters/me/", ExporterMeView.as_view(), name="exporter-me"),
    path("exporters/me/support-measures/", ExporterMeasuresView.as_view(),
         name="exporter-me-support-measures"),
    *router.urls,
]
