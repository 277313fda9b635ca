"""The managers' report pages in the admin site: the portfolio dashboard and an initiative's
report, as of a day chosen on the page, with charts (each with its data as a table), the
lists that need attention, the figures by initiative and by place, and links to the
downloads. Codes and figures read as in the files (`programs.reporting`).

A figure by place links to the milestone list filtered to exactly the milestones it counts,
with the list's own parameters: the place filters (`region`, `country`, `field`: a milestone
is in a place through its initiative or its project), `slipped=yes`, and plain field lookups
(`status__exact`, `health__exact`, `status__in` with `planned_due_on__lt` for "overdue as of
the report date", `initiative__id__in` for an initiative's subtree)."""

from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker.dates import check_date_in_range

from .. import charts
from ..models import CLOSED_STATUSES, WorkStatus
from ..reporting import labels, tables
from ..selectors import access
from ..selectors.reports import PLACE_FIGURES, progress_report
from ..services.common import today

OVERDUE_COLUMNS = [column for column in tables.MILESTONE_COLUMNS if column.key in (
    "title_ja", "initiative", "owner", "planned_due_on", "days_overdue", "health")]
SLIPPED_COLUMNS = [column for column in tables.MILESTONE_COLUMNS if column.key in (
    "title_ja", "initiative", "owner", "baseline_due_on", "planned_due_on", "slip_days",
    "status")]
KPI_COLUMNS = [column for column in tables.KPI_COLUMNS if column.key in (
    "name_ja", "latest_value", "latest_period", "target_value", "target_year",
    "required_annual_growth", "observed_annual_growth", "verdict")]
FIGURE_COLUMNS = [column for column in tables.PLACE_COLUMNS if column.key in PLACE_FIGURES]
NAME = tables.NameColumn(header=gettext_lazy("Name"))  # in the reader's language
# The milestone list's filter parameter for each kind of place (programs.admin.filters).
PLACE_PARAMETERS = {"by_region": "region", "by_country": "country", "by_field": "field"}
OPEN_STATUSES = ",".join(status for status in WorkStatus.values
                         if status not in CLOSED_STATUSES)


