"""Admin forms save through the services, never through `form.save()`, and never on top of a
change the editor has not seen."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from tracker.errors import StaleVersion

STALE_MESSAGE = _(
    "Someone else saved this record after you opened it. Nothing was saved: reload the page "
    "to see their change, then make yours again.")


def changed_values(form):
    return {name: form.cleaned_data[name] for name in form.changed_data
            if name != "opened_version"}


def record_nothing_saved(formset):
    """Tell Django admin's change message that `formset` saved nothing (yet)."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


def save_inline_forms(formset, save_one):
    """Save each changed form of `formset` with `save_one(form)`, and record what was saved the
    way Django admin expects for its change message."""
    record_nothing_saved(formset)
    for form in formset.forms:
        if not form.has_changed():
            continue
        is_new = form.instance.pk is None
        saved = save_one(form)
        if is_new:
            formset.new_objects.append(saved)
        else:
            formset.changed_objects.append((saved, form.changed_data))


class VersionedForm(forms.ModelForm):
    """Carries the version the editor opened; saving on top of a newer one is refused."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_version")  # type: ignore[union-attr]
        # The instance was read from the database by this request: a form opened on an older
        # version is stale. (The service checks again on the locked row.)
        if self.instance.pk and opened is not None and opened != self.instance.version:
            raise forms.ValidationError(STALE_MESSAGE, code="stale_version")
        return cleaned


class FormInputsHidden:
    """`form_inputs` are fields of the form only, no data of the record: they are never a row
    of their own to a reader. Where the page, or the row, is only read (a person who may view
    but not change, an inline's rows that person may not change), Django would show every
    field of the form read-only, these too, as blanks ("Opened version: None"): there they
    are left out. For model admins and their inlines alike (an inline is asked with the
    page's object)."""

    form_inputs: tuple[str, ...] = ()

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if obj is not None and self.has_change_permission(request, obj) and not (  # type: ignore[attr-defined]
                set(self.form_inputs) & set(self.get_readonly_fields(request, obj))):  # type: ignore[attr-defined]
            return fieldsets
        return [(name, {**options, "fields": _without(options["fields"], self.form_inputs)})
                for name, options in fieldsets]


class OpenedVersionHidden(FormInputsHidden):
    """The opened version travels in a hidden input of a page that may be saved."""

    form_inputs = ("opened_version",)


def _without(fields, left_out):
    kept = []
    for field in fields:
        if isinstance(field, (list, tuple)):  # several fields on one line
            field = tuple(name for name in field if name not in left_out)
            if field:
                kept.append(field)
        elif field not in left_out:
            kept.append(field)
    return kept


def opened_version(form):
    return form.cleaned_data.get("opened_version") if form.instance.pk else None


class ServiceErrorGuard:
    """The forms catch the common mistakes next to their fields; what only the service can
    see (a version that changed after the form was checked, a rule that spans records) is
    reported on the page instead of failing. The whole save is rolled back either way."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        except StaleVersion:
            messages.error(request, STALE_MESSAGE)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(request.path)
