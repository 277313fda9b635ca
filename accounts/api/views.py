from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

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
        user = authenticate(request, **data.validated_data)
        if user is None or not user.is_active:
            raise exceptions.ValidationError({"non_field_errors": [exceptions.ErrorDetail(
                _("The username or password is wrong."), code="invalid_credentials")]})
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    """The caller: who they are, their role and organisation."""

    @extend_schema(summary="Who am I", responses={200: MeSerializer})
    def get(self, request):
        return Response(MeSerializer(request.user).data)
