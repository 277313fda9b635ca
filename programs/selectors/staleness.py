"""One definition of "stale", shared by the reminders and the reports.

A milestone in progress or an active initiative is stale when its last status update (or,
without one, the day it was created) lies at least its threshold days back. The threshold is
the initiative's own `reminder_stale_after_days`, else the REMINDER_STALE_AFTER_DAYS setting;
a milestone follows its initiative's.
"""

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db.models import Max, Q, QuerySet, Value
from django.db.models.functions import Coalesce, TruncDate

from ..models import Initiative, Milestone, StatusUpdate
from .history import start_of


def stale_after_days(initiative: Initiative) -> int:
    return initiative.reminder_stale_after_days or settings.REMINDER_STALE_AFTER_DAYS


def stale_thresholds() -> set[int]:
    """Every threshold in use: the setting's and the initiatives' own."""
    return {settings.REMINDER_STALE_AFTER_DAYS, *Initiative.objects.exclude(
        reminder_stale_after_days=None).values_list("reminder_stale_after_days", flat=True)}


def with_stale_reference(queryset: QuerySet[Milestone] | QuerySet[Initiative], *,
                         initiative_path: str = "") -> QuerySet[Any]:
    """`queryset` (milestones or initiatives) annotated with `last_update`, `stale_since`
    (the last update, else the creation day) and `stale_threshold`. `initiative_path` leads
    from a row to its initiative ("initiative__" for milestones)."""
    # Any: the rows carry the three annotations, which the model type does not know of.
    annotated: QuerySet[Any] = queryset.annotate(
        last_update=Max("status_updates__reported_on"),
        stale_since=Coalesce("last_update", TruncDate("created_at")),
        stale_threshold=Coalesce(f"{initiative_path}reminder_stale_after_days",
                                 Value(settings.REMINDER_STALE_AFTER_DAYS)),
    )
    return annotated


def may_be_stale_since(days: Collection[date]) -> Q:
    """Milestones whose stale reference can be one of `days`: those with a status update on
    one of them, or created on one. A narrowing the indexes serve, so that the reminder sweep
    reads the milestones that may fall due, not every one in progress; with_stale_reference's
    `stale_since` decides."""
    updated = StatusUpdate.objects.filter(reported_on__in=days, milestone__isnull=False)
    created_on_a_day = reduce(or_, (Q(created_at__gte=start_of(day),
                                      created_at__lt=start_of(day + timedelta(days=1)))
                                    for day in days), Q(pk__in=[]))
    return Q(pk__in=updated.values("milestone_id")) | created_on_a_day


def stale_as_of(as_of: date, thresholds: Iterable[int] | None = None) -> Q:
    """A filter for rows annotated by `with_stale_reference`: stale on `as_of`."""
    return reduce(or_, (Q(stale_threshold=days, stale_since__lte=as_of - timedelta(days=days))
                        for days in thresholds or stale_thresholds()))
