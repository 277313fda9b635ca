from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.admin import own_password_change
from programs.admin.report_pages import initiative_report, portfolio_dashboard

from . import health

urlpatterns = [
    path("health/", health.live, name="health"),
    path("health/ready/", health.ready, name="health-ready"),
    path(f"{settings.ADMIN_URL}reports/", admin.site.admin_view(portfolio_dashboard),
         name="report-dashboard"),
    path(f"{settings.ADMIN_URL}reports/initiatives/<int:pk>/",
         admin.site.admin_view(initiative_report), name="report-initiative-page"),
    # Before admin.site.urls, which it replaces: the password is set by the service.
    path(f"{settings.ADMIN_URL}password_change/", admin.site.admin_view(own_password_change)),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/v1/", include("tracker.api.urls")),
    path("exporters/", include("accounts.urls")),
]
