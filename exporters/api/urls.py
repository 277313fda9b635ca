from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    ExporterMeasuresView,
    ExporterMeView,
    ExporterViewSet,
    RegisterView,
    VerifyView,
)

router = SimpleRouter()
router.register("exporters", ExporterViewSet, basename="exporter")

urlpatterns = [
    path("exporters/register/", RegisterView.as_view(), name="exporter-register"),
    path("exporters/verify/", VerifyView.as_view(), name="exporter-verify"),
    path("exporters/me/", ExporterMeView.as_view(), name="exporter-me"),
    path("exporters/me/support-measures/", ExporterMeasuresView.as_view(),
         name="exporter-me-support-measures"),
    *router.urls,
]
