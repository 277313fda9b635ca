"""What every admin page of the tracker shares and that knows nothing of people or the domain."""

from typing import ClassVar

from django.db import models
from django.utils.translation import pgettext

from .text import validate_one_line


class OneLineCharFields:
    """Every one-line field of a model (titles, names, codes: a CharField) refuses line
    breaks and control characters in the admin's forms, as the API does."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if isinstance(db_field, models.CharField) and formfield is not None:
            formfield.validators.append(validate_one_line)
        return formfield


def list_as_text(values) -> str:
    """A JSON list as a reader reads it: AZEC2.0、AZEC 2.0 ("" when blank)."""
    return pgettext("between the items of a list", ", ").join(str(value) for value in values or ())


class ListsReadAsText:
    """JSON lists shown read-only read as text, not as JSON (`["AZEC2.0", "AZEC 2.0"]`):
    `lists_read_as_text` maps each such field to the display method that shows it, which
    takes the field's place on the page wherever the field is read-only. A page whose
    `get_readonly_fields` is its own lists those methods among them (`with_lists_as_text`)."""

    lists_read_as_text: ClassVar[dict[str, str]] = {}

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if obj is None or not self.lists_read_as_text:
            return fieldsets
        if self.has_change_permission(request, obj):  # type: ignore[attr-defined]
            readonly = set(self.get_readonly_fields(request, obj))  # type: ignore[attr-defined]
        else:  # a page to read: every field is read-only
            readonly = set(self.lists_read_as_text)
        as_text = {field: method for field, method in self.lists_read_as_text.items()
                   if field in readonly}
        return [(name, {**options, "fields": [as_text.get(field, field)
                                              for field in options["fields"]]})
                for name, options in fieldsets]

    def list_text(self, values):
        """`values` as text; blank, the page's empty value (never `[]` or `null`)."""
        return list_as_text(values) or self.get_empty_value_display()  # type: ignore[attr-defined]

    def with_lists_as_text(self, readonly_fields):
        return [*readonly_fields, *self.lists_read_as_text.values()]
