from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AnyUser, User
from tracker.errors import ServiceError
from tracker.history import attribute_change

from ..models import Initiative, Milestone, Project, WebhookEvent, WorkStatus
from ..selectors.access import can_edit_initiative_work, is_administrator
from ..workflow import check_transition
from .common import (
    check_version,
    reject_unknown_fields,
    require,
    save_with_history,
    today,
    validate_work_owner,
)
from .webhooks import webhook_event_emit

# What an officer may change on a milestone. Status moves are checked by the workflow; the
# baseline is the commitment slips are measured against, so only administrators re-baseline.
OFFICER_FIELDS = (
    "title_ja", "title_en", "description", "owner", "project", "planned_due_on",
    "status", "completed_on", "health", "percent_complete",
)
ADMINISTRATOR_FIELDS = (*OFFICER_FIELDS, "baseline_due_on")


def milestone_fields_writable_by(user: AnyUser, milestone: Milestone) -> tuple[str, ...]:
    """The fields `user` may change on `milestone` (milestone_update; the API's form)."""
    if not can_edit_initiative_work(user, milestone.initiative):
        return ()
    return ADMINISTRATOR_FIELDS if is_administrator(user) else OFFICER_FIELDS


def validate_project_in_initiative(*, project: Project | None,
                                   initiative: Initiative | None) -> None:
    """A milestone's project (if any) is one of its initiative's. The admin's form asks this
    too, to show the reason next to the field."""
    if project is not None and initiative is not None and project.initiative_id != initiative.pk:
        raise ServiceError(
            {"project": ServiceError(
                _("The project belongs to another initiative."), code="project_outside_initiative"
            )}
        )


def completion_date_of_move(*, current: str, to: str, completed_on: date | None) -> date | None:
    """The completion date a move into done carries when none was given: today, as the admin's
    page and its bulk edit take it (the API asks for the date instead)."""
    if to == WorkStatus.DONE and current != WorkStatus.DONE and completed_on is None:
        return today()
    return completed_on


def resolve_status_change(*, current: str, to: str, completed_on: date | None,
                          percent_complete: int) -> tuple[date | None, int]:
    """The completion date and percentage a milestone carries after moving `current -> to`.

    Raises ServiceError (Conflict) for a move the workflow forbids. Done means 100 %.
    """
    completed_on = check_transition(
        current=current, to=to, completed_on=completed_on, today=today()
    )
    return completed_on, 100 if to == WorkStatus.DONE else percent_complete


def check_completion_date_needs_done(*, status: str, data: Mapping[str, Any]) -> None:
    """A completion date given for work that is not done is refused, not dropped (an officer
    typed one for an unfinished milestone, saw it saved, and the date gone)."""
    if data.get("completed_on") is not None and status != WorkStatus.DONE:
        raise ServiceError({"completed_on": ServiceError(
            _("A completion date is for finished work: set the status to done, or clear the "
              "date."), code="completion_date_not_done")})


def check_percent_agrees_with_status(*, status: str, percent_complete: int) -> None:
    """Done means 100 %: a percentage typed next to "done" that says otherwise is refused
    rather than silently replaced. (Choosing "done" without typing one sets 100.)"""
    if status == WorkStatus.DONE and percent_complete != 100:
        raise ServiceError(
            {"percent_complete": ServiceError(
                _("A done milestone is 100 %% complete, not %(percent)s %%. Enter 100, or "
                  "keep the milestone open until the work is finished."),
                code="percent_disagrees_with_status", params={"percent": percent_complete},
            )}
        )


def _apply_status(milestone: Milestone, *, previous_status: str,
                  completed_on: date | None) -> None:
    milestone.completed_on, milestone.percent_complete = resolve_status_change(
        current=previous_status, to=milestone.status, completed_on=completed_on,
        percent_complete=milestone.percent_complete,
    )


