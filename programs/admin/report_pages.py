"""The managers' report pages in the admin site: the portfolio dashboard and an initiative's
report, with charts, the tables and links to the downloads."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .. import charts
from ..selectors import access
from ..selectors.reports import progress_report
from ..services.common import today


def _page(request, *, title, initiative, api_path):
    report = progress_report(as_of=today(), initiative=initiative)
    context = {
        **admin.site.each_context(request),
        "title": title, "report": report, "api_path": api_path,
        "health_chart": charts.health_bars(report["milestones"]["by_health"]),
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
