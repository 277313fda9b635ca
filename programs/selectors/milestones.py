"""What "overdue", "slipped" and "in a place" mean for a milestone, in one place."""

from django.db.models import F, Q

from ..models import CLOSED_STATUSES, Initiative, Project

# A milestone is in a country or region through its initiative or its project, and in a
# strategic field through its initiative.
PLACE_LOOKUPS = {"country": "countries", "region": "countries__region", "field": "fields"}


def overdue_on(day):
    """Open milestones whose planned date has passed by `day`."""
    return Q(planned_due_on__lt=day) & ~Q(status__in=CLOSED_STATUSES)


def is_overdue(milestone, day):
    return milestone.status not in CLOSED_STATUSES and milestone.planned_due_on < day


SLIPPED = Q(planned_due_on__gt=F("baseline_due_on"))


def in_place(kind, value):
    # Two small id sets the planner hashes, rather than joins through the link tables that
    # multiply the milestones and need a DISTINCT.
    lookup = {PLACE_LOOKUPS[kind]: value}
    condition = Q(initiative__in=Initiative.objects.filter(**lookup).values("pk"))
    if kind != "field":
        condition |= Q(project__in=Project.objects.filter(**lookup).values("pk"))
    return condition