@transaction.atomic
def milestone_create(*, initiative: Initiative, by: User, data: Mapping[str, Any],
                     reason: str = "") -> Milestone:
    """Add a milestone to `initiative`. `reason` goes into the history (e.g. the imported
    file it came from)."""
    require(can_edit_initiative_work(by, initiative))
    reject_unknown_fields(data, ADMINISTRATOR_FIELDS)
    milestone = Milestone(initiative=initiative, **data)
    if milestone.baseline_due_on is None:
        milestone.baseline_due_on = milestone.planned_due_on
    if milestone.owner_id is None:
        milestone.owner_id = initiative.owner_id  # a new milestone is its initiative owner's
    if "percent_complete" in data:
        check_percent_agrees_with_status(status=milestone.status,
                                         percent_complete=milestone.percent_complete)
    validate_work_owner(milestone.owner if milestone.owner_id else None)
    validate_project_in_initiative(project=milestone.project, initiative=initiative)
    _apply_status(milestone, previous_status=WorkStatus.NOT_STARTED,
                  completed_on=data.get("completed_on"))
    check_completion_date_needs_done(status=milestone.status, data=data)
    saved = save_with_history(milestone, by=by, reason=reason)
    webhook_event_emit(kind=WebhookEvent.MILESTONE_CHANGED, resource=saved)
    return saved


@transaction.atomic
def milestone_update(*, milestone: Milestone, by: User, data: Mapping[str, Any],
                     expected_version: int | None = None, reason: str = "") -> Milestone:
    """Change a milestone. The row is locked first, so two editors never interleave, and a
    change made on top of an outdated copy (`expected_version`) is refused. `reason` goes
    into the history."""
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    require(can_edit_initiative_work(by, locked.initiative))
    check_version(locked, expected_version)
    reject_unknown_fields(data, milestone_fields_writable_by(by, locked))
    previous_status = locked.status
    for field, value in data.items():
        setattr(locked, field, value)
    if "owner" in data:
        validate_work_owner(locked.owner)
    if "percent_complete" in data:
        check_percent_agrees_with_status(status=locked.status,
                                         percent_complete=locked.percent_complete)
    validate_project_in_initiative(project=locked.project, initiative=locked.initiative)
    _apply_status(locked, previous_status=previous_status,
                  completed_on=data.get("completed_on", locked.completed_on))
    check_completion_date_needs_done(status=locked.status, data=data)
    saved = save_with_history(locked, by=by, reason=reason)
    webhook_event_emit(kind=WebhookEvent.MILESTONE_CHANGED, resource=saved)
    if saved.status != previous_status:
        webhook_event_emit(kind=WebhookEvent.MILESTONE_STATUS_CHANGED, resource=saved)
    return saved


def milestone_transition(*, milestone: Milestone, to: str, by: User,
                         completed_on: date | None = None,
                         expected_version: int | None = None) -> Milestone:
    data: dict[str, Any] = {"status": to}
    if completed_on is not None:
        data["completed_on"] = completed_on
    return milestone_update(milestone=milestone, by=by, data=data,
                            expected_version=expected_version)


@transaction.atomic
def milestone_delete(*, milestone: Milestone, by: User,
                     expected_version: int | None = None) -> None:
    """Remove a milestone entered by mistake; its history keeps the record of it."""
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    require(can_edit_initiative_work(by, locked.initiative))
    check_version(locked, expected_version)
    # Its status updates go with it; a colleague's narrative is not ours to delete.
    if not is_administrator(by) and locked.status_updates.exclude(author=by).exists():
        raise ServiceError(
            _("Colleagues have written status updates on this milestone: cancel it instead."),
            code="has_colleagues_updates")
    attribute_change(locked, by=by)
    # Sent with its last state (`deleted`: true): once deleted, no one may see it to be told.
    webhook_event_emit(kind=WebhookEvent.MILESTONE_CHANGED, resource=locked, deleted=True)
    locked.delete()

