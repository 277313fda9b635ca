from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.backends import TrackerTokenAuthentication, token_expired
from accounts.two_factor.rules import has_authenticator, second_factor_needed
from accounts.two_factor.services import second_factor_check
from accounts.two_factor.steps import wrong_code_counted
from tracker.api.errors import ErrorSerializer

from .serializers import MeSerializer, TokenInput, TokenSerializer


class TokenView(APIView):
    """Exchange a username and password for an API token."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_scope = "auth"
    public_endpoint = True

    @extend_schema(summary="Get an API token", request=TokenInput,
                   responses={200: TokenSerializer, 401: ErrorSerializer},
                   description="Accounts that sign in with a second factor (staff when "
                               "STAFF_OTP_REQUIRED is on, anyone who has set one up) send "
                               "`otp_token` too: without it the answer is 401 `otp_required` "
                               "(`otp_setup_required` if the account has not set one up yet: "
                               "sign in to the admin to do so), with a wrong one 401 "
                               "`otp_invalid`, counted toward the lockout.")
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        credentials = {"username": data.validated_data["username"],
                       "password": data.validated_data["password"]}
        # The Django request, on which django-axes keeps the caller's address. A refused
        # attempt (locked out, or slowed down) comes back as None like a wrong password;
        # the axes middleware then answers 429 (accounts.backends.lockout_response).
        user = authenticate(request._request, **credentials)
        if user is None or not user.is_active:
            # Answered, not raised: an exception would roll back the request's transaction,
            # and with it the record of the failed attempt that the lockout counts.
            return Response({"code": "invalid_credentials",
                             "detail": _("The username or password is wrong."), "fields": {}},
                            status=400)
        if second_factor_needed(user):
            refused = self._second_factor_refusal(request, user, credentials["username"],
                                                  data.validated_data.get("otp_token"))
            if refused is not None:
                return refused
        # A sign-in like any other: last_login, and the lockout's count starts again.
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        if token_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key})

    def _second_factor_refusal(self, request, user, username, code):
        """None when the code is right; else the answer. Answered, not raised, like a wrong
        password, so that the wrong code's count toward the lockout is kept."""
        if not has_authenticator(user):
            return self._unauthorised("otp_setup_required", _(
                "Your account signs in with a second factor: sign in to the admin once to set "
                "up an authenticator app, then send its code as “otp_token”."))
        if not code:
            return self._unauthorised("otp_required", _(
                "Your account signs in with a second factor: send the code of your "
                "authenticator app (or a backup code) as “otp_token”."))
        if second_factor_check(user=user, code=code) is None:
            # At the limit django-axes answers 429 `account_locked` instead.
            wrong_code_counted(request._request, username=username)
            return self._unauthorised("otp_invalid", _(
                "The code is wrong or has expired. Send the code your app shows now, or an "
                "unused backup code."))
        return None

    def _unauthorised(self, code, detail):
        return Response({"code": code, "detail": detail, "fields": {}}, status=401,
                        headers={"WWW-Authenticate": self.get_authenticate_header(self.request)})

    def get_authenticate_header(self, request):
        return "Token"  # so that DELETE without a token is a 401, like everywhere else

    @extend_schema(summary="Revoke my API token (send it in Authorization)", request=None,
                   responses={204: None, 401: ErrorSerializer})
    def delete(self, request):
        # This endpoint skips authentication (to hand tokens out): find the caller's token.
        user_and_token = TrackerTokenAuthentication().authenticate(request)
        if user_and_token is None:
            raise exceptions.NotAuthenticated()
        user_and_token[1].delete()
        return Response(status=204)


class MeView(APIView):
    """The caller: who they are, their role and organisation."""

    @extend_schema(summary="Who am I", responses={200: MeSerializer})
    def get(self, request):
        return Response(MeSerializer(request.user).data)
