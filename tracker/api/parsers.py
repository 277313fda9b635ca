"""JSON request bodies, bounded in size: a body past API_MAX_BODY_BYTES is refused with 413
after reading no more than that, instead of being parsed whole."""

import io

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_orjson_renderer.parsers import ORJSONParser
from rest_framework import status
from rest_framework.exceptions import APIException


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = _("The request body is too large.")


class BoundedJSONParser(ORJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise RequestTooLarge()
        return super().parse(io.BytesIO(body), media_type, parser_context)
