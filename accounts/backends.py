"""Who may sign in: everyone active, except registered exporters whose registration has not
been approved (yet). Applies to the admin, the exporter page, the token endpoint and tokens
and sessions issued before a registration was rejected."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from tracker.responses import json_response

from .models import ExporterStatus, Role, User
from .two_factor.rules import second_factor_satisfied


def may_sign_in(user):
    if user.role != Role.EXPORTER:
        return True
    profile = getattr(user, "exporter_profile", None)
    return profile is not None and profile.status == ExporterStatus.APPROVED


class TrackerModelBackend(ModelBackend):
    """Signs people in by user name or, for an address with "@", by e-mail address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            user = User.objects.filter(email__iexact=username.strip()).first()
            username = user.username if user else username
        return super().authenticate(request, username=username, password=password, **kwargs)

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and may_sign_in(user)


def token_expired(token):
    return token.created < timezone.now() - timedelta(hours=settings.API_TOKEN_MAX_AGE_HOURS)


class TrackerTokenAuthentication(TokenAuthentication):
    """Tokens expire (API_TOKEN_MAX_AGE_HOURS) and can be revoked (DELETE auth/token/)."""

    def authenticate_credentials(self, key):
        # The exporter profile comes with the token, in one query: may_sign_in and the
        # exporters' endpoints read it.
        token = self.get_model().objects.select_related("user__exporter_profile").filter(
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

    target_class = TrackerSessionAuthentication


def lockout_response(request, original_response=None, credentials=None):
    """A locked-out sign-in: the API's JSON error on /api/, a short page elsewhere."""
    detail = _("Too many wrong passwords: signing in is locked for a while.")
    if request.path.startswith("/api/"):
        return json_response({"code": "account_locked", "detail": str(detail), "fields": {}},
                             status=429)
    return HttpResponse(detail, status=429, content_type="text/plain; charset=utf-8")
