"""One error shape for the whole API:

    {"code": "invalid_transition", "detail": "…", "fields": {"status": [{"code": …, "message": …}]}}

`code` is stable and machine-readable; messages follow the caller's Accept-Language. The
status is chosen by the exception's type (tracker.errors), never by its code: a ServiceError
is 400, a Conflict 409, a PreconditionFailed (StaleVersion) 412, a PreconditionRequired 428.
"""

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions, serializers, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from tracker.errors import Conflict, PreconditionFailed, PreconditionRequired

NON_FIELD_KEYS = {"non_field_errors", "__all__"}


class PreconditionFailedResponse(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = PreconditionFailed.code
    default_detail = PreconditionFailed.message


class PreconditionRequiredResponse(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = PreconditionRequired.code
    default_detail = PreconditionRequired.message


class FieldErrorSerializer(serializers.Serializer):
    """One error of one field (for the OpenAPI schema)."""

    code = serializers.CharField(help_text="Stable machine-readable error code.")
    message = serializers.CharField(help_text="Human-readable message (Japanese or English).")


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (for the OpenAPI schema)."""

    code = serializers.CharField(help_text="Stable machine-readable error code.")
    detail = serializers.CharField(help_text="Human-readable message (Japanese or English).")
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=FieldErrorSerializer()),
        help_text="Per-field errors: {field: [{code, message}]}.",
    )


def _errors_of(error):
    """Each single error inside a Django ValidationError, of whatever type it was raised."""
    if hasattr(error, "error_dict"):
        return [item for items in error.error_dict.values() for item in items]
    return error.error_list


def _is_conflict(error):
    """A Conflict, or errors that all are: one bad field among them makes the request 400."""
    items = _errors_of(error)
    return isinstance(error, Conflict) or (
        bool(items) and all(isinstance(item, Conflict) for item in items))


def _from_django_validation_error(error):
    converted = _as_drf_validation_error(error)
    if _is_conflict(error):
        converted.status_code = status.HTTP_409_CONFLICT
    return converted


def _as_drf_validation_error(error):
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError({
            ("non_field_errors" if name == "__all__" else name): [
                exceptions.ErrorDetail(message, code=item.code or "invalid")
                for item in items for message in item.messages
            ]
            for name, items in error.error_dict.items()
        })
    return exceptions.ValidationError({"non_field_errors": [
        exceptions.ErrorDetail(message, code=item.code or "invalid")
        for item in error.error_list for message in item.messages
    ]})


class ThrottledResponse(exceptions.Throttled):
    """DRF's own message appends the wait in words its Japanese catalogue lacks (half the
    answer came in English): one sentence of ours, the wait kept for Retry-After."""

    wait: int | None

    def __init__(self, wait: float | None) -> None:
        seconds = None if wait is None else math.ceil(wait)
        super().__init__(detail=_("Too many requests: try again later.") if seconds is None
                         else ngettext("Too many requests: try again in %(seconds)d second.",
                                       "Too many requests: try again in %(seconds)d seconds.",
                                       seconds) % {"seconds": seconds})
        self.wait = seconds


def _as_api_exception(exc):
    if isinstance(exc, exceptions.Throttled):
        return ThrottledResponse(getattr(exc, "wait", None))  # DRF sets it; its stubs lack it
    if isinstance(exc, PreconditionFailed):
        return PreconditionFailedResponse()
    if isinstance(exc, PreconditionRequired):
        return PreconditionRequiredResponse()
    if isinstance(exc, DjangoValidationError):
        return _from_django_validation_error(exc)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args[:1])
    return exc


def _field_errors(detail, where=""):
    """[{code, message}] from DRF's error details, flattened: errors of a list's items or of a
    nested object say where they are ("[0] …", "name: …")."""
    if isinstance(detail, dict):
        return [error for key, value in detail.items()
                for error in _field_errors(value, f"{where}{_label(key)}")]
    if isinstance(detail, list):
        return [error for item in detail for error in _field_errors(item, where)]
    message = str(detail)
    return [{"code": getattr(detail, "code", None) or "invalid",
             "message": f"{where} {message}" if where else message}]


def _label(key):
    return f"[{key}]" if isinstance(key, int) else f"{key}:"


def _codes(fields, general):
    return {error["code"] for errors in [*fields.values(), general] for error in errors}


def _validation_body(exc):
    detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    fields = {name: _field_errors(value) for name, value in detail.items()
              if name not in NON_FIELD_KEYS}
    general = [error for name in NON_FIELD_KEYS & set(detail)
               for error in _field_errors(detail[name])]
    codes = _codes(fields, general)
    code = codes.pop() if len(codes) == 1 else "invalid"
    message = " ".join(error["message"] for error in general) or str(
        _("Some fields are invalid; see “fields”."))
    return {"code": code, "detail": message, "fields": fields}


def _answer_in_json(request):
    """An error is JSON whatever format was asked for (`?format=csv|xlsx|pdf|pptx`): a client
    parses every error the same way, never a Python dict written into a CSV or a PDF."""
    renderer = api_settings.DEFAULT_RENDERER_CLASSES[0]()  # type: ignore[operator]
    request.accepted_renderer, request.accepted_media_type = renderer, renderer.media_type


def api_exception_handler(exc, context):
    exc = _as_api_exception(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    _answer_in_json(context["request"])
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    else:
        codes = exc.get_codes()
        response.data = {"code": codes if isinstance(codes, str) else exc.default_code,
                         "detail": str(exc.detail), "fields": {}}
    return response
