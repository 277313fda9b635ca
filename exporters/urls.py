from django.contrib.auth import views as auth_views
from django.urls import path

from . import web

urlpatterns = [
    path("", web.measures_for_you, name="exporter-home"),
    path("login/", web.ExporterLoginView.as_view(), name="exporter-login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="exporter-login"),
         name="exporter-logout"),
    path("two-factor/", web.two_factor_code, name="exporter-two-factor"),
    path("profile/", web.profile_page, name="exporter-profile"),
    path("profile/two-factor/", web.two_factor_page, name="exporter-two-factor-setup"),
    path("password/", web.PasswordChangeView.as_view(), name="exporter-password"),
    path("verify/<str:token>/", web.verify_email, name="exporter-verify-page"),
]
