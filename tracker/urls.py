from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import health

urlpatterns = [
    path("health/", health.live, name="health"),
    path("health/ready/", health.ready, name="health-ready"),
    # The managers' report pages, inside the admin (its sign-in, header and permissions).
    path(f"{settings.ADMIN_URL}reports/", include("programs.admin.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/v1/", include("tracker.api.urls")),
    path("exporters/", include("accounts.urls")),
    # The one-click page that turns a kind of reminder off (List-Unsubscribe).
    path("reminders/", include("programs.urls")),
]
