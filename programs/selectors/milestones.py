"""What "overdue", "slipped" and "in a place" mean for a milestone, in one place."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Q, Sum, Value

from ..models import (
    CLOSED_STATUSES,
    Country,
    Initiative,
    Milestone,
    OpenMilestoneTally,
    Project,
    Region,
    StrategicField,
    TallyPlace,
)
from ..models.milestone import SLIPPED_WORK
from ..models.tally import NO_PLACE

# A milestone is in a country or region through its initiative or its project, and in a
# strategic field through its initiative: the lookup of each kind of place on the link tables.
PLACE_LOOKUPS = {"country": "country", "region": "country__region", "field": "strategicfield"}
# The open-work tally's kind of each place.
TALLY_PLACES = {Country: TallyPlace.COUNTRY, Region: TallyPlace.REGION,
                StrategicField: TallyPlace.FIELD}


def overdue_on(day: date) -> Q:
    """Open milestones whose planned date has passed by `day`."""
    return Q(planned_due_on__lt=day) & ~Q(status__in=CLOSED_STATUSES)


def overdue_count(day: date, place: Country | Region | StrategicField | None = None) -> int:
    """How many milestones are overdue on `day` in `place` (None: anywhere), as
    overdue_on and in_place would count them: a sum over the open-work tally's days before
    `day`, however many milestones there are."""
    if place is None:
        kind, place_id = TallyPlace.ALL, NO_PLACE
    else:
        kind, place_id = TALLY_PLACES[type(place)], place.pk
    return OpenMilestoneTally.objects.filter(
        place_kind=kind, place_id=place_id, planned_due_on__lt=day,
    ).aggregate(n=Sum("n"))["n"] or 0


def is_overdue(milestone: Milestone, day: date) -> bool:
    return is_overdue_row(milestone.status, milestone.planned_due_on, day)


def is_overdue_row(status: str, planned_due_on: date, day: date) -> bool:
    """is_overdue, for a milestone read as values."""
    return status not in CLOSED_STATUSES and planned_due_on < day


def due_within(day: date, days: int) -> Q:
    """Open milestones planned from `day` to `days` days after it."""
    return ~Q(status__in=CLOSED_STATUSES) & Q(planned_due_on__gte=day,
                                               planned_due_on__lte=day + timedelta(days=days))


SLIPPED = SLIPPED_WORK  # planned later than the baseline


def in_place(kind: str, value: object) -> Q:
    # Two small id sets the planner hashes, rather than joins through the link tables that
    # multiply the milestones and need a DISTINCT; read from the link tables alone (not
    # joined back to the initiatives and projects, one index probe per link).
    lookup = {PLACE_LOOKUPS[kind]: value}
    if kind == "field":
        return Q(initiative__in=Initiative.fields.through.objects.filter(**lookup).values(
            "initiative_id"))
    return (Q(initiative__in=Initiative.countries.through.objects.filter(**lookup).values(
        "initiative_id"))
        | Q(project__in=Project.countries.through.objects.filter(**lookup).values("project_id")))


def countries_of(milestones: Iterable[tuple[int, int, int | None]]) -> dict[int, list[str]]:
    """{milestone id: ISO codes of the countries it is in (its initiative's and its
    project's)}, for a page of milestones given as (id, initiative id, project id), in one
    query."""
    milestones = list(milestones)
    initiative_ids = {initiative_id for _id, initiative_id, _project_id in milestones}
    project_ids = {project_id for _id, _initiative_id, project_id in milestones if project_id}
    of_initiatives = Initiative.countries.through.objects.order_by().filter(
        initiative_id__in=initiative_ids).values_list(
        Value("initiative"), "initiative_id", "country__iso2")
    of_projects = Project.countries.through.objects.order_by().filter(
        project_id__in=project_ids).values_list(Value("project"), "project_id", "country__iso2")
    found: defaultdict[tuple[str, int | None], set[str]] = defaultdict(set)
    for kind, owner_id, iso2 in of_initiatives.union(of_projects, all=True):
        found[kind, owner_id].add(iso2)
    return {milestone_id: sorted(found["initiative", initiative_id]
                                 | found["project", project_id])
            for milestone_id, initiative_id, project_id in milestones}
