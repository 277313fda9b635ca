from django.urls import path, re_path

from . import account_web, web

urlpatterns = [
    path("", web.front_door, name="exporter-home"),
    path("login/", web.ExporterLoginView.as_view(), name="exporter-login"),
    path("logout/", web.ExporterLogoutView.as_view(), name="exporter-logout"),
    path("two-factor/", web.two_factor_code, name="exporter-two-factor"),
    path("profile/", web.profile_page, name="exporter-profile"),
    path("profile/two-factor/", web.two_factor_page, name="exporter-two-factor-setup"),
    path("password/", web.PasswordChangeView.as_view(), name="exporter-password"),
    path("verify/<str:token>/", web.verify_email, name="exporter-verify-page"),
    path("register/", account_web.register, name="exporter-register-page"),
    path("register/next/", account_web.registered, name="exporter-registered"),
    path("data-use/", account_web.data_use, name="exporter-data-use"),
    path("password-reset/", account_web.PasswordResetView.as_view(),
         name="exporter-password-reset"),
    path("password-reset/sent/", account_web.PasswordResetSentView.as_view(),
         name="exporter-password-reset-sent"),
    path("password-reset/<uidb64>/<token>/", account_web.PasswordResetConfirmView.as_view(),
         name="exporter-password-reset-confirm"),
    path("password-reset/done/", account_web.PasswordResetDoneView.as_view(),
         name="exporter-password-reset-done"),
    re_path(r"^profile/data\.(?P<file_format>json|csv)$", account_web.data_download,
            name="exporter-data"),
    path("profile/close/", account_web.closure_request, name="exporter-closure-request"),
]
