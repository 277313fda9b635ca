"""The periodic progress report workflow: draft → submitted → approved, or returned → (revised)
→ submitted again. Each move is checked here: the right person, at the right state."""

import json
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AnyUser, User
from tracker.errors import Conflict, ServiceError

from ..models import Initiative, ProgressReport, ReminderKind, ReportStatus, WebhookEvent
from ..models.progress_report import period_bounds
from ..reporting import labels
from ..reporting.labels import in_language
from ..selectors.access import can_edit_initiative_work
from ..selectors.reports import progress_report
from ..workflow import REPORT_EDITABLE, REPORT_MOVES, may_make_report_move
from .common import check_version, reject_unknown_fields, require, save_with_history, today
from .reminders import Message, Reminder, outbox_send_soon
from .reminders.messages import admin_link
from .webhooks import webhook_event_emit

EDITABLE = REPORT_EDITABLE
# What the officers of its initiative write on a draft or returned report.
WRITABLE_FIELDS = ("narrative", "refresh_figures")


def progress_report_fields_writable_by(user: AnyUser, report: ProgressReport) -> tuple[str, ...]:
    """The fields `user` may change on `report` now (progress_report_update; the API's form)."""
    if report.status not in EDITABLE or not can_edit_initiative_work(user, report.initiative):
        return ()
    return WRITABLE_FIELDS


def report_figures(*, initiative: Initiative, as_of: date) -> dict[str, Any]:
    """The figures a progress report stores: the initiative's report as of `as_of`, as JSON
    (dates and decimals as strings, as the API writes them)."""
    data = progress_report(as_of=as_of, initiative=initiative)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))  # type: ignore[no-any-return]


def _snapshot(report: ProgressReport) -> None:
    """The report figures as they stand today, dated today.

    The report selector reads the milestones as they are now (their status, completion and
    planned dates), not as they were on a past day: figures taken after the period ended
    describe the day they were taken, and say so, rather than claim the period's last day."""
    report.figures_as_of = today()
    report.figures = report_figures(initiative=report.initiative, as_of=report.figures_as_of)


def _move(report: ProgressReport, *, to: str | None, allowed_from: Collection[str],
          expected_version: int | None) -> ProgressReport:
    """Lock the report and move it to `to` (None: keep its status), if its current status
    allows; whoever comes second in a race finds the status moved and is refused."""
    locked = ProgressReport.objects.select_for_update().select_related("initiative").get(
        pk=report.pk)
    check_version(locked, expected_version)
    if locked.status not in allowed_from:
        if to is None:
            raise Conflict(_("A report that is “%(current)s” can no longer be edited."),
                           code="invalid_transition",
                           params={"current": locked.get_status_display()})
        raise Conflict(
            _("A report that is “%(current)s” cannot become “%(to)s”."),
            code="invalid_transition",
            params={"current": locked.get_status_display(), "to": ReportStatus(to).label})
    if to is not None:
        locked.status = to
    return locked


@transaction.atomic
def progress_report_create(*, initiative: Initiative, period: str, by: User) -> ProgressReport:
    require(can_edit_initiative_work(by, initiative))
    start, _end = period_bounds(period)
    if start > today():
        raise ServiceError({"period": ServiceError(
            _("This period has not started yet."), code="period_in_future")})
    report = ProgressReport(initiative=initiative, period=period, prepared_by=by)
    _snapshot(report)
    try:
        with transaction.atomic():
            return save_with_history(report, by=by)
    except (IntegrityError, ValidationError) as error:
        if ProgressReport.objects.filter(initiative=initiative, period=period).exists():
            raise ServiceError({"period": ServiceError(
                _("This initiative already has a report for this period."),
                code="report_exists")}) from error
        raise


@transaction.atomic
def progress_report_update(*, report: ProgressReport, by: User, data: Mapping[str, Any],
                           expected_version: int | None = None) -> ProgressReport:
    """Change the narrative (and, on request, refresh the figures) of a draft or returned
    report; submitted and approved reports are not edited."""
    require(can_edit_initiative_work(by, report.initiative))
    reject_unknown_fields(data, WRITABLE_FIELDS)
    locked = _move(report, to=None, allowed_from=EDITABLE,
                   expected_version=expected_version)
    if "narrative" in data:
        locked.narrative = data["narrative"]
    if data.get("refresh_figures"):
        _snapshot(locked)
    return save_with_history(locked, by=by)


