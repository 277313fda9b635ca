"""Bulk edit of the selected milestones: an action opens a form (owner, planned due date,
status, health; each optional), the bulk service applies it row by row, and a result page
says what changed and what was refused, and why."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Health, Milestone, WorkStatus
from ..selectors.access import work_owner_candidates
from ..services.milestones_bulk import BULK_FIELDS, milestones_bulk_update

NO_CHANGE = ("", _("(no change)"))
VERSION_PREFIX = "version-"


class DateInput(forms.DateInput):
    input_type = "date"  # the browser's own date picker, usable by keyboard


class MilestoneBulkEditForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("owner"), required=False, coerce=int,
                                   empty_value=None)
    planned_due_on = forms.DateField(label=_("planned due date"), required=False,
                                     widget=DateInput)
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[NO_CHANGE, *WorkStatus.choices])
    completed_on = forms.DateField(
        label=_("completion date"), required=False, widget=DateInput,
        help_text=_("When the status becomes done: the day the work was finished (today if "
                    "empty)."))
    health = forms.ChoiceField(label=_("health"), required=False,
                               choices=[NO_CHANGE, *Health.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {person.pk: person for person in work_owner_candidates()}
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [NO_CHANGE, *((pk, str(person)) for pk, person in self.owners.items())]

    def clean(self):
        cleaned = super().clean()
        if not self.changes():
            raise forms.ValidationError(_("Choose at least one thing to change."),
                                        code="nothing_to_change")
        return cleaned

    def changes(self):
        chosen = {field: self.cleaned_data.get(field) for field in BULK_FIELDS}
        if chosen["owner"] is not None:
            chosen["owner"] = self.owners[chosen["owner"]]
        return {field: value for field, value in chosen.items() if value not in (None, "")}


def opened_versions(post):
    """{milestone id: the version the editor saw}, from the form's hidden fields."""
    versions = {}
    for name, value in post.items():
        if name.startswith(VERSION_PREFIX) and value.isdigit():
            versions[int(name.removeprefix(VERSION_PREFIX))] = int(value)
    return versions


def show_outcomes(modeladmin, request, outcomes):
    changed = sum(1 for outcome in outcomes if outcome.changed)
    refused = sum(1 for outcome in outcomes if outcome.refused)
    if changed:
        messages.success(request, ngettext("%(count)d milestone changed.",
                                           "%(count)d milestones changed.", changed)
                         % {"count": changed})
    elif not refused:  # a green "0 changed" read as if something had been done
        messages.info(request, _("Nothing changed: the selected milestones were already so."))
    if refused:
        messages.warning(request, ngettext(
            "%(count)d milestone was refused: the reason is shown next to it.",
            "%(count)d milestones were refused: the reason is shown next to each.", refused)
            % {"count": refused})
    labels = {field.name: field.verbose_name for field in Milestone._meta.fields}
    rows = [(outcome, [labels[field] for field in outcome.changed]) for outcome in outcomes]
    return TemplateResponse(request, "admin/programs/milestone/bulk_edit_result.html", {
        **modeladmin.admin_site.each_context(request), "opts": Milestone._meta,
        "title": _("Bulk edit: result"), "rows": rows, "back": request.get_full_path(),
    })


@admin.action(description=_("Edit the selected milestones (owner, due date, status, health)"),
              permissions=["change"])
def bulk_edit(modeladmin, request, queryset):
    milestones = list(queryset.select_related("initiative", "owner"))
    form = MilestoneBulkEditForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        outcomes = milestones_bulk_update(
            user=request.user, milestones=milestones, changes=form.changes(),
            completed_on=form.cleaned_data["completed_on"],
            opened_versions=opened_versions(request.POST))
        return show_outcomes(modeladmin, request, outcomes)
    return TemplateResponse(request, "admin/programs/milestone/bulk_edit.html", {
        **modeladmin.admin_site.each_context(request), "opts": Milestone._meta,
        "title": _("Edit the selected milestones"), "form": form, "milestones": milestones,
        "version_prefix": VERSION_PREFIX, "back": request.get_full_path(),
    })


@admin.action(description=_("Mark the selected milestones done (completed today)"),
              permissions=["change"])
def mark_done(modeladmin, request, queryset):
    outcomes = milestones_bulk_update(
        user=request.user, milestones=queryset.select_related("initiative", "owner"),
        changes={"status": WorkStatus.DONE})
    return show_outcomes(modeladmin, request, outcomes)
