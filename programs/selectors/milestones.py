"""What "overdue", "slipped" and "in a place" mean for a milestone, in one place."""

from django.db.models import F, Q

from ..models import CLOSED_STATUSES

# A milestone is in a country, region or field through its initiative (or its project).
PLACE_PATHS = {
    "country": ("initiative__countries", "project__countries"),
    "region": ("initiative__countries__region", "project__countries__region"),
    "field": ("initiative__fields",),
}


def overdue_on(day):
    """Open milestones whose planned date has passed by `day`."""
    return Q(planned_due_on__lt=day) & ~Q(status__in=CLOSED_STATUSES)


def is_overdue(milestone, day):
    return milestone.status not in CLOSED_STATUSES and milestone.planned_due_on < day


SLIPPED = Q(planned_due_on__gt=F("baseline_due_on"))


def in_place(kind, value):
    condition = Q()
    for path in PLACE_PATHS[kind]:
        condition |= Q(**{path: value})
    return condition
