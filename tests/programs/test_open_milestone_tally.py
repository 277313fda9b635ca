"""The open-work tally behind "overdue in a place": after every kind of write, to the
milestones and to the links that put them in places, it equals a count of the open milestones
themselves, and overdue_count gives what counting them would.

Runs on SQLite locally and on PostgreSQL in CI: the triggers are written once for each.
"""

import random
from datetime import date, timedelta

import pytest

from programs.models import Milestone, Project
from programs.selectors.milestones import TALLY_PLACES, in_place, overdue_count, overdue_on
from programs.services.milestones import milestone_create, milestone_delete, milestone_update
from tests.factories import (
    CountryFactory,
    InitiativeFactory,
    MilestoneFactory,
    ProjectFactory,
    RegionFactory,
    StrategicFieldFactory,
)
from tests.support.tallies import assert_open_tally_agrees, kept_in_open_tally

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 15)


def days(n):
    return TODAY + timedelta(days=n)


@pytest.fixture
def places():
    asia, europe = RegionFactory(code="ASIA"), RegionFactory(code="EUROPE")
    return {"asia": asia, "europe": europe, "vn": CountryFactory(iso2="VN", region=asia),
            "th": CountryFactory(iso2="TH", region=asia),
            "de": CountryFactory(iso2="DE", region=europe),
            "un": CountryFactory(iso2="XA", region=None), "gx": StrategicFieldFactory()}


@pytest.fixture
def work(places, officer):
    initiative = InitiativeFactory(owner=officer)
    initiative.countries.set([places["vn"]])
    initiative.fields.set([places["gx"]])
    project = ProjectFactory(initiative=initiative)
    project.countries.set([places["vn"], places["th"]])  # VN twice: counted once
    return initiative, project


def assert_counts_as_counted(places):
    for place in [None, *places.values()]:
        counted = Milestone.objects.filter(overdue_on(TODAY))
        if place is not None:
            counted = counted.filter(in_place(TALLY_PLACES[type(place)], place))
        assert overdue_count(TODAY, place) == counted.count(), place


def test_the_tally_follows_every_write_to_milestones(work, officer, places):
    initiative, project = work
    late = MilestoneFactory(initiative=initiative, project=project, planned_due_on=days(-3),
                            status="in_progress")
    MilestoneFactory.create_batch(2, initiative=initiative, planned_due_on=days(-3))
    created = milestone_create(initiative=initiative, by=officer, data={
        "title_ja": "報告書の提出", "project": project, "planned_due_on": days(5),
        "owner": officer})
    MilestoneFactory(initiative=initiative, planned_due_on=days(-9), status="done",
                     completed_on=days(-9), percent_complete=100)
    assert_open_tally_agrees()
    assert_counts_as_counted(places)
    assert overdue_count(TODAY, places["th"]) == 1  # through the project only
    assert overdue_count(TODAY, places["asia"]) == 3  # VN and TH: one region, counted once

    # Done leaves the open work, reopened comes back; a new date moves it between days.
    milestone_update(milestone=late, by=officer, data={"status": "done",
                                                       "completed_on": days(-1)})
    assert overdue_count(TODAY, places["th"]) == 0
    milestone_update(milestone=Milestone.objects.get(pk=late.pk), by=officer,
                     data={"status": "in_progress"})
    milestone_update(milestone=created, by=officer, data={"planned_due_on": days(-1)})
    assert_open_tally_agrees()
    assert overdue_count(TODAY, places["th"]) == 2

    # A queryset's update and a move to another initiative, and deletes.
    other = InitiativeFactory(owner=officer)
    other.countries.set([places["de"]])
    Milestone.objects.filter(pk=created.pk).update(initiative=other, project=None)
    Milestone.objects.filter(initiative=initiative, completed_on=None).update(status="cancelled")
    assert_open_tally_agrees()
    assert_counts_as_counted(places)
    assert overdue_count(TODAY, places["europe"]) == 1
    milestone_delete(milestone=Milestone.objects.get(pk=created.pk), by=officer)
    Milestone.objects.all().delete()
    assert kept_in_open_tally() == {}
    assert_counts_as_counted(places)


