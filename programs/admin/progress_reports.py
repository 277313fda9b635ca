"""The progress report's review page: the report as a reader reads it (its period as staff
name it, the figures as tables, a returned report's reason on top), and a button for each
move this person may make on it now (the workflow decides, programs.workflow); each button
posts the form and the move goes through its service."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import ProgressReport, ReportStatus
from ..models.progress_report import recent_periods
from ..reporting import labels, tables
from ..selectors.access import (
    does_initiative_work,
    handles_progress_reports,
    initiatives_editable_by,
    progress_reports_readable_by,
)
from ..services.common import today
from ..services.progress_reports import (
    EDITABLE,
    progress_report_approve,
    progress_report_create,
    progress_report_return,
    progress_report_submit,
    progress_report_update,
)
from ..workflow import REPORT_MOVES, report_moves_for
from .access import CHANGE_REASONS, ReadableHistoryAdmin, ReadForInternalRoles, may_work_on
from .filters import PeriodFilter
from .saving import OpenedVersionHidden, ServiceErrorGuard, VersionedForm, opened_version


def figure_tables(figures):
    """The frozen figures as tables a reader reads: the headline figures, then each section
    of the report that has rows, with the report files' headings and units.
    Each cell is (text, unbroken): names, titles, codes and labels wrap, so the tables fit
    the page's width; figures and dates stay on one line."""
    if not tables.complete(figures):
        return []
    summary = {"title": _("Summary"), "headers": [_("Item"), _("Value")],
               "rows": [[(name, False), (tables.display(kind, value), True)]
                        for name, value, kind in tables.summary(figures)]}
    sections = [{"title": section.title, "note": section.note,
                 "headers": [column.header for column in section.columns],
                 "rows": [[(column.display(row) or "—", column.kind in tables.ON_ONE_LINE_ON_A_PAGE)
                           for column in section.columns] for row in rows]}
                for section in tables.SECTIONS if (rows := tables.section_rows(figures, section))]
    return [summary, *sections]


def name_of(user):
    return user.display_name if user else "—"


class ProgressReportAddForm(forms.ModelForm):
    """A new report: which initiative and which quarter; its figures are taken on save.
    The quarter is chosen as staff name it (2026年度 第3四半期 (10–12月)), newest first, this
    quarter chosen; the report stores its code (2026-Q4), as the API takes it."""

    period = forms.ChoiceField(label=gettext_lazy("period"))

    class Meta:
        model = ProgressReport
        fields = ("initiative", "period")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        periods = recent_periods(today())
        period = self.fields["period"]
        assert isinstance(period, forms.ChoiceField)
        period.choices = [(code, labels.quarter(code)) for code in periods]
        period.initial = periods[0]


