"""The status workflows: the one of milestones and country actions, and the one of the
quarterly progress reports (at the end).

Milestones and country actions:

not started → in progress | blocked | cancelled
in progress → done | blocked | cancelled
blocked     → in progress | cancelled
done        → in progress (reopened; the completion date is cleared)
cancelled   is final.
"""

from datetime import date
from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.models import AnyUser
from tracker.errors import Conflict, ServiceError

from .models import ProgressReport, ReportStatus, WorkStatus
from .selectors.access import can_edit_initiative_work, is_reviewer

ALLOWED_TRANSITIONS = {
    WorkStatus.NOT_STARTED: {WorkStatus.IN_PROGRESS, WorkStatus.BLOCKED, WorkStatus.CANCELLED},
    WorkStatus.IN_PROGRESS: {WorkStatus.DONE, WorkStatus.BLOCKED, WorkStatus.CANCELLED},
    WorkStatus.BLOCKED: {WorkStatus.IN_PROGRESS, WorkStatus.CANCELLED},
    WorkStatus.DONE: {WorkStatus.IN_PROGRESS},
    WorkStatus.CANCELLED: set(),
}


def check_transition(*, current: str, to: str, completed_on: date | None,
                     today: date) -> date | None:
    """Raise ServiceError (with a stable code) unless `current -> to` is allowed: a Conflict
    for a move the workflow forbids.

    Returns the completion date the item will carry after the move.
    """
    if to not in WorkStatus.values:
        raise ServiceError(
            _("Unknown status “%(to)s”."), code="invalid_status", params={"to": to}
        )
    if to != current and to not in ALLOWED_TRANSITIONS[WorkStatus(current)]:
        raise Conflict(
            _("A status cannot change from “%(current)s” to “%(to)s”."),
            code="invalid_transition",
            params={"current": WorkStatus(current).label, "to": WorkStatus(to).label},
        )
    if to != WorkStatus.DONE:
        return None
    if completed_on is None:
        raise ServiceError(
            _("A completion date is required to mark this done."),
            code="completion_date_required",
        )
    if completed_on > today:
        raise ServiceError(
            _("The completion date cannot be in the future."), code="completion_date_in_future"
        )
    return completed_on


# --- progress reports -----------------------------------------------------------------------
# draft | returned → submitted (an officer of the initiative) → approved | returned (a
# manager). The services make these moves; the pages offer exactly the ones allowed here.

REPORT_EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportMove(NamedTuple):
    to: ReportStatus
    allowed_from: tuple[ReportStatus, ...]
    label: Promise  # the button


REPORT_MOVES = {
    "submit": ReportMove(ReportStatus.SUBMITTED, REPORT_EDITABLE,
                         pgettext_lazy("report move", "Submit")),
    "approve": ReportMove(ReportStatus.APPROVED, (ReportStatus.SUBMITTED,),
                          pgettext_lazy("report move", "Approve")),
    "return": ReportMove(ReportStatus.RETURNED, (ReportStatus.SUBMITTED,),
                         pgettext_lazy("report move", "Return")),
}


def may_make_report_move(user: AnyUser, report: ProgressReport, move: str) -> bool:
    """Whether `user` is the kind of person who makes `move` on `report` (its state aside):
    an officer of the initiative submits, a manager reviews."""
    if move == "submit":
        return can_edit_initiative_work(user, report.initiative)
    return is_reviewer(user)


def report_moves_for(user: AnyUser, report: ProgressReport) -> list[str]:
    """The moves `user` may make on `report` now, in REPORT_MOVES' order."""
    return [name for name, move in REPORT_MOVES.items()
            if report.status in move.allowed_from and may_make_report_move(user, report, name)]
