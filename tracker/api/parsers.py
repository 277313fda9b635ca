"""JSON request bodies, bounded in size: a body past API_MAX_BODY_BYTES is refused with 413
after reading no more than that, instead of being parsed whole. A body that is not JSON is
told so in the caller's language, with where it went wrong (orjson's own words are
English)."""

import io

import orjson
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_orjson_renderer.parsers import ORJSONParser
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError


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
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except ParseError:
            raise ParseError(_not_json(body)) from None


def _not_json(body: bytes) -> str:
    try:
        orjson.loads(body)
    except orjson.JSONDecodeError as error:
        return str(_("The request body is not valid JSON (line %(line)d, column %(column)d).")
                   % {"line": error.lineno, "column": error.colno})
    except ValueError:  # not UTF-8 text
        pass
    return str(_("The request body is not valid JSON."))
