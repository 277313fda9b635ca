"""The home's sections the domain knows of (accounts.admin_home): an officer's own work, a
manager's reviews and the portfolio at a glance, an administrator's failed deliveries, and
everyone's unread notifications. Each list shows its first few rows, each row one click from
where it is acted on; the count and the whole list are a link away. Reads go through the
selectors (selectors.work), scoped to the person."""

from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.admin_home import (
    HomeFigure,
    HomeItem,
    HomeSection,
    admin_url,
    combined_section,
    home_section,
    listed_section,
)
from accounts.models import Role

from ..models import DeliveryStatus, Health, ReportStatus
from ..reporting.labels import (
    day,
    day_count,
    health_label,
    in_language,
    quantity,
    quarter,
    verdict_label,
    year,
)
from ..selectors.access import home_role, unread_notifications_of
from ..selectors.work import (
    blocked_milestones_of,
    failed_deliveries_for,
    initiatives_in_trouble,
    initiatives_without_report,
    kpis_in_trouble,
    milestones_due_soon_of,
    overdue_milestones_for,
    overdue_milestones_of,
    progress_reports_awaiting_review,
    progress_reports_to_finish,
    slipped_milestones_for,
    stale_milestones_of,
    unowned_work_for,
)
from ..services.common import today
from ..services.reminders.due import previous_quarter
from .notification_pages import subject_url


def _milestone(detail: Callable[[Any], str], tone: str = "") -> Callable[[Any], HomeItem]:
    def item(milestone: Any) -> HomeItem:
        return HomeItem(
            label=in_language(milestone, "title"),
            url=admin_url("programs_milestone_change", milestone.pk),
            detail=f"{milestone.initiative.code} · {detail(milestone)}", tone=tone)
    return item


def _officer_sections(request: HttpRequest) -> Iterator[HomeSection]:
    user, on = request.user, today()
    mine = {"owner__id__exact": user.pk}
    yield listed_section(
        "overdue", _("My overdue milestones"), overdue_milestones_of(user, on=on),
        _milestone(lambda m: _("due %(date)s, %(days)s overdue") % {
            "date": day(m.planned_due_on), "days": day_count((on - m.planned_due_on).days)},
            "alert"),
        all_url=admin_url("programs_milestone_changelist", **mine, overdue="yes"),
        empty=_("Nothing overdue."))
    yield listed_section(
        "due-soon", _("Due in the next 14 days"), milestones_due_soon_of(user, on=on),
        _milestone(lambda m: _("due %(date)s") % {"date": day(m.planned_due_on)}, "warning"),
        empty=_("Nothing falls due in the next 14 days."))
    yield listed_section(
        "blocked", _("Blocked"), blocked_milestones_of(user),
        _milestone(lambda m: _("due %(date)s") % {"date": day(m.planned_due_on)}, "alert"),
        all_url=admin_url("programs_milestone_changelist", **mine, status__exact="blocked"),
        empty=_("Nothing is blocked."))
    yield listed_section(
        "stale", _("No recent status update"), stale_milestones_of(user, on=on),
        _milestone(lambda m: _("last update %(date)s: add a status update") % {
            "date": day(m.stale_since)}),
        empty=_("Every milestone in progress has a recent update."))
    yield _reports_to_do(request)


def _reports_to_do(request: HttpRequest) -> HomeSection:
    """Reports to revise (with the reason), to submit, and to start for the last quarter."""
    user = request.user
    period, quarter_end = previous_quarter(today())
    return combined_section(
        "reports", _("Progress reports to write, submit or revise"), [
            (progress_reports_to_finish(user), lambda report: HomeItem(
                label=f"{in_language(report.initiative, 'name')} {quarter(report.period)}",
                url=admin_url("programs_progressreport_change", report.pk),
                detail=(_("returned: revise and submit again")
                        if report.status == ReportStatus.RETURNED
                        else _("draft: write and submit")),
                note=(_("Reason for returning: %(reason)s") % {"reason": report.return_reason}
                      if report.status == ReportStatus.RETURNED else ""),
                tone="alert" if report.status == ReportStatus.RETURNED else "")),
            (initiatives_without_report(user, period=period, quarter_end=quarter_end),
             lambda initiative: HomeItem(
                label=f"{in_language(initiative, 'name')} {quarter(period)}",
                url=admin_url("programs_progressreport_add", initiative=initiative.pk,
                              period=period),
                detail=_("not started: write the report"), tone="warning")),
        ],
        all_url=admin_url("programs_progressreport_changelist"),
        empty=_("No progress report is waiting for you."))


