from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tracker.admin_tools import ListsReadAsText, NumberListField

from ..models import Initiative, Milestone, Project, StatusUpdate
from ..models.initiative import REMINDER_DAYS_LEAST, REMINDER_DAYS_MOST
from ..selectors.access import (
    can_edit_initiative_record,
    does_initiative_work,
    initiatives_editable_by,
    is_administrator,
    projects_editable_by,
    work_owner_candidates,
)
from ..services.initiatives import (
    OWNER_FIELDS,
    initiative_create,
    initiative_update,
)
from ..services.work_items import project_create, project_update
from .access import (
    CHANGE_REASONS,
    ReadableHistoryAdmin,
    ReadForInternalRoles,
    WorkItemAdmin,
    WorkItemInline,
    may_work_on,
)
from .filters import OwnerFilter, RelatedDropdownFilter
from .lists import FittedList, badge, initiative_code
from .milestones import (
    KeepsCurrentPeople,
    MilestoneForm,
    StatusUpdateInline,
    WorkOwnerChoices,
    baseline_locked_for,
    save_milestone_form,
    save_status_update_formset,
    status_update_entries,
)
from .saving import (
    OpenedVersionHidden,
    ServiceErrorGuard,
    VersionedForm,
    changed_values,
    opened_version,
    record_nothing_saved,
    save_inline_forms,
)


