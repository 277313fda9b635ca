"""Bulk edit: one change to many milestones, each row checked on its own (rights, version,
workflow), and a summary of what changed and what was refused, and why."""

from datetime import date

import pytest
from django.urls import reverse

from programs.models import Health, Milestone, WorkStatus
from programs.services.milestones_bulk import milestones_bulk_update
from tests.factories import MilestoneFactory, UserFactory

pytestmark = pytest.mark.django_db
LIST = reverse("admin:programs_milestone_changelist")


def test_one_refused_row_leaves_the_others_changed_and_says_why(officer, own_initiative,
                                                                others_initiative):
    mine = MilestoneFactory.create_batch(2, initiative=own_initiative, health=Health.GREEN)
    theirs = MilestoneFactory(initiative=others_initiative, health=Health.GREEN)
    outcomes = milestones_bulk_update(user=officer, milestones=[*mine, theirs],
                                      changes={"health": Health.RED})
    assert [o.changed for o in outcomes[:2]] == [("health",), ("health",)]
    assert (outcomes[2].refused_code, outcomes[2].changed) == ("permission_denied", ())
    assert [m.health for m in Milestone.objects.order_by("pk")] == [
        Health.RED, Health.RED, Health.GREEN]
    assert mine[0].history.first().history_user == officer


def test_a_row_changed_since_it_was_selected_is_refused_as_stale(officer, own_initiative):
    first, second = MilestoneFactory.create_batch(2, initiative=own_initiative)
    outcomes = milestones_bulk_update(
        user=officer, milestones=[first, second], changes={"planned_due_on": date(2027, 6, 30)},
        opened_versions={first.pk: first.version, second.pk: second.version - 1})
    assert outcomes[0].changed == ("planned_due_on",)
    assert outcomes[1].refused_code == "stale_version"
    second.refresh_from_db()
    assert second.planned_due_on != date(2027, 6, 30)


def test_a_move_the_workflow_forbids_is_refused_for_that_row_only(officer, own_initiative):
    open_one = MilestoneFactory(initiative=own_initiative, status=WorkStatus.NOT_STARTED)
    cancelled = MilestoneFactory(initiative=own_initiative, status=WorkStatus.CANCELLED)
    outcomes = milestones_bulk_update(user=officer, milestones=[open_one, cancelled],
                                      changes={"status": WorkStatus.IN_PROGRESS})
    assert outcomes[0].changed == ("status",)
    assert outcomes[1].refused_code == "invalid_transition"
    assert "中止" in outcomes[1].refused_message or "Cancelled" in outcomes[1].refused_message


def test_marking_done_in_bulk_completes_today_at_100_percent(officer, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, status=WorkStatus.IN_PROGRESS,
                                 percent_complete=30)
    milestones_bulk_update(user=officer, milestones=[milestone],
                           changes={"status": WorkStatus.DONE})
    milestone.refresh_from_db()
    assert (milestone.status, milestone.percent_complete) == (WorkStatus.DONE, 100)
    assert milestone.completed_on is not None


def test_a_row_already_as_asked_is_reported_unchanged_and_not_saved_again(officer,
                                                                        own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, health=Health.AMBER)
    [outcome] = milestones_bulk_update(user=officer, milestones=[milestone],
                                       changes={"health": Health.AMBER})
    assert (outcome.changed, outcome.refused) == ((), False)
    assert Milestone.objects.get(pk=milestone.pk).version == milestone.version


def test_officer_bulk_edits_in_admin_through_a_form_and_reads_the_result(
        client, officer, own_initiative, others_initiative):
    colleague = UserFactory(username="colleague", last_name="佐藤", first_name="健")
    mine = MilestoneFactory(initiative=own_initiative, title_ja="自分の")
    theirs = MilestoneFactory(initiative=others_initiative, title_ja="他人の")
    client.force_login(officer)
    selected = {"action": "bulk_edit", "_selected_action": [mine.pk, theirs.pk]}
    form_page = client.post(LIST, selected)
    assert form_page.status_code == 200
    assert "佐藤 健" in form_page.content.decode()  # owners offered by name
    result = client.post(LIST, {**selected, "apply": "1", "owner": colleague.pk,
                                f"version-{mine.pk}": mine.version,
                                f"version-{theirs.pk}": theirs.version}, HTTP_ACCEPT_LANGUAGE="en")
    text = result.content.decode()
    assert "1 milestone changed." in text and "1 milestone was refused" in text
    assert "Changed fields: owner" in text and "You may not change this item." in text
    assert Milestone.objects.get(pk=mine.pk).owner == colleague
    assert Milestone.objects.get(pk=theirs.pk).owner != colleague


def test_bulk_edit_with_nothing_chosen_asks_for_a_change(client, officer, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative)
    client.force_login(officer)
    page = client.post(LIST, {"action": "bulk_edit", "_selected_action": [milestone.pk],
                              "apply": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Choose at least one thing to change." in page.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).version == milestone.version


def test_officers_are_offered_the_bulk_edit_and_managers_are_not(client, officer, manager):
    MilestoneFactory()
    client.force_login(officer)
    assert 'value="bulk_edit"' in client.get(LIST).content.decode()
    client.force_login(manager)
    assert 'value="bulk_edit"' not in client.get(LIST).content.decode()
