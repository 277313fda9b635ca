"""Who may sign in: everyone active, except registered exporters whose registration has not
been approved (yet). Applies to the admin, the exporter page, the token endpoint and tokens
and sessions issued before a registration was rejected."""

import math
from datetime import timedelta

from axes.helpers import get_client_username
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.backends import ModelBackend
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from tracker.responses import json_response

from .models import Role, User
from .sign_in import lockout_retry_after, user_for_sign_in
from .two_factor.rules import (
    has_authenticator,
    second_factor_required,
    second_factor_satisfied,
)


def may_sign_in(user):
    """A registered exporter once its registration is approved (the exporters app's profile,
    reached by its relation: accounts depends on no app above it); everyone else."""
    if user.role != Role.EXPORTER:
        return True
    profile = getattr(user, "exporter_profile", None)
    return profile is not None and profile.is_approved


class TrackerModelBackend(ModelBackend):
    """Signs people in by user name or e-mail address, in any spelling of either
    (accounts.sign_in.user_for_sign_in)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = user_for_sign_in(username)
        if user is None:
            User().set_password(password)  # as slow as a wrong password: no hint who exists
            return None
        if not user.check_password(password):
            return None
        if self.user_can_authenticate(user):
            return user
        if request is not None and user.is_active:
            # The right password, for an account that may not sign in yet (or any more): the
            # sign-in page may now tell its owner why. Not counted toward the lockout
            # (accounts.sign_in.SignInHandler): the password was right.
            request.sign_in_refused_account = user
        return None

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and may_sign_in(user)


def token_expired(token):
    return token.created < timezone.now() - timedelta(hours=settings.API_TOKEN_MAX_AGE_HOURS)


class TrackerTokenAuthentication(TokenAuthentication):
    """Tokens expire (API_TOKEN_MAX_AGE_HOURS) and can be revoked (DELETE auth/token/)."""

    def authenticate_credentials(self, key):
        # The exporter profile comes with the token, in one query: may_sign_in and the
        # exporters' endpoints read it.
        token = self.get_model().objects.select_related("user__exporter_profile").filter(  # type: ignore[attr-defined]
            key=key).first()
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        user = token.user
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        if not may_sign_in(user):
            raise AuthenticationFailed(_("This account may not sign in (yet)."))
        if token_expired(token):
            raise AuthenticationFailed(_("This token has expired: get a new one."),
                                       code="token_expired")
        if second_factor_required(user) and not has_authenticator(user):
            # Issued before two-factor sign-in was required: the password alone is no longer
            # enough, so neither is what it bought.
            raise AuthenticationFailed(_("Two-factor sign-in is required for your account: set "
                                         "up an authenticator, then get a new token."),
                                       code="otp_setup_required")
        return user, token


class TrackerSessionAuthentication(SessionAuthentication):
    """The admin's session, once it has given the second factor its account takes: a session
    signed in before two-factor sign-in was required, or before its account set up an
    authenticator, is anonymous here as in the admin."""

    def authenticate(self, request):
        user_and_auth = super().authenticate(request)
        if user_and_auth is None or not second_factor_satisfied(request._request):
            return None
        return user_and_auth


class TrackerSessionScheme(SessionScheme):
    """The OpenAPI schema's cookie authentication, as for DRF's own session class."""

    target_class = TrackerSessionAuthentication  # type: ignore[assignment]


def lockout_detail(request, credentials=None):
    """(code, seconds until the next attempt may go ahead, message) of a refused sign-in:
    locked out from this address, or slowed down for this account."""
    slowed_for = getattr(request, "sign_in_retry_after", 0)
    if slowed_for:
        code, retry_after = "sign_in_slowed_down", slowed_for
        detail = ngettext(
            "Too many wrong passwords for this account: try again in %(seconds)d second.",
            "Too many wrong passwords for this account: try again in %(seconds)d seconds.",
            slowed_for) % {"seconds": slowed_for}
    else:
        code = "account_locked"
        identity = get_client_username(request, credentials)
        retry_after = lockout_retry_after(identity, request.axes_ip_address) or 1
        minutes = math.ceil(retry_after / 60)
        detail = ngettext(
            "Too many wrong passwords: signing in to this account from your address is locked "
            "for %(minutes)d more minute, unless an administrator unlocks it sooner.",
            "Too many wrong passwords: signing in to this account from your address is locked "
            "for %(minutes)d more minutes, unless an administrator unlocks it sooner.",
            minutes) % {"minutes": minutes}
    return code, retry_after, detail


def lockout_response(request, original_response=None, credentials=None):
    """A refused sign-in (AXES_LOCKOUT_CALLABLE): the API's JSON error on /api/, elsewhere a
    page in the admin's frame with the way back to its sign-in form; both say when to try
    again, also in Retry-After. A page that has already told
    it in its own words (a 429: the exporter sign-in page, with its form) is kept."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    code, retry_after, detail = lockout_detail(request, credentials)
    if request.path.startswith("/api/"):
        response = json_response({"code": code, "detail": str(detail), "fields": {}},
                                 status=429)
    else:
        title = (_("Please wait before trying again") if code == "sign_in_slowed_down"
                 else _("This account is locked"))
        response = render(request, "admin/lockout.html", {
            **admin.site.each_context(request), "title": title, "detail": detail}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
