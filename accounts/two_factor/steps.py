"""The sign-in between password and code, shared by the admin and the exporter page.

A right password for an account that takes a second factor does not sign in: it starts a
pending sign-in in the session (who, where to go next), good for OTP_PENDING_SIGN_IN_SECONDS.
Only the code — or, for staff who must have one and have none, setting up an authenticator —
completes it with Django's login. So no session is ever signed in on the password alone, and
nothing (admin, exporter pages, the API's session authentication) can be reached with one."""

import time

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login

from accounts.backends import lockout_response, may_sign_in
from accounts.models import User

from .forms import CodeForm, SetupCodeForm
from .rules import forget_satisfied, has_authenticator, second_factor_needed
from .services import (
    authenticator_confirm,
    authenticator_qr_svg,
    authenticator_secret,
    authenticator_start,
    second_factor_check,
)

SESSION_KEY = "two_factor_pending"
WRONG_CODE = _("The code is wrong or has expired. Type the code your app shows now, or an "
               "unused backup code.")
WRONG_SETUP_CODE = _("The code does not match. Check the time on your phone and type the code "
                     "your app shows now.")


def pending_sign_in_start(request, *, user, username, next_url):
    """The password was right; the code is still to come."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"user": user.pk, "backend": user.backend,
                                    "username": username, "next": next_url,
                                    "since": time.time()}


def pending_sign_in(request):
    """(user, what was typed as the user name) of the sign-in waiting for its code, or
    (None, None) when there is none, it expired, or the account may no longer sign in."""
    pending = request.session.get(SESSION_KEY)
    if not pending or time.time() - pending["since"] > settings.OTP_PENDING_SIGN_IN_SECONDS:
        return None, None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or not may_sign_in(user):
        return None, None
    return user, pending["username"]


def pending_sign_in_finish(request, *, user, device):
    """Signs in, the device that gave the code kept in the session; returns where to go."""
    pending = request.session.pop(SESSION_KEY)
    auth_login(request, user, backend=pending["backend"])
    otp_login(request, device)
    forget_satisfied(request)
    return pending["next"]


def wrong_code_counted(request, *, username):
    """A wrong code counts toward the lockout like a wrong password; True if it now locks."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def is_locked_out(request, *, username):
    return AxesProxyHandler.is_locked(request, credentials={"username": username})


class SecondFactorLoginMixin:
    """For a LoginView: when the account takes a second factor, the right password leads to the
    code step (or to setting up an authenticator) instead of signing in."""

    code_url = None
    setup_url = None

    def form_valid(self, form):
        user = form.get_user()
        if not second_factor_needed(user):
            return super().form_valid(form)  # type: ignore[misc]
        pending_sign_in_start(self.request, user=user, username=form.cleaned_data["username"],  # type: ignore[attr-defined]
                              next_url=self.get_success_url())  # type: ignore[attr-defined]
        return redirect(self.code_url if has_authenticator(user) else self.setup_url)  # type: ignore[call-overload]


def code_step(request, *, template, context, start_url, setup_url):
    """Asks the pending sign-in for its code; a right one signs in."""
    user, username = pending_sign_in(request)
    if user is None:
        return redirect(start_url)
    if not has_authenticator(user):
        return redirect(setup_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if is_locked_out(request, username=username):
            return lockout_response(request)
        device = second_factor_check(user=user, code=form.cleaned_data["code"])
        if device is not None:
            return redirect(pending_sign_in_finish(request, user=user, device=device))
        wrong_code_counted(request, username=username)  # a lockout answers 429 (axes)
        form.add_error("code", WRONG_CODE)
    return render(request, template, {**context, "form": form, "account": user})


def setup_step(request, *, user, pending, template, done_template, context):
    """Shows the QR code and secret of a new authenticator; a code from it confirms it, and the
    backup codes are shown, this once. A pending sign-in (`pending`) is completed; a signed-in
    user counts as having given the code from then on."""
    device = authenticator_start(user=user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        backup_codes = authenticator_confirm(user=user, device=device,
                                             code=form.cleaned_data["code"])
        if backup_codes is not None:
            if pending:
                next_url = pending_sign_in_finish(request, user=user, device=device)
            else:
                otp_login(request, device)
                next_url = None
            forget_satisfied(request)
            response = render(request, done_template, {
                **context, "backup_codes": backup_codes, "next_url": next_url})
            response["Cache-Control"] = "no-store"
            return response
        form.add_error("code", WRONG_SETUP_CODE)
    response = render(request, template, {
        **context, "form": form, "account": user, "qr_svg": authenticator_qr_svg(device),
        "secret": authenticator_secret(device)})
    response["Cache-Control"] = "no-store"
    return response
