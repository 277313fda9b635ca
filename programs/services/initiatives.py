from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AnyUser, User
from tracker.errors import ServiceError

from ..models import Health, Initiative
from ..models.initiative import PATH_SEPARATOR
from ..selectors.access import can_edit_initiative_record, is_administrator
from .common import (
    check_version,
    reject_unknown_fields,
    require,
    save_with_history,
    validate_work_owner,
)

# What an initiative's owner may change; administrators may also rename and move it. The code
# never changes: reports, exports and other systems refer to it.
OWNER_FIELDS = ("summary_ja", "summary_en", "status", "start_on", "end_on", "members",
                "health", "health_note", "reminder_due_soon_days", "reminder_stale_after_days",
                "reminder_owner_limit")
ADMINISTRATOR_FIELDS = (
    *OWNER_FIELDS, "name_ja", "name_en", "parent", "lead_organisation", "owner", "aliases",
    "countries", "fields", "source_quote", "reviews_exporter_registrations",
)
MANY_TO_MANY_FIELDS = ("members", "countries", "fields")


def initiative_fields_writable_by(user: AnyUser, initiative: Initiative) -> tuple[str, ...]:
    """The fields `user` may change on `initiative` (initiative_update; the API's form)."""
    if not can_edit_initiative_record(user, initiative):
        return ()
    return ADMINISTRATOR_FIELDS if is_administrator(user) else OWNER_FIELDS


def initiative_path(code: str, parent: Initiative | None) -> str:
    return f"{parent.path}{PATH_SEPARATOR}{code}" if parent else code


def _split_many_to_many(
        data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    plain = {k: v for k, v in data.items() if k not in MANY_TO_MANY_FIELDS}
    related = {k: v for k, v in data.items() if k in MANY_TO_MANY_FIELDS}
    return plain, related


@transaction.atomic
def initiative_create(*, by: User, code: str, data: Mapping[str, Any]) -> Initiative:
    require(is_administrator(by))
    reject_unknown_fields(data, ADMINISTRATOR_FIELDS)
    plain, related = _split_many_to_many(data)
    initiative = Initiative(code=code, **plain)
    validate_work_owner(initiative.owner)
    if "health" in plain or "health_note" in plain:
        _apply_health(initiative, by=by)
    initiative.path = initiative_path(code, initiative.parent)
    initiative.depth = initiative.parent.depth + 1 if initiative.parent else 0
    return save_with_history(initiative, by=by, related=related)


def _move(initiative: Initiative, new_parent: Initiative | None) -> None:
    """Re-root `initiative` and its subtree under `new_parent`, refusing cycles."""
    if new_parent and (new_parent.pk == initiative.pk or new_parent.path.startswith(
            initiative.path + PATH_SEPARATOR)):
        raise ServiceError(
            {"parent": ServiceError(
                _("An initiative cannot be placed under itself or its own descendants."),
                code="initiative_cycle",
            )}
        )
    old_path = initiative.path
    new_path = initiative_path(initiative.code, new_parent)
    depth_change = (new_parent.depth + 1 if new_parent else 0) - initiative.depth
    Initiative.objects.filter(path__startswith=old_path + PATH_SEPARATOR).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    initiative.path = new_path
    initiative.depth += depth_change


def _apply_health(initiative: Initiative, *, by: User) -> None:
    """A person's judgement of health is signed and dated; amber and red must say why."""
    initiative.health_note = (initiative.health_note or "").strip()
    if initiative.health != Health.GREEN and not initiative.health_note:
        raise ServiceError(
            {"health_note": ServiceError(
                _("Explain why the initiative is amber or red."), code="health_note_required"
            )}
        )
    initiative.health_set_by = by
    initiative.health_set_at = timezone.now()


@transaction.atomic
def initiative_update(*, initiative: Initiative, by: User, data: Mapping[str, Any],
                      expected_version: int | None = None) -> Initiative:
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    require(can_edit_initiative_record(by, locked))
    check_version(locked, expected_version)
    reject_unknown_fields(data, initiative_fields_writable_by(by, locked))
    plain, related = _split_many_to_many(data)
    new_parent = plain.pop("parent", locked.parent)
    for field, value in plain.items():
        setattr(locked, field, value)
    if "owner" in plain:
        validate_work_owner(locked.owner)
    if "health" in plain or "health_note" in plain:
        _apply_health(locked, by=by)
    if (new_parent.pk if new_parent else None) != locked.parent_id:
        _move(locked, new_parent)
        locked.parent = new_parent
    return save_with_history(locked, by=by, related=related)


def initiative_set_health(*, initiative: Initiative, health: str, note: str, by: User,
                          expected_version: int | None = None) -> Initiative:
    """Record a person's judgement of an initiative's health, with the reason for it."""
    return initiative_update(initiative=initiative, by=by, expected_version=expected_version,
                             data={"health": health, "health_note": note})