def _manager_sections(request: HttpRequest) -> Iterator[HomeSection]:
    user, on = request.user, today()
    trouble = initiatives_in_trouble(user)
    health = trouble.aggregate(red=Count("pk", filter=Q(health=Health.RED)),
                               amber=Count("pk", filter=Q(health=Health.AMBER)))
    slipped = slipped_milestones_for(user)
    kpis = kpis_in_trouble(user, on=on)
    dashboard = reverse("report-dashboard")
    yield HomeSection(
        key="portfolio", title=_("The portfolio at a glance"),
        figures=[
            HomeFigure(_("Red initiatives"), health["red"],
                       admin_url("programs_initiative_changelist", health__exact=Health.RED),
                       "alert"),
            HomeFigure(_("Amber initiatives"), health["amber"],
                       admin_url("programs_initiative_changelist", health__exact=Health.AMBER),
                       "warning"),
            HomeFigure(_("Overdue milestones"), overdue_milestones_for(user, on=on).count(),
                       admin_url("programs_milestone_changelist", overdue="yes"), "alert"),
            HomeFigure(_("Slipped milestones"), slipped.count(),
                       admin_url("programs_milestone_changelist", slipped="yes"), "warning"),
            HomeFigure(_("KPIs off track or at risk"), len(kpis), dashboard, "alert"),
        ],
        links=[(_("Open the portfolio progress report (dashboard)"), dashboard)])
    yield listed_section(
        "reviews", _("Progress reports awaiting my review"),
        progress_reports_awaiting_review(user),
        lambda report: HomeItem(
            label=f"{in_language(report.initiative, 'name')} {quarter(report.period)}",
            url=admin_url("programs_progressreport_change", report.pk),
            detail=_("submitted %(date)s by %(name)s") % {
                "date": day(timezone.localdate(report.submitted_at)),
                "name": report.submitted_by.display_name if report.submitted_by else ""},
            tone="warning"),
        all_url=admin_url("programs_progressreport_changelist", status__exact="submitted"),
        empty=_("No report is waiting for review."))
    yield listed_section(
        "trouble", _("Red and amber initiatives"), trouble,
        lambda initiative: HomeItem(
            label=f"{initiative.code} {in_language(initiative, 'name')}",
            url=admin_url("programs_initiative_change", initiative.pk),
            detail=health_label(initiative.health), note=initiative.health_note,
            tone="alert" if initiative.health == Health.RED else "warning"),
        empty=_("No initiative is red or amber."))
    yield listed_section(
        "slipped", _("Slipped against baseline"), slipped,
        _milestone(lambda m: _("%(days)s later than the baseline %(date)s") % {
            "days": day_count(m.slip_days), "date": day(m.baseline_due_on)}, "warning"),
        all_url=admin_url("programs_milestone_changelist", slipped="yes"),
        empty=_("No milestone has slipped."))
    yield listed_section(
        "kpis", _("KPIs off track or at risk"), kpis,
        lambda kpi: HomeItem(
            label=f"{kpi['code']} {in_language(SimpleNamespace(**kpi), 'name')}",
            url=admin_url("programs_kpi_change", kpi["id"]),
            detail=_("%(verdict)s: latest %(latest)s, target %(target)s by %(year)s") % {
                "verdict": verdict_label(kpi["verdict"]),
                "latest": quantity(kpi["latest_value"], kpi["unit"]) or "—",
                "target": quantity(kpi["target_value"], kpi["unit"]) or "—",
                "year": year(kpi["target_year"]) or "—"},
            tone="alert" if kpi["verdict"] == "off_track" else "warning"),
        all_url=dashboard, empty=_("Every KPI's trend reaches its target."))
    yield _unowned(user, dashboard)


def _unowned(user: Any, dashboard: str) -> HomeSection:
    """Active initiatives and open milestones nobody can be told about."""
    initiatives, milestones = unowned_work_for(user)
    return combined_section(
        "unowned", _("Work without an active owner"), [
            (initiatives, lambda initiative: HomeItem(
                label=f"{initiative.code} {in_language(initiative, 'name')}",
                url=admin_url("programs_initiative_change", initiative.pk),
                detail=_("initiative without an active owner"), tone="alert")),
            (milestones, _milestone(lambda m: _(
                "milestone without an active owner, due %(date)s") % {
                "date": day(m.planned_due_on)}, "alert")),
        ],
        all_url=dashboard, empty=_("Every piece of work has an active owner."))


def _administrator_sections(request: HttpRequest) -> Iterator[HomeSection]:
    yield listed_section(
        "deliveries", _("Failed deliveries"), failed_deliveries_for(request.user),
        lambda delivery: HomeItem(
            label=delivery.email_subject,
            url=admin_url("programs_delivery_change", delivery.pk),
            detail=_("to %(name)s, %(date)s") % {
                "name": delivery.recipient.display_name,
                "date": day(timezone.localdate(delivery.created_at))},
            note=delivery.last_error, tone="alert"),
        all_url=admin_url("programs_delivery_changelist", status__exact=DeliveryStatus.FAILED),
        empty=_("Every reminder was delivered."))


SECTIONS_OF_ROLE: dict[str, Callable[[HttpRequest], Iterator[HomeSection]]] = {
    Role.OFFICER: _officer_sections, Role.MANAGER: _manager_sections,
    Role.ADMINISTRATOR: _administrator_sections}


@home_section(order=20)
def work_sections(request: HttpRequest) -> Iterator[HomeSection]:
    role = home_role(request.user)
    if role is not None:
        yield from SECTIONS_OF_ROLE[role](request)


@home_section(order=90)
def notification_section(request: HttpRequest) -> Iterator[HomeSection]:
    if home_role(request.user) is None:
        return
    yield listed_section(
        "notifications", _("Unread notifications"),
        unread_notifications_of(request.user).select_related("subject_type"),
        lambda notification: HomeItem(
            label=notification.title, url=subject_url(notification) or reverse(
                "my-notifications"),
            detail=_("%(kind)s, %(date)s") % {
                "kind": notification.get_kind_display(),
                "date": day(timezone.localdate(notification.created_at))}),
        all_url=reverse("my-notifications"), empty=_("No unread notifications."))