def _date_field(label, help_text=""):
    """A day typed or picked as YYYY-MM-DD (what a date input sends), in the tracker's range."""
    return forms.DateField(
        label=label, help_text=help_text, required=False, input_formats=["%Y-%m-%d"],
        validators=[check_date_in_range],
        error_messages={"invalid": gettext_lazy("Give a date as YYYY-MM-DD.")},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class ReportDatesForm(forms.Form):
    """The report date and the start of "health changes", chosen on the page (GET); either
    left out takes its default: today, and 30 days before the report date."""

    as_of = _date_field(gettext_lazy("As of"), gettext_lazy(
        "The day overdue and due dates are judged on; health and completion are current. "
        "Empty: today."))
    since = _date_field(gettext_lazy("Changes since"),
                        gettext_lazy("Empty: 30 days before the report date."))

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        cleaned["as_of"] = cleaned.get("as_of") or today()
        if not self.has_error("since"):
            cleaned["since"] = cleaned.get("since") or cleaned["as_of"] - timedelta(days=30)
            if cleaned["since"] > cleaned["as_of"]:
                self.add_error("since", _("Choose a day on or before the report date."))
        return cleaned


def _table(columns, rows):
    return {"headers": [column.header for column in columns],
            "rows": [{"id": row.get("id"), "cells": [column.display(row) for column in columns]}
                     for row in rows]}


_LINK_MARKER = 987654321  # an id no URL prefix contains


def _links_by_id(view_name):
    """A function of an id giving reverse(view_name, args=[id]), reversing once: a page that
    links each of a thousand initiatives would otherwise spend tens of milliseconds
    resolving the same pattern."""
    marker = str(_LINK_MARKER)
    prefix, suffix = reverse(view_name, args=[_LINK_MARKER]).split(marker)
    return lambda pk: f"{prefix}{pk}{suffix}"


def _milestone_list(**filters):
    return f"{reverse('admin:programs_milestone_changelist')}?{urlencode(filters)}"


def _figure_filters(as_of):
    """The milestone list's parameters for each figure of a place (PLACE_FIGURES)."""
    return {"total": {}, "done": {"status__exact": WorkStatus.DONE},
            "red": {"health__exact": "red"}, "slipped": {"slipped": "yes"},
            "overdue": {"planned_due_on__lt": as_of.isoformat(), "status__in": OPEN_STATUSES}}


def _place_tables(report, scope_filter):
    """The figures by region, country and field, each figure a link to its milestones."""
    figure_filters = _figure_filters(report["as_of"])
    tables_by_kind = []
    for section in tables.SECTIONS:
        if section.key not in PLACE_PARAMETERS:
            continue
        rows = [{"name": NAME.value(row), "code": row["code"],
                 "figures": [(column.display(row), _milestone_list(
                     **{PLACE_PARAMETERS[section.key]: row["id"], **scope_filter,
                        **figure_filters[column.key]}) if row[column.key] else None)
                     for column in FIGURE_COLUMNS]}
                for row in report[section.key]]
        tables_by_kind.append({"title": section.title, "rows": rows})
    return tables_by_kind


def _initiative_rows(request, report):
    """The figures for each initiative with milestones, each linked to its own report where
    the reader may read it (report_initiatives_readable_by)."""
    rows = report["by_initiative"]
    ids = [row["id"] for row in rows]
    readable = set(ids) if access.can_read_report(request.user) else set(
        access.report_initiatives_readable_by(request.user).filter(pk__in=ids).values_list(
            "pk", flat=True))
    report_page = _links_by_id("report-initiative-page")
    return [{"name": NAME.value(row), "code": row["code"], "indent": "\u2003" * row["depth"],
             "report": report_page(row["id"]) if row["id"] in readable else None,
             "figures": [column.display(row) for column in FIGURE_COLUMNS]} for row in rows]


def _health_change_rows(report):
    return [{"id": row["milestone"], "title": tables.readers_name(row, "title_ja"),
             "change": _("%(from)s → %(to)s") % {"from": labels.health_label(row["from"]),
                                                  "to": labels.health_label(row["to"])},
             "on": labels.day(row["on"])} for row in report["health_changes"]]


def _page(request, *, title, initiative, api_path):
    form = ReportDatesForm(request.GET)  # without dates: the defaults
    context = {**admin.site.each_context(request), "title": title, "form": form}
    if not form.is_valid():
        return TemplateResponse(request, "admin/reports/report.html", context, status=400)
    dates = form.cleaned_data
    report = progress_report(as_of=dates["as_of"], since=dates["since"], initiative=initiative)
    counts = report["milestones"]
    # Filtered milestone lists of an initiative's report keep to its subtree.
    scope_filter = {"initiative__id__in": ",".join(
        str(row["id"]) for row in report["by_initiative"])} if initiative else {}
    context.update({
        # The since field stays empty unless chosen: its default follows the report date.
        "form": ReportDatesForm(initial={"as_of": dates["as_of"],
                                         "since": request.GET.get("since") and dates["since"]}),
        "report": report, "api_path": api_path,
        "download_query": urlencode({"as_of": dates["as_of"].isoformat(),
                                     "since": dates["since"].isoformat()}),
        "as_of": labels.day(report["as_of"]), "since": labels.day(report["since"]),
        "as_of_note": tables.as_of_note(report, today()),
        "initiatives_note": tables.INITIATIVE_FIGURES_NOTE,
        "figures": [(_("Milestones"), labels.milestone_count(counts["total"])),
                    (_("Overdue"), labels.milestone_count(counts["overdue"])),
                    (_("Due in the next 30 days"), labels.milestone_count(counts["due_soon"])),
                    (_("Slipped against baseline"),
                     labels.milestone_count(counts["slipped"]["count"])),
                    (_("Average completion"), labels.percent(counts["percent_complete"]))],
        "overdue": _table(OVERDUE_COLUMNS, report["overdue"]),
        "slipped": _table(SLIPPED_COLUMNS, report["slipped"]),
        "stale": _table(tables.STALE_COLUMNS, report["stale_initiatives"]),
        "health_changes": _health_change_rows(report),
        "unowned_initiatives": [{**row, "name": tables.readers_name(row)}
                                for row in report["unowned"]["initiatives"]],
        "unowned_milestones": [{**row, "title": tables.readers_name(row, "title_ja")}
                               for row in report["unowned"]["milestones"]],
        "figure_headers": [column.header for column in FIGURE_COLUMNS],
        "initiatives": _initiative_rows(request, report),
        "places": _place_tables(report, scope_filter),
        "kpis": _table(KPI_COLUMNS, [kpi for kpi in report["kpis"] if tables.measured(kpi)]),
        "unmeasured_kpis": tables.unmeasured_line(report),
        "health_chart": charts.health_bars(counts["by_health"]),
        "burn_up_chart": charts.burn_up(report["burn_up"]),
        "timeline_chart": charts.milestone_timeline(report["timeline"]),
        "kpi_charts": [chart for kpi in report["kpis"] if (chart := charts.kpi_trajectory(kpi))],
    })
    return TemplateResponse(request, "admin/reports/report.html", context)


def portfolio_dashboard(request):
    if not access.can_read_report(request.user):
        raise PermissionDenied
    return _page(request, title=_("Portfolio progress report"), initiative=None,
                 api_path="/api/v1/reports/portfolio/")


def initiative_report(request, pk):
    initiative = get_object_or_404(access.initiatives_visible_to(request.user), pk=pk)
    if not access.can_read_report(request.user, initiative):
        raise PermissionDenied
    return _page(request, title=_("Progress report: %(name)s") % {"name": initiative.name_ja},
                 initiative=initiative, api_path=f"/api/v1/reports/initiatives/{initiative.pk}/")
