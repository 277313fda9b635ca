"""The status workflow shared by milestones and country actions.

not started → in progress | blocked | cancelled
in progress → done | blocked | cancelled
blocked     → in progress | cancelled
done        → in progress (reopened; the completion date is cleared)
cancelled   is final.
"""

from datetime import date

from django.utils.translation import gettext as _

from tracker.errors import Conflict, ServiceError

from .models import WorkStatus

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