class MilestoneInline(WorkOwnerChoices, WorkItemInline):
    model = Milestone
    form = MilestoneForm
    fields = ("title_ja", "owner", "baseline_due_on", "planned_due_on", "status",
              "completed_on", "percent_complete", "health", "opened_version")
    ordering = ("planned_due_on",)

    def owner_team_of(self, obj):
        return obj

    def has_add_permission(self, request, obj=None):
        # On the initiative's add page too (only those who may create one get there): the
        # milestones are saved with it, each by the milestone service.
        if obj is None:
            return does_initiative_work(request.user)
        return super().has_add_permission(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner", "initiative")

    def get_readonly_fields(self, request, obj=None):
        # New rows set their baseline; existing ones keep it unless an administrator edits.
        return baseline_locked_for(request.user)


class ProjectInline(WorkItemInline):
    model = Project
    fields = ("code", "name_ja", "phase")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # projects are added on their own page, with their countries and partners


class InitiativeForm(KeepsCurrentPeople, VersionedForm):
    people_fields = ("owner", "members")

    reminder_due_soon_days = NumberListField(
        label=capfirst(Initiative._meta.get_field("reminder_due_soon_days").verbose_name),
        required=False, least=REMINDER_DAYS_LEAST, most=REMINDER_DAYS_MOST,
        help_text=_("For example 14, 7, 1. Empty: the site-wide setting."))

    class Meta:
        model = Initiative
        fields = ("code", "parent", "name_ja", "name_en", "aliases", "summary_ja", "summary_en",
                  "source_quote", "lead_organisation", "owner", "members", "status", "start_on",
                  "end_on", "health", "health_note", "countries", "fields",
                  "reminder_due_soon_days", "reminder_stale_after_days", "reminder_owner_limit",
                  "reviews_exporter_registrations")


@admin.register(Initiative)
class InitiativeAdmin(ListsReadAsText, OpenedVersionHidden, ServiceErrorGuard, FittedList,
                      ReadForInternalRoles, ReadableHistoryAdmin):
    form = InitiativeForm
    lists_read_as_text = {"aliases": "aliases_text",
                          "reminder_due_soon_days": "reminder_due_soon_days_text"}
    change_reasons = CHANGE_REASONS
    list_display = ("tree_name", "code", "owner", "status_badge", "health_badge",
                    "lead_organisation", "report_link")
    list_filter = ("status", "health", "depth", ("owner", OwnerFilter),
                   ("lead_organisation", RelatedDropdownFilter), ("fields", RelatedDropdownFilter))
    list_select_related = ("owner", "lead_organisation")
    search_fields = ("code", "name_ja", "name_en", "summary_ja", "aliases")
    ordering = ("path",)
    filter_horizontal = ("members", "countries", "fields")
    inlines = (MilestoneInline, StatusUpdateInline, ProjectInline)
    fieldsets = (
        (None, {"fields": ("code", "parent", "name_ja", "name_en", "aliases", "summary_ja",
                           "summary_en", "source_quote")}),
        (_("People"), {"fields": ("lead_organisation", "owner", "members",
                                  "reviews_exporter_registrations")}),
        (_("Schedule and status"), {"fields": ("status", "start_on", "end_on", "health",
                                               "health_note", "health_set_by",
                                               "health_set_at")}),
        (_("Scope"), {"fields": ("countries", "fields")}),
        (_("Reminders"), {"fields": ("reminder_due_soon_days", "reminder_stale_after_days",
                                     "reminder_owner_limit", "opened_version")}),
    )

    def history_entries(self, request, obj):
        return status_update_entries(request.user, initiative=obj)

    @admin.display(description=_("initiative"), ordering="path")
    def tree_name(self, initiative):
        # Indented with spaces, not a style attribute (the Content-Security-Policy has no
        # 'unsafe-inline' for styles): an em space and an en space per level.
        return format_html("{}{}", "\u2003\u2002" * initiative.depth, initiative.name_ja)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, initiative):
        return badge("status", initiative.status, initiative.get_status_display())

    @admin.display(description=_("health"), ordering="health")
    def health_badge(self, initiative):
        return badge("health", initiative.health, initiative.get_health_display())

    @admin.display(description=_("other names in the strategy"))
    def aliases_text(self, initiative):
        return self.list_text(initiative.aliases)

    @admin.display(description=_("due-soon reminders (days before)"))
    def reminder_due_soon_days_text(self, initiative):
        return self.list_text(initiative.reminder_due_soon_days)

    @admin.display(description=_("report"))
    def report_link(self, initiative):
        return format_html('<a href="{}">{}</a>', reverse("report-initiative-page",
                                                         args=[initiative.pk]), _("report"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            kwargs["queryset"] = work_owner_candidates()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":
            kwargs["queryset"] = work_owner_candidates()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Members may save the page to add work under it; its own fields stay read-only.
        if obj is None:
            return does_initiative_work(request.user)
        return may_work_on(request, obj)

    def get_readonly_fields(self, request, obj=None):
        audit = ("health_set_by", "health_set_at")
        if obj is None:
            return audit
        if is_administrator(request.user):
            return ("code", *audit)
        editable = ("opened_version", *OWNER_FIELDS) if can_edit_initiative_record(
            request.user, obj) else ("opened_version",)
        every_field = [f for _, options in self.fieldsets for f in options["fields"]]
        return self.with_lists_as_text([f for f in every_field if f not in editable])

    def save_model(self, request, obj, form, change):
        data = changed_values(form)
        if change:
            if data:
                initiative_update(initiative=obj, by=request.user, data=data,
                                  expected_version=opened_version(form))
            return
        code = data.pop("code")
        obj.pk = initiative_create(by=request.user, code=code, data=data).pk

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields were written by the initiative services in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Milestone:
            save_inline_forms(formset,
                              lambda inline: save_milestone_form(request, inline, form.instance))
        elif formset.model is StatusUpdate:
            save_status_update_formset(request, formset, initiative=form.instance)
        else:
            record_nothing_saved(formset)  # the projects inline is read-only


class ProjectForm(VersionedForm):
    class Meta:
        model = Project
        fields = ("initiative", "code", "name_ja", "name_en", "theme_ja", "theme_en",
                  "summary_ja", "summary_en", "phase", "countries", "partners")


@admin.register(Project)
class ProjectAdmin(ServiceErrorGuard, FittedList, WorkItemAdmin):
    form = ProjectForm
    editable_by = staticmethod(projects_editable_by)  # type: ignore[assignment]
    list_display = ("code", "name_ja", "initiative_code", "phase", "theme_ja")
    list_filter = ("phase", ("initiative", RelatedDropdownFilter),
                   ("countries", RelatedDropdownFilter))
    list_select_related = ("initiative",)
    search_fields = ("code", "name_ja", "name_en", "summary_ja")
    filter_horizontal = ("countries", "partners")
    fields = ("initiative", "code", "name_ja", "name_en", "theme_ja", "theme_en", "summary_ja",
              "summary_en", "phase", "countries", "partners", "source_quote", "opened_version")

    @admin.display(description=_("initiative"), ordering="initiative__code")
    def initiative_code(self, project):
        return initiative_code(project.initiative)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("source_quote",)
        return ("initiative", "code", "source_quote")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "initiative":
            kwargs["queryset"] = initiatives_editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = changed_values(form)
        if change:
            project_update(project=obj, by=request.user, data=data,
                           expected_version=opened_version(form))
        else:
            initiative, code = data.pop("initiative"), data.pop("code")
            obj.pk = project_create(initiative=initiative, by=request.user, code=code,
                                    data=data).pk

    def save_related(self, request, form, formsets, change):
        """Countries and partners were written by the project services in save_model."""