@transaction.atomic
def progress_report_submit(*, report: ProgressReport, by: User,
                           expected_version: int | None = None) -> ProgressReport:
    require(may_make_report_move(by, report, "submit"))
    locked = _move(report, to=ReportStatus.SUBMITTED,
                   allowed_from=REPORT_MOVES["submit"].allowed_from,
                   expected_version=expected_version)
    if not locked.narrative.strip():
        raise ServiceError({"narrative": ServiceError(
            _("Write the narrative before submitting."), code="narrative_required")})
    _snapshot(locked)  # the figures the manager reviews are those of the moment of submission
    locked.submitted_by, locked.submitted_at = by, timezone.now()
    saved = save_with_history(locked, by=by, reason="submitted")
    webhook_event_emit(kind=WebhookEvent.REPORT_SUBMITTED, resource=saved)
    return saved


@transaction.atomic
def progress_report_approve(*, report: ProgressReport, by: User,
                            expected_version: int | None = None) -> ProgressReport:
    """Approve a submitted report; from now on it is frozen."""
    if not may_make_report_move(by, report, "approve"):
        raise PermissionDenied(_("Managers approve progress reports."))
    locked = _move(report, to=ReportStatus.APPROVED,
                   allowed_from=REPORT_MOVES["approve"].allowed_from,
                   expected_version=expected_version)
    locked.reviewed_by, locked.reviewed_at, locked.return_reason = by, timezone.now(), ""
    saved = save_with_history(locked, by=by, reason="approved")
    _tell_the_officer(saved)
    webhook_event_emit(kind=WebhookEvent.REPORT_APPROVED, resource=saved)
    return saved


@transaction.atomic
def progress_report_return(*, report: ProgressReport, by: User, reason: str | None,
                           expected_version: int | None = None) -> ProgressReport:
    if not may_make_report_move(by, report, "return"):
        raise PermissionDenied(_("Managers return progress reports."))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError({"reason": ServiceError(
            _("Say what the officer should revise."), code="reason_required")})
    locked = _move(report, to=ReportStatus.RETURNED,
                   allowed_from=REPORT_MOVES["return"].allowed_from,
                   expected_version=expected_version)
    locked.reviewed_by, locked.reviewed_at, locked.return_reason = by, timezone.now(), reason
    saved = save_with_history(locked, by=by, reason="returned")
    _tell_the_officer(saved)
    webhook_event_emit(kind=WebhookEvent.REPORT_RETURNED, resource=saved)
    return saved


def _tell_the_officer(report: ProgressReport) -> None:
    """The officer who submitted `report` (or prepared it) hears that it was approved or
    returned, and why: in the app, and by e-mail as they chose."""
    officer = report.submitted_by or report.prepared_by
    reviewer, reviewed_at = report.reviewed_by, report.reviewed_at
    if officer is None or reviewer is None or reviewed_at is None:
        return

    def describe() -> Message:
        name = in_language(report.initiative, "name")
        if report.status == ReportStatus.APPROVED:
            return Message(
                title=_("Progress report %(period)s approved: %(name)s") % {
                    "period": labels.quarter(report.period), "name": name},
                initiative=name, action=_("Nothing to do."),
                lines=[_("Reviewed by %(manager)s.") % {
                    "manager": reviewer.display_name}])
        return Message(
            title=_("Progress report %(period)s returned: %(name)s") % {
                "period": labels.quarter(report.period), "name": name},
            initiative=name, detail=report.return_reason,
            action=_("Revise it and submit it again."),
            lines=[_("Returned by %(manager)s with this reason:") % {
                       "manager": reviewer.display_name},
                   report.return_reason, _("Revise it and submit it again.")])

    outbox_send_soon([Reminder(
        recipient=officer, kind=ReminderKind.REPORT_REVIEWED, subject=report,
        occasion=f"{report.status}:{reviewed_at.isoformat()}", describe=describe,
        link=admin_link(report))])
