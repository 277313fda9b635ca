from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.admin_history import TimelineEntry, person, readable_value

from ..models import Milestone, StatusUpdate, WorkStatus
from ..selectors.access import (
    initiatives_editable_by,
    is_administrator,
    may_rewrite_status_update,
    milestones_editable_by,
    status_updates_editable_by,
    status_updates_visible_to,
    work_owner_candidates,
)
from ..services.common import today
from ..services.milestones import (
    check_completion_date_needs_done,
    check_percent_agrees_with_status,
    completion_date_of_move,
    milestone_create,
    milestone_update,
    resolve_status_change,
    validate_project_in_initiative,
)
from ..services.work_items import status_update_create, status_update_update
from .access import WorkItemAdmin, WorkItemInline
from .filters import (
    CountryFilter,
    DueSoonFilter,
    OverdueFilter,
    OwnerFilter,
    RegionFilter,
    RelatedDropdownFilter,
    SlippedFilter,
    StrategicFieldFilter,
)
from .imports import ImportButton
from .lists import FittedList, badge, initiative_code, percent_bar
from .milestone_bulk import bulk_edit, mark_done
from .saved_filters import SavedFilters
from .saving import (
    ServiceErrorGuard,
    VersionedForm,
    changed_values,
    opened_version,
    save_inline_forms,
)


