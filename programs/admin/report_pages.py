"""The managers' report pages in the admin site: the portfolio dashboard and an initiative's
report, with charts, the tables and links to the downloads. Codes and figures read as in the
files (`programs.reporting`)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .. import charts
from ..reporting import labels, tables
from ..selectors import access
from ..selectors.reports import progress_report
from ..services.common import today

OVERDUE_COLUMNS = [column for column in tables.MILESTONE_COLUMNS if column.key in (
    "title_ja", "initiative", "owner", "planned_due_on", "days_overdue", "health")]
KPI_COLUMNS = [column for column in tables.KPI_COLUMNS if column.key in (
    "name_ja", "latest_value", "latest_period", "target_value", "target_year",
    "required_annual_growth", "observed_annual_growth", "verdict")]


def _table(columns, rows):
    return {"headers": [column.header for column in columns],
            "rows": [{"id": row.get("id"), "cells": [column.display(row) for column in columns]}
                     for row in rows]}


def _page(request, *, title, initiative, api_path):
    report = progress_report(as_of=today(), initiative=initiative)
    counts = report["milestones"]
    context = {
        **admin.site.each_context(request),
        "title": title, "report": report, "api_path": api_path,
        "as_of": labels.day(report["as_of"]),
        "figures": [(_("Milestones"), labels.milestone_count(counts["total"])),
                    (_("Overdue"), labels.milestone_count(counts["overdue"])),
                    (_("Due in the next 30 days"), labels.milestone_count(counts["due_soon"])),
                    (_("Slipped against baseline"),
                     labels.milestone_count(counts["slipped"]["count"])),
                    (_("Average completion"), labels.percent(counts["percent_complete"]))],
        "overdue": _table(OVERDUE_COLUMNS, report["overdue"]),
        "kpis": _table(KPI_COLUMNS, [kpi for kpi in report["kpis"] if tables.measured(kpi)]),
        "unmeasured_kpis": tables.unmeasured_line(report),
        "health_chart": charts.health_bars(counts["by_health"]),
        "burn_up_chart": charts.burn_up(report["burn_up"]),
        "kpi_charts": [chart for kpi in report["kpis"] if (chart := charts.kpi_trajectory(kpi))],
    }
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
