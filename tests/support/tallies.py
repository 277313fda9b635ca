"""The milestone tallies as kept, and as a count of the milestones themselves would make them."""

from collections import Counter, defaultdict

from programs.models import (
    CLOSED_STATUSES,
    Milestone,
    MilestoneMonthTally,
    MilestoneTally,
    OpenMilestoneTally,
)

COUNTS = ("total", "status_not_started", "status_in_progress", "status_blocked",
          "status_done", "status_cancelled", "health_green", "health_amber", "health_red",
          "slipped", "slip_days", "percent_sum")


def counted_from_milestones():
    """(tallies, month tallies) as the milestones are now, counted in Python."""
    groups: dict[tuple[int, int], Counter] = defaultdict(Counter)
    months: Counter = Counter()
    for m in Milestone.objects.all():
        group = groups[m.initiative_id, m.project_id or 0]
        group.update(total=1, **{f"status_{m.status}": 1, f"health_{m.health}": 1})
        group["percent_sum"] += m.percent_complete
        if m.planned_due_on > m.baseline_due_on:
            group.update(slipped=1, slip_days=m.slip_days)
        months[m.initiative_id, "planned", m.planned_due_on.replace(day=1)] += 1
        if m.completed_on:
            months[m.initiative_id, "done", m.completed_on.replace(day=1)] += 1
    return ({key: {name: group[name] for name in COUNTS} for key, group in groups.items()},
            dict(months))


def kept_in_tallies():
    groups = {(t.initiative_id, t.project_key): {name: getattr(t, name) for name in COUNTS}
              for t in MilestoneTally.objects.all()}
    months = {(t.initiative_id, t.series, t.month): t.n
              for t in MilestoneMonthTally.objects.all()}
    return groups, months


def assert_tallies_agree():
    assert kept_in_tallies() == counted_from_milestones()


def open_counted_from_milestones():
    """{(place kind, place id, planned day): open milestones} as the milestones and their
    links are now, counted in Python."""
    counts: Counter = Counter()
    open_work = Milestone.objects.exclude(status__in=CLOSED_STATUSES).select_related(
        "initiative", "project").prefetch_related(
        "initiative__countries__region", "initiative__fields", "project__countries__region")
    for m in open_work:
        countries = {*m.initiative.countries.all(), *(m.project.countries.all() if m.project
                                                      else ())}
        places = {("all", 0), *(("country", c.pk) for c in countries),
                  *(("region", c.region_id) for c in countries if c.region_id),
                  *(("field", f.pk) for f in m.initiative.fields.all())}
        counts.update((kind, place, m.planned_due_on) for kind, place in places)
    return dict(counts)


def kept_in_open_tally():
    """The open-work tally, its rows at zero left out (they stay, counting nothing)."""
    return {(t.place_kind, t.place_id, t.planned_due_on): t.n
            for t in OpenMilestoneTally.objects.exclude(n=0)}


def assert_open_tally_agrees():
    assert kept_in_open_tally() == open_counted_from_milestones()
