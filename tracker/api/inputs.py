"""Base for write validation: what a client may send is an explicit, short list of fields."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError


class StrictInput(serializers.Serializer):
    """Refuses anything but a JSON object made of the declared writable fields."""

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            raise ValidationError({"non_field_errors": [
                ErrorDetail(_("Send a JSON object."), code="not_an_object")]})
        writable = {name for name, field in self.fields.items() if not field.read_only}
        unknown = sorted(set(data) - writable)
        if unknown:
            raise ValidationError({name: [ErrorDetail(
                _("This field does not exist or cannot be written."), code="unknown_field")]
                for name in unknown})
        return super().to_internal_value(data)


class DjangoValidator:
    """Run a Django validator inside a DRF field, keeping its message and code."""

    def __init__(self, validator):
        self.validator = validator

    def __call__(self, value):
        try:
            self.validator(value)
        except DjangoValidationError as error:
            raise ValidationError([ErrorDetail(message, code=error.code or "invalid")
                                   for message in error.messages]) from error
