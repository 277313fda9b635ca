"""The milestone tallies the reports sum: after every kind of write they equal a count of the
milestones themselves, and a report's figures come out the same as counted by hand.

Runs on SQLite locally and on PostgreSQL in CI: the triggers are written once for each.
"""

from datetime import date, timedelta

import pytest

from programs.models import Milestone
from programs.selectors.reports import progress_report
from programs.services.milestones import milestone_create, milestone_delete, milestone_update
from programs.services.milestones_bulk import milestones_bulk_update
from tests.factories import InitiativeFactory, MilestoneFactory, ProjectFactory
from tests.support.tallies import assert_tallies_agree, kept_in_tallies

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 11, 15)


def days(n):
    return AS_OF + timedelta(days=n)


@pytest.fixture
def work(officer):
    initiative = InitiativeFactory(owner=officer)
    return initiative, ProjectFactory(initiative=initiative), InitiativeFactory(owner=officer)


def test_the_tallies_follow_every_kind_of_write(work, officer):
    initiative, project, other = work
    # Created by a factory, by the service and in bulk.
    first = MilestoneFactory(initiative=initiative, planned_due_on=days(-3),
                             baseline_due_on=days(-10), status="in_progress",
                             health="amber", percent_complete=30)
    MilestoneFactory.create_batch(3, initiative=initiative, project=project,
                                  planned_due_on=days(40))
    created = milestone_create(initiative=initiative, by=officer, data={
        "title_ja": "報告書の提出", "project": project, "planned_due_on": days(5),
        "owner": officer})
    Milestone.objects.bulk_create([Milestone(
        initiative=other, title_ja="一括", owner=officer, planned_due_on=days(n),
        baseline_due_on=days(0)) for n in (-40, 2, 70)])
    assert_tallies_agree()

    # Changed by the service: done (a completion month), slipped, moved to a project.
    milestone_update(milestone=first, by=officer,
                     data={"status": "done", "completed_on": days(-1)})
    milestone_update(milestone=created, by=officer,
                     data={"planned_due_on": days(60), "health": "red"})
    milestone_update(milestone=Milestone.objects.get(pk=first.pk), by=officer,
                     data={"project": project})
    assert_tallies_agree()

    # Changed in bulk, by a queryset (as an import or a script would) and moved to another
    # initiative; a change of title alone moves no count.
    milestones_bulk_update(user=officer, milestones=Milestone.objects.filter(project=project),
                           changes={"status": "blocked"})
    Milestone.objects.filter(initiative=other).update(percent_complete=50, health="amber")
    Milestone.objects.filter(pk=created.pk).update(initiative=other, project=None)
    Milestone.objects.filter(initiative=initiative).update(title_ja="改題")
    assert_tallies_agree()

    # Deleted by the service and by a queryset.
    milestone_delete(milestone=created, by=officer)
    Milestone.objects.filter(initiative=other, planned_due_on=days(70)).delete()
    assert_tallies_agree()
    Milestone.objects.all().delete()
    assert kept_in_tallies() == ({}, {})


def test_a_report_counts_as_the_milestones_say_after_they_change(work, officer):
    initiative, project, _other = work
    overdue = MilestoneFactory(initiative=initiative, project=project, planned_due_on=days(-5),
                               baseline_due_on=days(-9), status="in_progress")
    MilestoneFactory(initiative=initiative, planned_due_on=days(10))
    figures = progress_report(as_of=AS_OF)["milestones"]
    assert (figures["total"], figures["overdue"], figures["due_soon"]) == (2, 1, 1)
    assert figures["slipped"] == {"count": 1, "total_days": 4, "worst_days": 4}

    milestone_update(milestone=overdue, by=officer,
                     data={"status": "done", "completed_on": days(-1)})
    figures = progress_report(as_of=AS_OF)["milestones"]
    assert (figures["overdue"], figures["by_status"]["done"]) == (0, 1)
    assert figures["percent_complete"] == 50.0  # 100 and 0


def test_the_burn_up_leaves_out_work_done_after_the_report_date(work):
    initiative, _project, _other = work
    for completed in (days(-10), days(-1), days(3), days(20)):  # 5, 14, 18 Nov and 5 Dec
        MilestoneFactory(initiative=initiative, planned_due_on=completed, status="done",
                         completed_on=completed, percent_complete=100)
    points = {p["month"]: p for p in progress_report(as_of=AS_OF)["burn_up"]}
    assert (points["2026-11"]["planned"], points["2026-11"]["done"]) == (3, 2)
    assert points["2026-12"] == {"month": "2026-12", "planned": 4, "done": None}
