"""What every admin page of the tracker shares and that knows nothing of people or the domain."""

import re
import unicodedata
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext_lazy as _
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


class TextListField(forms.Field):
    """A JSON list of names edited as text, one a line (a name may hold a comma); a blank
    box is `empty_value` ([] or None, as the model keeps blank)."""

    widget: type[forms.Widget] | forms.Widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, empty_value=None, **kwargs):
        self.empty_value = empty_value
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return self.as_text(value)
        return "" if value is None else value  # the text as typed, shown again with its error

    def as_text(self, values):
        return "\n".join(str(value) for value in values)

    def to_python(self, value):
        items = [line.strip() for line in str(value or "").splitlines()]
        return [item for item in items if item] or self.empty_value


# Between numbers: commas (half- or full-width, 、) or spaces.
NUMBER_SEPARATORS = re.compile(r"[,、\s]+")


class NumberListField(TextListField):
    """A JSON list of whole numbers edited as "14、7、1": commas, 、 or spaces between them,
    full-width digits read as digits, each between `least` and `most`."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Write whole numbers separated by commas, e.g. 14, 7, 1."),
        "out_of_range": _("Each number must be between %(least)s and %(most)s."),
    }

    def __init__(self, *, least, most, **kwargs):
        self.least, self.most = least, most
        super().__init__(**kwargs)

    def as_text(self, values):
        return list_as_text(values)

    def to_python(self, value):
        text = unicodedata.normalize("NFKC", str(value or "")).strip().strip("[]")
        parts = [part for part in NUMBER_SEPARATORS.split(text) if part]
        if not parts:
            return self.empty_value
        if not all(part.isascii() and part.isdigit() for part in parts):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return [int(part) for part in parts]

    def validate(self, value):
        super().validate(value)
        if value and not all(self.least <= number <= self.most for number in value):
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range",
                                  params={"least": self.least, "most": self.most})


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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """Where such a list may be edited, it is edited as text too: one item a line, a
        blank box for blank (a page's own form may declare a `NumberListField` instead)."""
        if db_field.name in self.lists_read_as_text and isinstance(db_field, models.JSONField):
            return TextListField(
                label=capfirst(db_field.verbose_name), required=not db_field.blank,
                empty_value=None if db_field.null else [],
                help_text=db_field.help_text or _("One a line."))
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]

    def list_text(self, values):
        """`values` as text; blank, the page's empty value (never `[]` or `null`)."""
        return list_as_text(values) or self.get_empty_value_display()  # type: ignore[attr-defined]

    def with_lists_as_text(self, readonly_fields):
        return [*readonly_fields, *self.lists_read_as_text.values()]


def name_row(form, row):
    """Give each visible input of an inline `form` its accessible name: its row, then its
    column (a table's heading is no label to assistive technology)."""
    for field in form.fields.values():
        # The admin wraps a related field's select (add and change links): name the select.
        widget = getattr(field.widget, "widget", field.widget)
        if not widget.is_hidden:
            widget.attrs = {**widget.attrs, "aria-label": _("%(row)s: %(column)s") % {
                "row": row, "column": field.label}}


class RowsNamedFormSet(BaseInlineFormSet):
    """A tabular inline's inputs named by row and column: 「マイルストーン 3: 期限」; and two rows
    that must differ told by the column's name (Django's names the model field, period_on)."""

    def get_unique_error_message(self, unique_check):
        columns: list[Any] = [str(self.model._meta.get_field(name).verbose_name)
                              for name in unique_check if name != self.fk.name]
        return _("Two rows have the same %(column)s: give each row its own.") % {
            "column": get_text_list(columns, _("and"))}

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        name_row(form, _("%(thing)s %(number)s") % {
            "thing": capfirst(self.model._meta.verbose_name), "number": i + 1})
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        name_row(form, _("New %(thing)s") % {"thing": self.model._meta.verbose_name})
        return form


class RowsNamed:
    """For a tabular inline: every input and select of every row has an accessible name."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("formset", RowsNamedFormSet)
        return super().get_formset(request, obj, **kwargs)  # type: ignore[misc]
