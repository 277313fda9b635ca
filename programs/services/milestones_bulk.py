"""Bulk edit: the same change to many milestones, each row through the single-milestone
service (rights, version, workflow), each in its own savepoint, so that one refused row
leaves the others changed and is reported with its reason."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from tracker.errors import StaleVersion

from ..models import Milestone, WorkStatus
from ..selectors.access import can_edit_initiative_work
from .common import reject_unknown_fields, require
from .milestones import completion_date_of_move, milestone_update

# What a bulk edit may change; a move to done also takes a completion date (today if none).
BULK_FIELDS = ("owner", "planned_due_on", "status", "health")


@dataclass(frozen=True)
class BulkOutcome:
    """What became of one milestone: the fields changed (none: it already matched), or why
    it was refused (a stable code and a message for the reader)."""

    milestone: Milestone
    changed: tuple[str, ...] = ()
    refused_code: str = ""
    refused_message: str = ""

    @property
    def refused(self) -> bool:
        return bool(self.refused_code)


def _reason(error: ValidationError) -> tuple[str, str]:
    errors = ([e for field_errors in error.error_dict.values() for e in field_errors]
              if hasattr(error, "error_dict") else error.error_list)
    return errors[0].code or "invalid", " ".join(m for e in errors for m in e.messages)


def _differences(milestone: Milestone, changes: Mapping[str, Any]) -> dict[str, Any]:
    current = {"owner": milestone.owner_id, "planned_due_on": milestone.planned_due_on,
               "status": milestone.status, "health": milestone.health}
    return {field: value for field, value in changes.items()
            if current[field] != (value.pk if field == "owner" else value)}


@transaction.atomic
def milestones_bulk_update(*, user: User, milestones: Iterable[Milestone],
                           changes: Mapping[str, Any], completed_on: date | None = None,
                           opened_versions: Mapping[int, int] | None = None,
                           ) -> list[BulkOutcome]:
    """Apply `changes` (some of BULK_FIELDS) to each of `milestones` as `user`. A milestone
    whose version differs from the one in `opened_versions` (what the editor saw) is
    refused, as one changed since is."""
    reject_unknown_fields(changes, BULK_FIELDS)
    opened_versions = opened_versions or {}
    outcomes = []
    for milestone in milestones:
        data = _differences(milestone, changes)
        if data.get("status") == WorkStatus.DONE:
            data["completed_on"] = completion_date_of_move(
                current=milestone.status, to=WorkStatus.DONE, completed_on=completed_on)
        try:
            with transaction.atomic():
                if data:
                    milestone_update(milestone=milestone, by=user, data=data,
                                     expected_version=opened_versions.get(milestone.pk))
                else:  # already as asked: still only "unchanged" for those who may change it
                    require(can_edit_initiative_work(user, milestone.initiative))
        except PermissionDenied:
            outcomes.append(BulkOutcome(milestone, refused_code="permission_denied",
                                        refused_message=_("You may not change this item.")))
        except StaleVersion:
            outcomes.append(BulkOutcome(milestone, refused_code="stale_version", refused_message=_(
                "Someone else changed it after you selected it: open it to see their change.")))
        except ValidationError as error:
            code, message = _reason(error)
            outcomes.append(BulkOutcome(milestone, refused_code=code, refused_message=message))
        else:
            outcomes.append(BulkOutcome(milestone, changed=tuple(
                field for field in data if field != "completed_on")))
    return outcomes