class KeepsCurrentPeople:
    """The people choices offer active officers only; someone else who already holds the place
    (an administrator, a colleague since moved on) stays the shown value, so that saving the
    page never changes them silently. Mixed into a ModelForm before it."""

    people_fields: tuple[str, ...] = ("owner",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance  # type: ignore[attr-defined]
        for name in self.people_fields:
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is None or field.disabled or instance.pk is None:
                continue
            if isinstance(field, forms.ModelMultipleChoiceField):
                current = set(getattr(instance, name).values_list("pk", flat=True))
            else:
                current = {getattr(instance, f"{name}_id")} - {None}
            # Choices listed once per page (WorkOwnerChoices) say whom they offer.
            listed = getattr(field, "offered", None)
            offered = listed if listed is not None else set(
                field.queryset.filter(pk__in=current).values_list("pk", flat=True))
            kept = current - offered
            if not kept:
                continue
            choices = list(field.choices) if listed is not None else []
            field.queryset = field.queryset.model.objects.filter(
                Q(pk__in=field.queryset.values("pk")) | Q(pk__in=kept))
            if listed is not None:
                holders = [(person.pk, str(person))
                           for person in field.queryset.filter(pk__in=kept)]
                grouped = isinstance(choices[-1][1], list)
                field.choices = ([*choices, (_("Current holder"), holders)] if grouped
                                 else [*choices, *holders])


class MilestoneForm(KeepsCurrentPeople, VersionedForm):
    """Checks a status move against the workflow before the model's own validation runs, so
    the officer sees the reason next to the field."""

    class Meta:
        model = Milestone
        fields = ("initiative", "project", "title_ja", "title_en", "description", "owner",
                  "baseline_due_on", "planned_due_on", "status", "completed_on",
                  "percent_complete", "health")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "baseline_due_on" in self.fields:
            self.fields["baseline_due_on"].required = False
            self.fields["baseline_due_on"].help_text = _(
                "Leave empty to commit to the planned due date.")
        if "owner" in self.fields and not self.instance.pk:
            self.fields["owner"].required = False
            self.fields["owner"].help_text = _("Leave empty for the initiative's owner.")

    def clean(self):
        cleaned = super().clean()
        project = cleaned.get("project")
        initiative = cleaned.get("initiative") or getattr(self.instance, "initiative", None)
        try:
            validate_project_in_initiative(project=project, initiative=initiative)
        except ValidationError as error:
            self.add_error(None, error)  # on the field the error names
        if "baseline_due_on" in self.fields and not cleaned.get("baseline_due_on"):
            cleaned["baseline_due_on"] = cleaned.get("planned_due_on")
        if "status" not in cleaned:
            return cleaned
        current = self.instance.status if self.instance.pk else WorkStatus.NOT_STARTED
        if "completed_on" in self.changed_data:
            try:
                check_completion_date_needs_done(
                    status=cleaned["status"], data={"completed_on": cleaned.get("completed_on")})
            except ValidationError as error:
                self.add_error(None, error)  # on the field the error names
        cleaned["completed_on"] = completion_date_of_move(
            current=current, to=cleaned["status"], completed_on=cleaned.get("completed_on"))
        # Both checks run, so that every reason shows on its field and the model's constraints
        # never speak instead of them.
        if "percent_complete" in self.changed_data:
            try:
                check_percent_agrees_with_status(
                    status=cleaned["status"], percent_complete=cleaned.get("percent_complete") or 0)
            except ValidationError as error:
                self.add_error(None, error)  # on the field the error names
        try:
            cleaned["completed_on"], percent_complete = resolve_status_change(
                current=current, to=cleaned["status"],
                completed_on=cleaned.get("completed_on"),
                percent_complete=cleaned.get("percent_complete") or 0,
            )
        except ValidationError as error:
            self.add_error("status" if not hasattr(error, "error_dict") else None, error)
        else:
            if "percent_complete" not in self.errors:
                cleaned["percent_complete"] = percent_complete
        return cleaned


def baseline_locked_for(user):
    """Only administrators move a baseline once work has been committed to it."""
    return () if is_administrator(user) else ("baseline_due_on",)


class WorkOwnerChoices:
    """The "owner" select offers active officers by name, the team of the
    page's initiative first, its owner chosen for a new row; read from the database once per
    page rather than once per inline row. `owner_team_of(obj)` names that initiative."""

    def owner_team_of(self, obj):
        return None

    def get_form(self, request, obj=None, **kwargs):
        request._owner_team = self.owner_team_of(obj)
        return super().get_form(request, obj, **kwargs)  # type: ignore[misc]

    def get_formset(self, request, obj=None, **kwargs):
        request._owner_team = self.owner_team_of(obj)
        return super().get_formset(request, obj, **kwargs)  # type: ignore[misc]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        team = getattr(request, "_owner_team", None)
        if db_field.name == "owner":
            kwargs["queryset"] = work_owner_candidates()
            if team is not None:
                kwargs["initial"] = team.owner_id
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if db_field.name == "owner" and field is not None:
            field.choices = owner_choices(team)
            field.offered = {pk for _label, group in field.choices[1:] for pk, _name in group} \
                if team is not None else {pk for pk, _name in field.choices[1:]}
        return field


def owner_choices(team):
    """The owner choices, grouped into the team of initiative `team` and everyone else."""
    people = work_owner_candidates(team)
    blank = [("", "---------")]
    if team is None:
        return blank + [(candidate.pk, str(candidate)) for candidate in people]
    groups: dict[bool, list] = {True: [], False: []}
    for candidate in people:
        # in_team: annotated by work_owner_candidates
        groups[candidate.in_team].append(  # type: ignore[attr-defined]
            (candidate.pk, str(candidate)))
    return blank + [(_("Team of %(code)s") % {"code": team.code}, groups[True]),
                    (_("Other officers"), groups[False])]


def save_milestone_form(request, form, initiative):
    data = changed_values(form)
    data.pop("initiative", None)
    if data.get("status") == WorkStatus.DONE and form.cleaned_data.get("completed_on"):
        # The completion date the form filled in (today) when none was typed.
        data.setdefault("completed_on", form.cleaned_data["completed_on"])
    if form.instance.pk:
        return milestone_update(milestone=form.instance, by=request.user, data=data,
                                expected_version=opened_version(form))
    return milestone_create(initiative=initiative, by=request.user, data=data)


class StatusUpdateForm(VersionedForm):
    editor = None  # set per request by StatusUpdateInline.get_formset

    class Meta:
        model = StatusUpdate
        fields = ("reported_on", "summary", "risks", "next_steps", "health")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["reported_on"].initial = today  # reported today unless said otherwise
        # A colleague's narrative is shown, not offered for editing.
        if self.instance.pk and self.editor and not may_rewrite_status_update(
                self.editor, self.instance):
            for field in self.fields.values():
                field.disabled = True


class StatusUpdateInline(WorkItemInline):
    model = StatusUpdate
    form = StatusUpdateForm
    fields = ("reported_on", "summary", "risks", "next_steps", "health", "author", "opened_version")
    readonly_fields = ("author",)
    extra = 0

    def initiative_of(self, obj):
        return obj.initiative if isinstance(obj, Milestone) else obj

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type("StatusUpdateFormFor", (formset.form,), {"editor": request.user})
        return formset


def save_status_update_formset(request, formset, **subject):
    def save_one(form):
        data = changed_values(form)
        if form.instance.pk:
            return status_update_update(status_update=form.instance, by=request.user, data=data,
                                        expected_version=opened_version(form))
        return status_update_create(by=request.user, data=data, **subject)

    save_inline_forms(formset, save_one)


def status_update_entries(user, **subject):
    """The status updates of `subject` (a milestone or an initiative) as entries of its
    history: who reported, when, and what."""
    meta = StatusUpdate._meta

    def line(update, name):
        return (capfirst(meta.get_field(name).verbose_name),  # type: ignore[union-attr]
                readable_value(meta.get_field(name), getattr(update, name)))

    updates = status_updates_visible_to(user).filter(**subject).select_related("author")
    return [TimelineEntry(
        when=update.created_at, who=person(update.author), kind="status_update",
        what=str(capfirst(meta.verbose_name)),
        lines=[line(update, name) for name in ("reported_on", "health", "summary", "risks",
                                                "next_steps")
               if name in ("reported_on", "health", "summary") or getattr(update, name)])
        for update in updates]


@admin.register(Milestone)
class MilestoneAdmin(ImportButton, ServiceErrorGuard, WorkOwnerChoices, SavedFilters,
                     FittedList, WorkItemAdmin):
    import_kind = "milestones"
    # The import button's list, with the quick and saved filters above the search box.
    change_list_template = "admin/programs/milestone/change_list.html"
    editable_by = staticmethod(milestones_editable_by)  # type: ignore[assignment]
    form = MilestoneForm
    # The columns an officer scans, narrow enough for 1366 px: the initiative by its code
    # (the name on hover), status and health as badges, completion as a bar.
    list_display = ("title_ja", "initiative_code", "owner", "planned_due_on", "slip",
                    "status_badge", "health_badge", "progress")
    list_filter = (
        OverdueFilter, DueSoonFilter, SlippedFilter, "status", "health",
        ("owner", OwnerFilter), ("initiative", RelatedDropdownFilter),
        CountryFilter, RegionFilter, StrategicFieldFilter,
    )
    list_select_related = ("initiative", "owner")
    search_fields = ("title_ja", "title_en", "description", "initiative__code",
                     "initiative__name_ja")
    date_hierarchy = "planned_due_on"
    autocomplete_fields = ("initiative", "project")
    inlines = (StatusUpdateInline,)
    actions = (bulk_edit, mark_done)
    fieldsets = (
        (None, {"fields": ("initiative", "project", "title_ja", "title_en", "description",
                           "owner")}),
        (_("Schedule"), {"fields": ("baseline_due_on", "planned_due_on")}),
        (_("Progress"), {"fields": ("status", "completed_on", "percent_complete", "health",
                                    "opened_version")}),
    )

    def history_entries(self, request, obj):
        return status_update_entries(request.user, milestone=obj)

    @admin.display(description=_("days later than the baseline"))
    def slip(self, milestone):
        return milestone.slip_days

    @admin.display(description=_("initiative"), ordering="initiative__code")
    def initiative_code(self, milestone):
        return initiative_code(milestone.initiative)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, milestone):
        return badge("status", milestone.status, milestone.get_status_display())

    @admin.display(description=_("health"), ordering="health")
    def health_badge(self, milestone):
        return badge("health", milestone.health, milestone.get_health_display())

    @admin.display(description=_("percent complete"), ordering="percent_complete")
    def progress(self, milestone):
        return percent_bar(milestone.percent_complete)

    def owner_team_of(self, obj):
        return obj.initiative if obj else None

    def get_readonly_fields(self, request, obj=None):
        return ["initiative", *baseline_locked_for(request.user)] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "initiative":
            kwargs["queryset"] = initiatives_editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        saved = save_milestone_form(request, form, form.cleaned_data.get("initiative"))
        obj.pk = saved.pk

    def save_formset(self, request, form, formset, change):
        save_status_update_formset(request, formset, milestone=form.instance)


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ServiceErrorGuard, FittedList, WorkItemAdmin):
    editable_by = staticmethod(status_updates_editable_by)  # type: ignore[assignment]
    list_display = ("reported_on", "summary", "milestone", "initiative_code", "author",
                    "health_badge")
    list_filter = ("health", ("author", OwnerFilter))
    list_select_related = ("milestone__initiative", "initiative", "author")
    search_fields = ("summary", "risks", "next_steps")
    date_hierarchy = "reported_on"
    form = StatusUpdateForm
    readonly_fields = ("milestone", "initiative", "author")
    fields = ("milestone", "initiative", "author", "reported_on", "summary", "risks",
              "next_steps", "health", "opened_version")

    @admin.display(description=_("initiative"))
    def initiative_code(self, update):
        return initiative_code(update.initiative or update.milestone.initiative)

    @admin.display(description=_("health at the time"), ordering="health")
    def health_badge(self, update):
        return badge("health", update.health, update.get_health_display())

    def has_add_permission(self, request, obj=None):
        # Updates are written from their milestone's or initiative's page.
        return False

    def save_model(self, request, obj, form, change):
        status_update_update(status_update=obj, by=request.user, data=changed_values(form),
                             expected_version=opened_version(form))
