"""Helpers every write service uses: one way to validate, attribute and save a change."""

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from tracker.errors import ServiceError, StaleVersion
from tracker.history import attribute_change

from ..models.versioning import Versioned
from ..selectors.access import may_own_work

M = TypeVar("M", bound=Model)


def check_version(locked: Versioned, expected_version: int | None) -> None:
    """Refuse a write based on an outdated copy. Call it on a row locked with
    select_for_update, so the comparison and the write are one step."""
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(locked.version)


def today() -> date:
    return timezone.localdate()


def reject_unknown_fields(data: Mapping[str, Any], allowed: Collection[str]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ServiceError(
            _("These fields cannot be changed here: %(fields)s"),
            code="field_not_writable", params={"fields": ", ".join(unknown)},
        )


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You may not change this item."))


def validate_work_owner(owner: User | None) -> None:
    if owner is None:
        return
    if not may_own_work(owner):
        raise ServiceError(
            {"owner": ServiceError(
                _("The owner must be an active programme officer or administrator."),
                code="invalid_owner",
            )}
        )


def save_with_history(obj: M, *, by: User, reason: str = "",
                      related: Mapping[str, Any] | None = None) -> M:
    """Validate `obj` against its fields and database constraints, then save it so that the
    history row names `by` as the author of the change. `related` ({many-to-many field:
    values}) belongs to the same change: set without history rows of its own (simple-history
    writes one per addition and per removal: a company saw four identical rows for one save),
    and, for a record that exists, before the save, so that its one row holds them."""
    obj.full_clean()
    creating = obj.pk is None
    if not creating and isinstance(obj, Versioned):
        obj.version += 1
    attribute_change(obj, by=by, reason=reason)
    if not creating:
        _set_related(obj, related or {})
    obj.save()
    if creating:
        _set_related(obj, related or {})
    return obj


def _set_related(obj: Model, related: Mapping[str, Any]) -> None:
    obj.skip_history_when_saving = True  # type: ignore[attr-defined]  # simple-history's flag
    try:
        for field, values in related.items():
            getattr(obj, field).set(values)
    finally:
        del obj.skip_history_when_saving  # type: ignore[attr-defined]
