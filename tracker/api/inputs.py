"""Base for write validation: what a client may send is an explicit, short list of fields,
each of the JSON type it names. Nothing is coerced: "5" is not 5, "true" is not true, 1.5 is
not an id, "２０２６-０１-０１" is not a date, and an object is not a list."""

import re
from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.relations import MANY_RELATION_KWARGS

from tracker.dates import EARLIEST_DATE, LATEST_DATE, date_out_of_range_message
from tracker.text import validate_one_line


class StrictInput(serializers.Serializer):
    """Refuses anything but a JSON object made of the declared writable fields."""

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            raise ValidationError({"non_field_errors": [
                ErrorDetail(_("Send a JSON object."), code="not_an_object")]})  # type: ignore[arg-type]
        writable = {name for name, field in self.fields.items() if not field.read_only}
        unknown = sorted(set(data) - writable)
        if unknown:
            raise ValidationError({name: [ErrorDetail(
                _("This field does not exist or cannot be written."), code="unknown_field")]  # type: ignore[arg-type]
                for name in unknown})
        if self.partial and not data:
            # An empty PATCH would still save a new version (and stale everyone's ETag).
            raise ValidationError({"non_field_errors": [
                ErrorDetail(_("Send at least one field to change."), code="empty_update")]})  # type: ignore[arg-type]
        return super().to_internal_value(data)


# A list of ids or codes longer than this is refused before any is looked up.
MAX_RELATED_ITEMS = 200


class StrictManyRelatedField(serializers.ManyRelatedField):
    default_error_messages = {
        "not_a_list": _("Send a list (a JSON array), not a JSON {input_type}."),
        "too_many": _("Send at most {max_items} items."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=JSON_TYPES.get(type(data), "value"))
        if len(data) > MAX_RELATED_ITEMS:
            self.fail("too_many", max_items=MAX_RELATED_ITEMS)
        return super().to_internal_value(data)


class _StrictMany:
    """many=True gives a StrictManyRelatedField (DRF's many_init, with our list class)."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({key: value for key, value in kwargs.items()
                            if key in MANY_RELATION_KWARGS})
        return StrictManyRelatedField(**list_kwargs)  # type: ignore[arg-type]


JSON_TYPES = {bool: "boolean", str: "string", int: "number", float: "number", list: "array",
              dict: "object", type(None): "null"}


class IdField(_StrictMany, serializers.PrimaryKeyRelatedField):
    """A record named by its id, a JSON integer."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=JSON_TYPES.get(type(data), "value"))
        return super().to_internal_value(data)


class SelectedIdField(IdField):
    """A record named by its id, looked up among those the caller may see: `selector(user)`,
    the domain's selector, so a reference in a body is read like every other read (an id
    outside it is refused like one that does not exist). `model` only types the schema."""

    def __init__(self, *, selector, model, **kwargs):
        self.selector = selector
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    def get_queryset(self):
        return self.selector(self.context["request"].user)


class CodeField(_StrictMany, serializers.SlugRelatedField):
    """A record named by its code, a JSON string."""

    default_error_messages = {
        "invalid": _("Give the code as a string."),
        # DRF's own names the column ("iso2=ZZ").
        "does_not_exist": _("There is no “{value}”: check the code."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    """One of the choices, as the JSON string that names it: DRF's own takes 13 for "13"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false, nothing else."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class WholeNumberField(serializers.IntegerField):
    """An integer sent as a JSON number: "7", 7.5 and true are refused, not converted."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


ASCII_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class StrictDecimalField(serializers.DecimalField):
    """A number, or a string of ASCII digits (how exact decimals travel in JSON)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str) or (
                isinstance(data, str) and not ASCII_DECIMAL.fullmatch(data)):
            self.fail("invalid")
        return super().to_internal_value(data)


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class StrictDateField(serializers.DateField):
    """A date as YYYY-MM-DD in ASCII digits (not a week date, not full-width digits)."""

    def to_internal_value(self, value):
        if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


class DateError(ValueError):
    def __init__(self, message, code):
        super().__init__(str(message))
        self.message, self.code = message, code


def parse_date(value):
    """A YYYY-MM-DD string (ASCII digits) within the range, or a ValueError saying why, for
    query parameters and the command line. Its `code` is invalid_date or date_out_of_range."""
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise DateError(_("Give a date as YYYY-MM-DD."), "invalid_date")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise DateError(_("Give a date as YYYY-MM-DD."), "invalid_date") from None
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        raise DateError(date_out_of_range_message(), "date_out_of_range")
    return parsed


def query_date(params, name):
    """The date query parameter `name` (None when absent), or a 400 in the error shape."""
    value = params.get(name)
    if not value:
        return None
    try:
        return parse_date(value)
    except DateError as error:
        raise ValidationError({name: [ErrorDetail(error.message, code=error.code)]}) from None


class PlanningDateField(StrictDateField):
    """A date in a write body: YYYY-MM-DD within EARLIEST_DATE..LATEST_DATE."""

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if not EARLIEST_DATE <= parsed <= LATEST_DATE:
            raise ValidationError([ErrorDetail(date_out_of_range_message(),
                                               code="date_out_of_range")])
        return parsed


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


ONE_LINE = DjangoValidator(validate_one_line)


class OneLineField(serializers.CharField):
    """A title, name or code: one line, no control characters (code control_characters)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(ONE_LINE)