def test_the_tally_follows_the_links_that_put_work_in_places(work, officer, places):
    initiative, project = work
    MilestoneFactory(initiative=initiative, project=project, planned_due_on=days(-3))
    MilestoneFactory(initiative=initiative, planned_due_on=days(-30))
    MilestoneFactory(initiative=initiative, planned_due_on=days(10))
    assert overdue_count(TODAY, places["de"]) == 0

    initiative.countries.add(places["de"])
    project.countries.remove(places["vn"])  # still in VN through its initiative
    assert_open_tally_agrees()
    assert overdue_count(TODAY, places["de"]) == 2
    assert overdue_count(TODAY, places["vn"]) == 2

    initiative.countries.set([places["un"]])  # VN and DE out, a country of no region in
    project.countries.clear()
    initiative.fields.clear()
    assert_open_tally_agrees()
    assert_counts_as_counted(places)
    assert overdue_count(TODAY, places["asia"]) == 0

    # A country moved to another region takes its work with it.
    initiative.countries.add(places["th"])
    places["th"].region = places["europe"]
    places["th"].save()
    assert_open_tally_agrees()
    assert (overdue_count(TODAY, places["asia"]), overdue_count(TODAY, places["europe"])) == (
        0, 2)

    # A project deleted (its links with it) once its milestones have gone, then the initiative.
    project.countries.add(places["vn"])
    Milestone.objects.filter(project=project).delete()
    Project.objects.filter(pk=project.pk).delete()
    assert_open_tally_agrees()
    assert overdue_count(TODAY, places["vn"]) == 0
    Milestone.objects.all().delete()
    initiative.delete()
    assert kept_in_open_tally() == {}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_tally_stays_exact_through_any_mix_of_writes(seed, places, officer):
    """Random writes of every kind, interleaved (a fixed seed each, so a failure repeats):
    the tally ends equal to a count of the milestones as they are."""
    rng = random.Random(seed)
    countries = [places[iso] for iso in ("vn", "th", "de", "un")]
    initiatives = [InitiativeFactory(owner=officer) for _ in range(3)]
    projects = [ProjectFactory(initiative=rng.choice(initiatives)) for _ in range(3)]
    milestones = []

    def new_milestone():
        project = rng.choice([None, *projects])
        initiative = project.initiative if project else rng.choice(initiatives)
        milestones.append(MilestoneFactory(initiative=initiative, project=project,
                                           planned_due_on=days(rng.randint(-20, 20))))

    def change_a_milestone():
        chosen = Milestone.objects.filter(pk=rng.choice(milestones).pk)
        status = rng.choice(["not_started", "in_progress", "blocked", "done", "cancelled"])
        done = status == "done"
        chosen.update(status=status, completed_on=days(0) if done else None,
                      percent_complete=100 if done else 0,
                      planned_due_on=days(rng.randint(-20, 20)))

    def delete_a_milestone():
        Milestone.objects.filter(pk=milestones.pop(rng.randrange(len(milestones))).pk).delete()

    def move_a_link():
        owner = rng.choice([*initiatives, *projects])
        if owner in initiatives and rng.random() < 0.3:
            links, choices = owner.fields, [places["gx"]]
        else:
            links, choices = owner.countries, countries
        chosen = rng.sample(choices, rng.randint(0, len(choices)))
        operation = rng.choice(["set", "add", "remove"])
        if operation == "set":
            links.set(chosen)
        else:
            getattr(links, operation)(*chosen)

    def move_a_country():
        country = rng.choice(countries)
        country.region = rng.choice([places["asia"], places["europe"], None])
        country.save()

    for _ in range(5):
        new_milestone()
    writes = [new_milestone, change_a_milestone, delete_a_milestone, move_a_link,
              move_a_country]
    for _ in range(40):
        write = rng.choice(writes)
        if write is not delete_a_milestone or milestones:
            write()
    assert_open_tally_agrees()
    assert_counts_as_counted(places)