class ProgressReportForm(VersionedForm):
    """The narrative (while the report is the officer's to edit), and the move a button asks
    for: one of `allowed_moves`, set per person and report by the admin."""

    allowed_moves: list[str] = []
    move = forms.CharField(required=False)  # the name of the button pressed
    reason = forms.CharField(label=gettext_lazy("reason for returning"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = ProgressReport
        fields = ("narrative",)

    def clean(self):
        cleaned = super().clean()
        move = cleaned.get("move")
        if move and move not in self.allowed_moves:
            self.add_error(None, forms.ValidationError(
                gettext_lazy("This report no longer allows that move; nothing was changed."),
                code="invalid_transition"))
        elif move == "return" and not cleaned.get("reason", "").strip():
            self.add_error("reason", forms.ValidationError(
                gettext_lazy("Say what the officer should revise."), code="reason_required"))
        return cleaned


@admin.register(ProgressReport)
class ProgressReportAdmin(OpenedVersionHidden, ServiceErrorGuard, ReadForInternalRoles,
                          ReadableHistoryAdmin):
    """Officers start, write and submit their initiatives' reports; managers approve or return
    them. Its history is the review's trail."""

    form = ProgressReportForm
    add_form = ProgressReportAddForm
    change_form_template = "admin/programs/progressreport/change_form.html"
    change_reasons = CHANGE_REASONS
    history_hidden_fields = ("figures",)  # the frozen snapshot: read on the page, not here
    list_display = ("initiative", "period_label", "status", "submitted_at", "reviewed_by",
                    "reviewed_at")
    list_filter = ("status", PeriodFilter)
    list_select_related = ("initiative", "reviewed_by")
    search_fields = ("initiative__code", "initiative__name_ja", "narrative")
    readonly_fields = ("initiative", "period_label", "status", "figures_as_of", "prepared_by_name",
                       "submitted_by_name", "submitted_at", "reviewed_by_name", "reviewed_at",
                       "narrative_text")
    empty_value_display = "—"

    class Media:
        css = {"all": ("programs/progress_report.css",)}

    def get_queryset(self, request):
        # Another officer's report is not listed, and opening it is "not found".
        return super().get_queryset(request).filter(
            pk__in=progress_reports_readable_by(request.user).values("pk"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
            return super().get_form(request, obj, change=change, **kwargs)
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"allowed_moves": self._moves(request, obj)})

    def _moves(self, request, report):
        """The moves the signed-in person may make on `report` now; asked once per request."""
        if not hasattr(request, "_report_moves"):
            request._report_moves = {}
        if report.pk not in request._report_moves:
            request._report_moves[report.pk] = report_moves_for(request.user, report)
        return request._report_moves[report.pk]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "initiative":
            kwargs["queryset"] = initiatives_editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["initiative", "period"]
        narrative = "narrative" if obj.status in EDITABLE and self.has_change_permission(
            request, obj) else "narrative_text"
        return ["initiative", "period_label", "status", "figures_as_of", narrative,
                "opened_version", "prepared_by_name", "submitted_by_name", "submitted_at",
                "reviewed_by_name", "reviewed_at"]

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    @admin.display(description=gettext_lazy("period"), ordering="period")
    def period_label(self, report):
        return labels.quarter(report.period)

    @admin.display(description=gettext_lazy("prepared by"))
    def prepared_by_name(self, report):
        return name_of(report.prepared_by)

    @admin.display(description=gettext_lazy("submitted by"))
    def submitted_by_name(self, report):
        return name_of(report.submitted_by)

    @admin.display(description=gettext_lazy("reviewed by"))
    def reviewed_by_name(self, report):
        return name_of(report.reviewed_by)

    @admin.display(description=gettext_lazy("narrative"))
    def narrative_text(self, report):
        return report.narrative

    def has_add_permission(self, request, obj=None):
        return does_initiative_work(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return handles_progress_reports(request.user)
        return bool(self._moves(request, obj)) or (
            may_work_on(request, obj.initiative) and obj.status in EDITABLE)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        if report is None:
            return super().change_view(request, object_id, form_url, extra_context)
        editable = "narrative" in self.get_fields(request, report)
        context = {
            "title": report.initiative.name_ja, "subtitle": labels.quarter(report.period),
            "report_moves": [(name, REPORT_MOVES[name].label)
                             for name in self._moves(request, report)],
            "figure_tables": figure_tables(report.figures),
            "figures_as_of": labels.day(report.figures_as_of),
            "pdf_path": f"/api/v1/progress-reports/{report.pk}/pdf/",
            "returned": report.status == ReportStatus.RETURNED and {
                "reason": report.return_reason,
                # Only what is known: a report returned before reviewers were recorded
                # has neither.
                "by": report.reviewed_by.display_name if report.reviewed_by else "",
                "on": labels.day(timezone.localdate(report.reviewed_at))
                if report.reviewed_at else ""},
            "show_save": editable, "show_save_and_continue": False,
            "show_save_and_add_another": False, "show_delete": False,
            **(extra_context or {})}
        try:
            return super().change_view(request, object_id, form_url, context)
        except PermissionDenied:
            # A move this person may not make (any more): say so on the page, never a bare
            # 403. Nothing was changed: the whole request is rolled back.
            if request.method != "POST":
                raise
            messages.error(request, _(
                "This report is “%(status)s” now: that move is not open to you, and nothing "
                "was changed.") % {"status": report.get_status_display()})
            return HttpResponseRedirect(request.path)

    def response_change(self, request, obj):
        move = request.POST.get("move")
        if move not in REPORT_MOVES:
            return super().response_change(request, obj)
        obj.refresh_from_db()
        messages.success(request, _("%(report)s: now “%(status)s”.") % {
            "report": f"{obj.initiative.name_ja} {labels.quarter(obj.period)}",
            "status": obj.get_status_display()})
        return HttpResponseRedirect(request.path)

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
