import json

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import ProgressReport, ReportStatus
from ..selectors.access import (
    does_initiative_work,
    handles_progress_reports,
    initiatives_editable_by,
    is_reviewer,
    progress_reports_readable_by,
)
from ..services.progress_reports import (
    EDITABLE,
    progress_report_approve,
    progress_report_create,
    progress_report_return,
    progress_report_submit,
    progress_report_update,
)
from .access import ReadForInternalRoles, may_work_on
from .saving import ServiceErrorGuard, VersionedForm, opened_version

MOVES = [("", "—"), ("submit", _("Submit for review")), ("approve", _("Approve")),
         ("return", _("Return for revision"))]


class ProgressReportAddForm(forms.ModelForm):
    """A new report: which initiative and which quarter; its figures are taken on save."""

    class Meta:
        model = ProgressReport
        fields = ("initiative", "period")


class ProgressReportForm(VersionedForm):
    move = forms.ChoiceField(label=_("workflow"), choices=MOVES, required=False)
    reason = forms.CharField(label=_("reason for returning"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = ProgressReport
        fields = ("narrative",)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("move") == "return" and not cleaned.get("reason", "").strip():
            self.add_error("reason", forms.ValidationError(
                _("Say what the officer should revise."), code="reason_required"))
        return cleaned


@admin.register(ProgressReport)
class ProgressReportAdmin(ServiceErrorGuard, ReadForInternalRoles, admin.ModelAdmin):
    """Officers start, write and submit their initiatives' reports; managers approve or return
    them."""

    form = ProgressReportForm
    add_form = ProgressReportAddForm
    list_display = ("initiative", "period", "status", "submitted_at", "reviewed_by",
                    "reviewed_at")
    list_filter = ("status", "period")
    list_select_related = ("initiative", "reviewed_by")
    search_fields = ("initiative__code", "initiative__name_ja", "narrative")
    readonly_fields = ("initiative", "period", "status", "figures_as_of", "figures_table",
                       "prepared_by", "submitted_by", "submitted_at", "reviewed_by",
                       "reviewed_at", "return_reason")

    def get_queryset(self, request):
        # Another officer's report is not listed, and opening it is "not found".
        return super().get_queryset(request).filter(
            pk__in=progress_reports_readable_by(request.user).values("pk"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "initiative":
            kwargs["queryset"] = initiatives_editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["initiative", "period"]
        fields = ["initiative", "period", "status", "figures_as_of", "narrative", "move",
                  "reason", "opened_version", "figures_table", "prepared_by", "submitted_by",
                  "submitted_at", "reviewed_by", "reviewed_at", "return_reason"]
        if obj is not None and obj.status not in EDITABLE:
            fields.remove("narrative")
            fields.insert(4, "narrative_text")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else (*self.readonly_fields, "narrative_text")

    @admin.display(description=_("narrative"))
    def narrative_text(self, report):
        return report.narrative

    @admin.display(description=_("figures"))
    def figures_table(self, report):
        counts = report.figures.get("milestones", {})
        return format_html("<pre>{}</pre>",
                           json.dumps(counts, ensure_ascii=False, indent=2))

    def has_add_permission(self, request, obj=None):
        return does_initiative_work(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return handles_progress_reports(request.user)
        return (is_reviewer(request.user) and obj.status == ReportStatus.SUBMITTED) or (
            may_work_on(request, obj.initiative) and obj.status in EDITABLE)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.pk = progress_report_create(initiative=form.cleaned_data["initiative"],
                                            period=form.cleaned_data["period"],
                                            by=request.user).pk
            return
        version = opened_version(form)
        if "narrative" in form.changed_data:
            obj = progress_report_update(report=obj, by=request.user, expected_version=version,
                                         data={"narrative": form.cleaned_data["narrative"]})
            version = obj.version
        move = form.cleaned_data.get("move")
        if move == "submit":
            progress_report_submit(report=obj, by=request.user, expected_version=version)
        elif move == "approve":
            progress_report_approve(report=obj, by=request.user, expected_version=version)
        elif move == "return":
            progress_report_return(report=obj, by=request.user,
                                   reason=form.cleaned_data["reason"], expected_version=version)
