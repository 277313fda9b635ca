"""The admin site with two-factor sign-in (accounts.two_factor): the password, then the code —
or, for staff who must have one and have none, setting up an authenticator first. It is
`admin.site` (accounts.apps.TrackerAdminConfig), so every registration stays as it is."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from .admin_home import home_sections
from .roles import is_administrator
from .two_factor.rules import has_authenticator, second_factor_satisfied
from .two_factor.steps import SecondFactorLoginMixin, code_step, pending_sign_in, setup_step

# The sections of the system's own apps (sign-in lockout, authenticators, schedules): for
# administrators only, their names in the reader's language (the apps ship no Japanese).
SYSTEM_SECTIONS = {
    "axes": (gettext_lazy("Sign-in lockout"), {
        "accessattempt": gettext_lazy("Locked-out sign-ins"),
        "accessfailurelog": gettext_lazy("Failed sign-ins"),
        "accesslog": gettext_lazy("Sign-in log")}),
    "otp_static": (gettext_lazy("Backup codes"), {
        "staticdevice": gettext_lazy("Backup code sets")}),
    "otp_totp": (gettext_lazy("Authenticator apps"), {
        "totpdevice": gettext_lazy("Authenticator apps")}),
    "django_celery_beat": (gettext_lazy("Reminder schedules"), {
        "periodictask": gettext_lazy("Scheduled jobs"),
        "crontabschedule": gettext_lazy("Times of day (crontab)"),
        "intervalschedule": gettext_lazy("Intervals"),
        "clockedschedule": gettext_lazy("One-off times"),
        "solarschedule": gettext_lazy("Solar events")}),
}


class AdminPasswordStep(SecondFactorLoginMixin, LoginView):
    pass


class TrackerAdminSite(admin.AdminSite):
    # 「サイトを表示」: the home, the one page of the site every staff member has.
    site_url = reverse_lazy("admin:index")  # type: ignore[assignment]  # resolved when shown

    def has_permission(self, request):
        # A session signed in before two-factor sign-in was required (or before the account
        # set up an authenticator) has not given the code: it signs in again.
        return super().has_permission(request) and second_factor_satisfied(request)

    def get_urls(self):
        return [
            path("two-factor/", self.two_factor_code, name="two_factor_code"),
            path("two-factor/setup/", self.two_factor_setup, name="two_factor_setup"),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        """The home: each role's work (accounts.admin_home), then every section of the admin."""
        return super().index(request, {"home_sections": home_sections(request),
                                       **(extra_context or {})})

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if not is_administrator(request.user):
            return [app for app in apps if app["app_label"] not in SYSTEM_SECTIONS]
        for app in apps:
            if app["app_label"] in SYSTEM_SECTIONS:
                app["name"], model_names = SYSTEM_SECTIONS[app["app_label"]]
                for model in app["models"]:
                    model["name"] = model_names.get(model["object_name"].lower(), model["name"])
        return apps

    def _url(self, name):
        return reverse(f"admin:{name}", current_app=self.name)

    def password_change(self, request, extra_context=None):
        """Django's own page, with the password set by the service (which signs out the
        account's other sessions and revokes its API tokens)."""
        from .forms import OwnPasswordChangeForm  # its service is loaded once the apps are

        request.current_app = self.name
        return PasswordChangeView.as_view(
            form_class=OwnPasswordChangeForm,
            success_url=self._url("password_change_done"),
            template_name=self.password_change_template or "registration/password_change_form.html",
            extra_context={**self.each_context(request), **(extra_context or {})})(request)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """Django's admin login (its template and form), through the second-factor step."""
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(self._url("index"))
        from .staff_sign_in import StaffSignInForm  # forms need the apps loaded

        context = {**self.each_context(request), "title": _("Log in"), "subtitle": None,
                   "app_path": request.get_full_path(),
                   "username": request.user.get_username()}
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = self._url("index")
        context.update(extra_context or {})
        request.current_app = self.name
        return AdminPasswordStep.as_view(
            extra_context=context,
            authentication_form=self.login_form or StaffSignInForm,
            template_name=self.login_template or "admin/login.html",
            code_url=self._url("two_factor_code"),
            setup_url=self._url("two_factor_setup"),
        )(request)

    def _step_context(self, request, title):
        request.current_app = self.name
        return {**self.each_context(request), "title": title, "subtitle": None,
                "login_url": self._url("login")}

    @method_decorator(never_cache)
    @login_not_required
    def two_factor_code(self, request):
        return code_step(request, template="admin/two_factor/code.html",
                         context=self._step_context(request, _("Two-factor sign-in")),
                         start_url=self._url("login"), setup_url=self._url("two_factor_setup"))

    @method_decorator(never_cache)
    @login_not_required
    def two_factor_setup(self, request):
        """For the pending sign-in of staff without an authenticator, or for signed-in staff
        who turn it on for themselves."""
        user, _username = pending_sign_in(request)
        pending = user is not None
        if not pending:
            if not self.has_permission(request):
                return redirect(self._url("login"))
            user = request.user
        if has_authenticator(user):
            return redirect(self._url("two_factor_code" if pending else "index"))
        return setup_step(request, user=user, pending=pending,
                          template="admin/two_factor/setup.html",
                          done_template="admin/two_factor/backup_codes.html",
                          context={**self._step_context(request, _("Set up two-factor sign-in")),
                                   "index_url": self._url("index")})
