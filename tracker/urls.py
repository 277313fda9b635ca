from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from . import health
from .api.urls import not_found as api_not_found

urlpatterns = [
    # The public front door is the food-export programme's (exporters.web.front_door).
    path("", RedirectView.as_view(pattern_name="exporter-home"), name="front-door"),
    path("health/", health.live, name="health"),
    path("health/ready/", health.ready, name="health-ready"),
    # The managers' report pages, inside the admin (its sign-in, header and permissions).
    path(f"{settings.ADMIN_URL}reports/", include("programs.admin.urls")),
    # A person's notifications, opened from the bell in the admin's header.
    path(f"{settings.ADMIN_URL}notifications/", include("programs.admin.notification_urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/v1/", include("tracker.api.urls")),
    # Another version, or none: still the API's JSON 404, never an HTML page.
    re_path(r"^api(?:/|$)", api_not_found),
    path("exporters/", include("exporters.urls")),
    # The pages' language switch (Django's set_language: a cookie LocaleMiddleware reads).
    path("i18n/", include("django.conf.urls.i18n")),
    # The one-click page that turns a kind of reminder off (List-Unsubscribe).
    path("reminders/", include("programs.urls")),
]
