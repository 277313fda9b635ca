"""Who made a change, and why: django-simple-history reads both off the instance when it
writes the history row of the next save or delete."""

from django.db.models import Model

# The reason recorded with what loading the seed data changed (no person changed it).
SEED_REASON = "seed"


def attribute_change(obj: Model, *, by: Model | None = None, reason: str = "") -> None:
    # Attributes simple-history looks for; the model classes do not declare them.
    if by is not None:
        obj._history_user = by  # type: ignore[attr-defined]
    if reason:
        obj._change_reason = reason  # type: ignore[attr-defined]
