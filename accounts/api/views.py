from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.backends import TrackerTokenAuthentication, token_expired
from tracker.api.errors import ErrorSerializer

from .serializers import MeSerializer, TokenInput, TokenSerializer


class TokenView(APIView):
    """Exchange a username and password for an API token."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_scope = "auth"
    public_endpoint = True

    @extend_schema(summary="Get an API token", request=TokenInput,
                   responses={200: TokenSerializer})
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        # The Django request, on which django-axes keeps the caller's address. A refused
        # attempt (locked out, or slowed down) comes back as None like a wrong password;
        # the axes middleware then answers 429 (accounts.backends.lockout_response).
        user = authenticate(request._request, **data.validated_data)
        if user is None or not user.is_active:
            # Answered, not raised: an exception would roll back the request's transaction,
            # and with it the record of the failed attempt that the lockout counts.
            return Response({"code": "invalid_credentials",
                             "detail": _("The username or password is wrong."), "fields": {}},
                            status=400)
        # A sign-in like any other: last_login, and the lockout's count starts again.
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        if token_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key})

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
