from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from programs.models import Milestone, WorkStatus
from programs.services.milestones import (
    milestone_create,
    milestone_transition,
    milestone_update,
)
from tests.factories import MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def error_codes(excinfo):
    error = excinfo.value
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


@pytest.fixture
def milestone(own_initiative):
    return MilestoneFactory(initiative=own_initiative)


def test_officer_moves_a_milestone_through_the_workflow_to_done(milestone, officer):
    milestone_transition(milestone=milestone, to=WorkStatus.IN_PROGRESS, by=officer)
    milestone_transition(milestone=milestone, to=WorkStatus.DONE, by=officer,
                         completed_on=TODAY())
    milestone.refresh_from_db()
    assert milestone.status == WorkStatus.DONE
    assert milestone.completed_on == TODAY()
    assert milestone.percent_complete == 100


@pytest.mark.parametrize("start, to", [
    (WorkStatus.NOT_STARTED, WorkStatus.DONE),
    (WorkStatus.BLOCKED, WorkStatus.DONE),
    (WorkStatus.CANCELLED, WorkStatus.IN_PROGRESS),
    (WorkStatus.DONE, WorkStatus.BLOCKED),
])
def test_a_move_the_workflow_forbids_is_refused_and_nothing_changes(officer, own_initiative,
                                                                      start, to):
    completed = TODAY() if start == WorkStatus.DONE else None
    milestone = MilestoneFactory(initiative=own_initiative, status=start, completed_on=completed,
                                 percent_complete=100 if completed else 0)
    with pytest.raises(ValidationError) as excinfo:
        milestone_transition(milestone=milestone, to=to, by=officer, completed_on=TODAY())
    assert error_codes(excinfo) == {"invalid_transition"}
    assert Milestone.objects.get(pk=milestone.pk).status == start


def test_done_needs_a_completion_date(milestone, officer):
    milestone_transition(milestone=milestone, to=WorkStatus.IN_PROGRESS, by=officer)
    with pytest.raises(ValidationError) as excinfo:
        milestone_transition(milestone=milestone, to=WorkStatus.DONE, by=officer)
    assert error_codes(excinfo) == {"completion_date_required"}
    assert Milestone.objects.get(pk=milestone.pk).status == WorkStatus.IN_PROGRESS


def test_a_completion_date_in_the_future_is_refused(milestone, officer):
    milestone_transition(milestone=milestone, to=WorkStatus.IN_PROGRESS, by=officer)
    with pytest.raises(ValidationError) as excinfo:
        milestone_transition(milestone=milestone, to=WorkStatus.DONE, by=officer,
                             completed_on=TODAY() + timedelta(days=1))
    assert error_codes(excinfo) == {"completion_date_in_future"}


def test_reopening_a_done_milestone_clears_its_completion_date(own_initiative, officer):
    milestone = MilestoneFactory(initiative=own_initiative, status=WorkStatus.DONE,
                                 completed_on=TODAY(), percent_complete=100)
    milestone_transition(milestone=milestone, to=WorkStatus.IN_PROGRESS, by=officer)
    milestone.refresh_from_db()
    assert milestone.status == WorkStatus.IN_PROGRESS
    assert milestone.completed_on is None


def test_officer_cannot_change_another_officers_milestone(others_initiative, officer):
    milestone = MilestoneFactory(initiative=others_initiative)
    with pytest.raises(PermissionDenied):
        milestone_update(milestone=milestone, by=officer, data={"title_ja": "書き換え"})
    assert Milestone.objects.get(pk=milestone.pk).title_ja == milestone.title_ja


def test_team_member_may_change_the_initiatives_milestones(others_initiative, officer):
    others_initiative.members.add(officer)
    milestone = MilestoneFactory(initiative=others_initiative)
    milestone_update(milestone=milestone, by=officer, data={"percent_complete": 50})
    assert Milestone.objects.get(pk=milestone.pk).percent_complete == 50


def test_manager_cannot_change_milestones(milestone, manager):
    with pytest.raises(PermissionDenied):
        milestone_update(milestone=milestone, by=manager, data={"percent_complete": 10})


def test_officer_cannot_move_the_baseline(milestone, officer):
    with pytest.raises(ValidationError) as excinfo:
        milestone_update(milestone=milestone, by=officer,
                         data={"baseline_due_on": TODAY() + timedelta(days=90)})
    assert error_codes(excinfo) == {"field_not_writable"}


def test_slip_is_planned_minus_baseline(milestone, officer):
    new_date = milestone.baseline_due_on + timedelta(days=21)
    milestone_update(milestone=milestone, by=officer, data={"planned_due_on": new_date})
    assert Milestone.objects.get(pk=milestone.pk).slip_days == 21


def test_a_milestone_cannot_belong_to_another_initiatives_project(own_initiative, officer):
    foreign_project = ProjectFactory()
    with pytest.raises(ValidationError) as excinfo:
        milestone_create(initiative=own_initiative, by=officer, data={
            "title_ja": "新規", "owner": officer, "planned_due_on": TODAY(),
            "project": foreign_project,
        })
    assert error_codes(excinfo) == {"project_outside_initiative"}
    assert not Milestone.objects.filter(title_ja="新規").exists()


def test_a_manager_cannot_own_a_milestone(milestone, officer, manager):
    with pytest.raises(ValidationError) as excinfo:
        milestone_update(milestone=milestone, by=officer, data={"owner": manager})
    assert error_codes(excinfo) == {"invalid_owner"}


def test_history_records_who_changed_what(milestone, officer):
    milestone_update(milestone=milestone, by=officer, data={"percent_complete": 30})
    latest, previous = milestone.history.all()[:2]
    assert latest.history_user == officer
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("percent_complete", 0, 30)]
