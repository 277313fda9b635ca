"""What needs a person now, for their home page: an officer's own milestones that are late,
due soon, blocked or without a recent update and the progress reports they have to write,
submit or revise; a reviewer's reports awaiting review and what is going wrong across the
portfolio; an administrator's failed deliveries. Each is scoped to the person by the access
rules and built on the shared definitions (overdue, slipped, stale, unowned)."""

from datetime import date, timedelta
from typing import Any

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from accounts.models import AnyUser

from ..models import (
    CLOSED_STATUSES,
    Delivery,
    DeliveryStatus,
    Health,
    Initiative,
    InitiativeStatus,
    Milestone,
    ProgressReport,
    ReportStatus,
    WorkStatus,
)
from .access import (
    initiatives_editable_by,
    is_administrator,
    is_reviewer,
    milestones_editable_by,
    progress_reports_readable_by,
    report_initiatives_readable_by,
)
from .milestones import SLIPPED, overdue_on
from .ownership import unowned_initiatives, unowned_milestones
from .reports import kpi_forecasts
from .staleness import stale_as_of, with_stale_reference

DUE_SOON_DAYS = 14
# The verdicts (selectors.reports.kpi_forecast) a manager should hear about.
KPI_TROUBLE = ("off_track", "at_risk")


def open_milestones_of(user: AnyUser) -> QuerySet[Milestone]:
    """A person's open milestones: those they own, and the unowned ones of initiatives they
    own; within the work they may change."""
    if not user.is_authenticated:
        return Milestone.objects.none()
    return milestones_editable_by(user).exclude(status__in=CLOSED_STATUSES).filter(
        Q(owner=user) | Q(owner=None, initiative__owner=user)).select_related("initiative")


def overdue_milestones_of(user: AnyUser, *, on: date) -> QuerySet[Milestone]:
    return open_milestones_of(user).filter(overdue_on(on)).order_by("planned_due_on", "id")


def milestones_due_soon_of(user: AnyUser, *, on: date) -> QuerySet[Milestone]:
    """Due from `on` to DUE_SOON_DAYS days after it."""
    return open_milestones_of(user).filter(
        planned_due_on__gte=on, planned_due_on__lte=on + timedelta(days=DUE_SOON_DAYS),
    ).order_by("planned_due_on", "id")


def blocked_milestones_of(user: AnyUser) -> QuerySet[Milestone]:
    return open_milestones_of(user).filter(status=WorkStatus.BLOCKED).order_by(
        "planned_due_on", "id")


def stale_milestones_of(user: AnyUser, *, on: date) -> QuerySet[Any]:
    """In progress with no status update for their threshold (selectors.staleness: the
    reminders' rule), the longest silent first; each row carries `stale_since`."""
    return with_stale_reference(
        open_milestones_of(user).filter(status=WorkStatus.IN_PROGRESS),
        initiative_path="initiative__",
    ).filter(stale_as_of(on)).order_by("stale_since", "id")


def progress_reports_to_finish(user: AnyUser) -> QuerySet[ProgressReport]:
    """Returned reports to revise (first) and drafts to submit, of the initiatives the person
    works on."""
    if not user.is_authenticated:
        return ProgressReport.objects.none()
    returned_first = Case(When(status=ReportStatus.RETURNED, then=Value(0)), default=Value(1),
                          output_field=IntegerField())
    return ProgressReport.objects.filter(
        initiative__in=initiatives_editable_by(user).filter(owner=user).values("pk"),
        status__in=(ReportStatus.RETURNED, ReportStatus.DRAFT),
    ).select_related("initiative").order_by(returned_first, "period", "id")


def initiatives_without_report(user: AnyUser, *, period: str,
                               quarter_end: date) -> QuerySet[Initiative]:
    """The person's active initiatives with no report yet for `period` (the quarter ending
    `quarter_end`): the reports they have to start."""
    if not user.is_authenticated:
        return Initiative.objects.none()
    return initiatives_editable_by(user).filter(
        owner=user, status=InitiativeStatus.ACTIVE, created_at__date__lte=quarter_end,
    ).exclude(progress_reports__period=period).order_by("path")


def progress_reports_awaiting_review(user: AnyUser) -> QuerySet[ProgressReport]:
    """Submitted reports a reviewer may approve or return, the longest waiting first."""
    if not is_reviewer(user):
        return ProgressReport.objects.none()
    return progress_reports_readable_by(user).filter(
        status=ReportStatus.SUBMITTED).select_related("initiative", "submitted_by").order_by(
        "submitted_at", "id")


def initiatives_in_trouble(user: AnyUser) -> QuerySet[Initiative]:
    """Red, then amber initiatives of those whose figures the person reads."""
    red_first = Case(When(health=Health.RED, then=Value(0)), default=Value(1),
                     output_field=IntegerField())
    return report_initiatives_readable_by(user).filter(
        health__in=(Health.RED, Health.AMBER)).order_by(red_first, "path")


def slipped_milestones_for(user: AnyUser) -> QuerySet[Milestone]:
    """Open milestones planned later than their baseline, the longest slip first, of the
    initiatives whose figures the person reads."""
    return Milestone.objects.filter(
        SLIPPED, initiative__in=report_initiatives_readable_by(user).values("pk"),
    ).exclude(status__in=CLOSED_STATUSES).select_related("initiative").order_by(
        F("baseline_due_on") - F("planned_due_on"), "id")


def kpis_in_trouble(user: AnyUser, *, on: date) -> list[dict[str, Any]]:
    """KPIs whose trend misses the target (off track first, then at risk), for reviewers."""
    if not is_reviewer(user):
        return []
    forecasts = [row for row in kpi_forecasts(as_of=on) if row["verdict"] in KPI_TROUBLE]
    return sorted(forecasts, key=lambda row: (KPI_TROUBLE.index(row["verdict"]), row["code"]))


def unowned_work_for(user: AnyUser) -> tuple[QuerySet[Initiative], QuerySet[Milestone]]:
    """Active initiatives and open milestones nobody can be told about (selectors.ownership),
    of those whose figures the person reads."""
    initiatives = report_initiatives_readable_by(user)
    return (unowned_initiatives(initiatives).order_by("path"),
            unowned_milestones(Milestone.objects.filter(
                initiative__in=initiatives.values("pk"))).select_related(
                "initiative").order_by("planned_due_on", "id"))


def failed_deliveries_for(user: AnyUser) -> QuerySet[Delivery]:
    """Reminders that could not be sent, the latest first: the administrators' to act on."""
    if not is_administrator(user):
        return Delivery.objects.none()
    return Delivery.objects.filter(status=DeliveryStatus.FAILED).select_related(
        "recipient").order_by("-created_at", "-id")


def overdue_milestones_for(user: AnyUser, *, on: date) -> QuerySet[Milestone]:
    """Overdue across the initiatives whose figures the person reads."""
    return Milestone.objects.filter(
        overdue_on(on), initiative__in=report_initiatives_readable_by(user).values("pk"))
