"""Officers keep their own work current in admin; managers read; nobody else gets in."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import Health, Initiative, Milestone, WorkStatus
from programs.services.milestones import milestone_update
from tests.factories import InitiativeFactory, MilestoneFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def change_url(milestone):
    return reverse("admin:programs_milestone_change", args=[milestone.pk])


def milestone_form(milestone, **changes):
    data = {
        "project": "", "title_ja": milestone.title_ja, "title_en": milestone.title_en,
        "description": milestone.description, "owner": milestone.owner_id,
        "planned_due_on": milestone.planned_due_on.isoformat(), "status": milestone.status,
        "completed_on": "", "percent_complete": milestone.percent_complete,
        "health": milestone.health,
        "status_updates-TOTAL_FORMS": "0", "status_updates-INITIAL_FORMS": "0",
        "status_updates-MIN_NUM_FORMS": "0", "status_updates-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_officer_updates_own_milestone_in_admin_and_history_names_them(client, officer,
                                                                        own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative)
    client.force_login(officer)
    response = client.post(change_url(milestone), milestone_form(
        milestone, status=WorkStatus.IN_PROGRESS, percent_complete=35))
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.status, milestone.percent_complete) == (WorkStatus.IN_PROGRESS, 35)
    latest = milestone.history.first()
    assert latest.history_user == officer
    assert {c.field for c in latest.diff_against(latest.prev_record).changes} == {
        "status", "percent_complete"}


def test_officer_cannot_change_another_officers_milestone_in_admin(client, officer,
                                                                    others_initiative):
    milestone = MilestoneFactory(initiative=others_initiative)
    client.force_login(officer)
    response = client.post(change_url(milestone), milestone_form(milestone, percent_complete=90))
    assert response.status_code == 403
    assert Milestone.objects.get(pk=milestone.pk).percent_complete == 0


def test_officer_sees_another_officers_milestone_read_only(client, officer, others_initiative):
    milestone = MilestoneFactory(initiative=others_initiative)
    client.force_login(officer)
    response = client.get(change_url(milestone))
    assert response.status_code == 200
    assert b'name="_save"' not in response.content


def test_manager_can_view_but_not_change(client, manager, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative)
    client.force_login(manager)
    assert client.get(reverse("admin:programs_milestone_changelist")).status_code == 200
    page = client.get(change_url(milestone))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = client.post(change_url(milestone), milestone_form(milestone, percent_complete=90))
    assert response.status_code == 403
    assert Milestone.objects.get(pk=milestone.pk).percent_complete == 0
    assert client.get(reverse("admin:programs_milestone_add")).status_code == 403


def test_exporter_is_kept_out_of_admin(client, exporter):
    client.force_login(exporter)
    response = client.get(reverse("admin:programs_milestone_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_an_invalid_status_move_in_admin_shows_the_reason_and_saves_nothing(
        client, officer, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative)
    client.force_login(officer)
    response = client.post(change_url(milestone), milestone_form(
        milestone, status=WorkStatus.DONE, completed_on=TODAY().isoformat()))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"]
    assert Milestone.objects.get(pk=milestone.pk).status == WorkStatus.NOT_STARTED


def test_officer_adds_a_milestone_only_to_own_initiatives(client, officer, own_initiative,
                                                          others_initiative):
    client.force_login(officer)
    form = {
        "initiative": own_initiative.pk, "project": "", "title_ja": "新しい節目",
        "title_en": "", "description": "", "owner": officer.pk,
        "baseline_due_on": "", "planned_due_on": (TODAY() + timedelta(days=10)).isoformat(),
        "status": WorkStatus.NOT_STARTED, "completed_on": "", "percent_complete": "0",
        "health": Health.GREEN,
        "status_updates-TOTAL_FORMS": "0", "status_updates-INITIAL_FORMS": "0",
    }
    assert client.post(reverse("admin:programs_milestone_add"), form).status_code == 302
    created = Milestone.objects.get(title_ja="新しい節目")
    assert created.baseline_due_on == created.planned_due_on
    refused = client.post(reverse("admin:programs_milestone_add"),
                          {**form, "initiative": others_initiative.pk, "title_ja": "他人の"})
    assert refused.status_code == 200
    assert not Milestone.objects.filter(title_ja="他人の").exists()


def test_bulk_mark_done_changes_only_the_officers_own_milestones(client, officer,
                                                                 own_initiative,
                                                                 others_initiative):
    mine = MilestoneFactory(initiative=own_initiative, status=WorkStatus.IN_PROGRESS)
    theirs = MilestoneFactory(initiative=others_initiative, status=WorkStatus.IN_PROGRESS)
    client.force_login(officer)
    client.post(reverse("admin:programs_milestone_changelist"), {
        "action": "mark_done", "_selected_action": [mine.pk, theirs.pk]})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, mine.completed_on) == (WorkStatus.DONE, TODAY())
    assert theirs.status == WorkStatus.IN_PROGRESS


def test_marking_done_what_is_done_already_says_nothing_changed(client, officer,
                                                                own_initiative):
    done = MilestoneFactory(initiative=own_initiative, status=WorkStatus.DONE,
                            completed_on=TODAY(), percent_complete=100)
    client.force_login(officer)
    response = client.post(reverse("admin:programs_milestone_changelist"), {
        "action": "mark_done", "_selected_action": [done.pk]})
    shown = [(message.level_tag, str(message)) for message in response.context["messages"]]
    assert shown == [("info", "変更はありません。選択したマイルストーンはすでにその状態です。")]


def test_changelist_filters_overdue_and_slipped_milestones(client, manager):
    overdue = MilestoneFactory(planned_due_on=TODAY() - timedelta(days=3),
                               baseline_due_on=TODAY() - timedelta(days=3),
                               status=WorkStatus.IN_PROGRESS)
    slipped = MilestoneFactory(planned_due_on=TODAY() + timedelta(days=20),
                               baseline_due_on=TODAY() + timedelta(days=5))
    MilestoneFactory(planned_due_on=TODAY() - timedelta(days=3),
                     baseline_due_on=TODAY() - timedelta(days=3), status=WorkStatus.DONE,
                     completed_on=TODAY() - timedelta(days=4), percent_complete=100)
    client.force_login(manager)
    url = reverse("admin:programs_milestone_changelist")
    shown = list(client.get(url, {"overdue": "yes"}).context["cl"].result_list)
    assert shown == [overdue]
    shown = list(client.get(url, {"slipped": "yes"}).context["cl"].result_list)
    assert shown == [slipped]


def test_milestone_list_page_keeps_a_constant_number_of_queries(client, manager,
                                                                django_assert_max_num_queries):
    initiatives = InitiativeFactory.create_batch(5)
    for initiative in initiatives:
        MilestoneFactory.create_batch(12, initiative=initiative)
    client.force_login(manager)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("admin:programs_milestone_changelist"))
    assert len(response.context["cl"].result_list) == 60


def test_owner_sets_initiative_health_with_an_explanation(client, officer, own_initiative):
    client.force_login(officer)
    url = reverse("admin:programs_initiative_change", args=[own_initiative.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = {"summary_ja": "", "summary_en": "", "status": "active", "start_on": "",
            "end_on": "", "members": [], "health": Health.RED,
            "health_note": "相手国の承認が遅延", **inline_management_forms(page)}
    response = client.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    initiative = Initiative.objects.get(pk=own_initiative.pk)
    assert (initiative.health, initiative.health_set_by) == (Health.RED, officer)
    assert initiative.history.first().history_user == officer


def test_a_team_member_cannot_rename_the_initiative(client, officer, others_initiative):
    others_initiative.members.add(officer)
    client.force_login(officer)
    url = reverse("admin:programs_initiative_change", args=[others_initiative.pk])
    page = client.get(url)
    form = {"name_ja": "書き換え", "health": Health.RED, "health_note": "x",
            **inline_management_forms(page)}
    client.post(url, form)
    initiative = Initiative.objects.get(pk=others_initiative.pk)
    assert initiative.name_ja == others_initiative.name_ja
    assert initiative.health == Health.GREEN


def inline_management_forms(page):
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    return data


def test_admin_speaks_japanese_by_default_and_english_on_request(client, officer):
    client.force_login(officer)
    url = reverse("admin:programs_milestone_changelist")
    japanese = client.get(url).content.decode()
    assert "マイルストーン" in japanese and "期限超過" in japanese
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Overdue" in english and "マイルストーン" not in english


def test_saving_a_form_opened_before_someone_elses_save_is_refused(client, officer,
                                                                   own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative)
    client.force_login(officer)
    opened = client.get(change_url(milestone)).context["adminform"].form
    opened_version = opened["opened_version"].value()
    milestone_update(milestone=milestone, by=officer, data={"percent_complete": 60})

    response = client.post(change_url(milestone), milestone_form(
        milestone, percent_complete=10, opened_version=opened_version))

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors().as_data()
    assert [error.code for error in errors] == ["stale_version"]
    assert Milestone.objects.get(pk=milestone.pk).percent_complete == 60


@pytest.mark.parametrize("page", ["initiative", "milestone"])
def test_change_pages_read_the_database_a_fixed_number_of_times(client, officer, other_officer,
                                                               own_initiative, page):
    own_initiative.members.add(other_officer)
    counts = []
    for rows in (2, 12):
        milestone = MilestoneFactory(initiative=own_initiative)
        for _ in range(rows):
            MilestoneFactory(initiative=own_initiative)
            StatusUpdateFactory(milestone=milestone, author=other_officer)
            StatusUpdateFactory(milestone=None, initiative=own_initiative, author=officer)
        client.force_login(officer)
        url = (reverse("admin:programs_initiative_change", args=[own_initiative.pk])
               if page == "initiative" else change_url(milestone))
        client.get(url)  # warms the process-wide caches (content types), as any page view has
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
