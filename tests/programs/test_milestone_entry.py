"""Entering milestones: people by name, the team first, the owner by default, milestones on
the initiative's add page, and a percentage that disagrees with the status refused."""

from datetime import date

import pytest
from django.apps import apps
from django.db.models import CheckConstraint
from django.urls import reverse
from django.utils import timezone, translation

from programs.models import Initiative, Milestone, WorkStatus
from programs.services.milestones import milestone_create, milestone_update
from tests.factories import MilestoneFactory, StatusUpdateFactory, UserFactory
from tracker.errors import ServiceError

pytestmark = pytest.mark.django_db


def inline_management(prefix, total=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def test_people_are_shown_family_name_first_and_by_user_name_only_without_a_name():
    assert str(UserFactory(username="tanaka", last_name="田中", first_name="一郎")) == "田中 一郎"
    assert str(UserFactory(username="nameless")) == "nameless"


def test_owner_choices_put_the_initiatives_team_first_and_leave_out_managers_and_exporters(
        client, officer, own_initiative, manager, exporter):
    member = UserFactory(username="member", last_name="山田", first_name="花子")
    UserFactory(username="outsider", last_name="相川", first_name="健")
    own_initiative.members.add(member)
    milestone = MilestoneFactory(initiative=own_initiative, owner=officer)
    client.force_login(officer)
    page = client.get(reverse("admin:programs_milestone_change", args=[milestone.pk]))
    select = page.content.decode().split('name="owner"')[1].split("</select>")[0]
    team, others = select.split("<optgroup")[1:]
    assert "山田 花子" in team and str(officer) in team and "相川 健" not in team
    assert "相川 健" in others
    assert str(manager) not in select and str(exporter) not in select


def test_a_new_milestone_without_an_owner_belongs_to_its_initiatives_owner(officer,
                                                                          own_initiative):
    milestone = milestone_create(initiative=own_initiative, by=officer, data={
        "title_ja": "協定署名", "planned_due_on": date(2027, 3, 31)})
    assert milestone.owner == officer


def test_typing_80_percent_and_choosing_done_is_refused_not_saved_as_100(officer,
                                                                       own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, status=WorkStatus.IN_PROGRESS,
                                 percent_complete=40)
    with translation.override("ja"), pytest.raises(ServiceError) as refused:
        milestone_update(milestone=milestone, by=officer, data={
            "status": WorkStatus.DONE, "completed_on": date(2026, 1, 5), "percent_complete": 80})
    error = refused.value.error_dict["percent_complete"][0]
    assert error.code == "percent_disagrees_with_status"
    assert "100" in error.messages[0] and "80" in error.messages[0]
    milestone.refresh_from_db()
    assert (milestone.status, milestone.percent_complete) == (WorkStatus.IN_PROGRESS, 40)


def test_choosing_done_without_typing_a_percentage_makes_it_100(officer, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, status=WorkStatus.IN_PROGRESS,
                                 percent_complete=40)
    milestone_update(milestone=milestone, by=officer, data={
        "status": WorkStatus.DONE, "completed_on": date(2026, 1, 5)})
    milestone.refresh_from_db()
    assert milestone.percent_complete == 100


def test_the_admin_form_shows_the_disagreement_next_to_the_percentage(client, officer,
                                                                     own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, status=WorkStatus.IN_PROGRESS,
                                 percent_complete=40)
    client.force_login(officer)
    response = client.post(reverse("admin:programs_milestone_change", args=[milestone.pk]), {
        "title_ja": milestone.title_ja, "owner": officer.pk,
        "planned_due_on": milestone.planned_due_on.isoformat(), "status": WorkStatus.DONE,
        "completed_on": "2026-01-05", "percent_complete": 80, "health": milestone.health,
        "opened_version": milestone.version, **inline_management("status_updates")},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "100 % complete, not 80 %" in errors["percent_complete"][0]
    assert Milestone.objects.get(pk=milestone.pk).percent_complete == 40


def add_initiative_with_a_milestone(client, administrator, owner, *, planned_due_on, status,
                                    percent_complete, **headers):
    """The administrator adds initiative NEW-PLAN with one milestone row on its add page."""
    client.force_login(administrator)
    return client.post(reverse("admin:programs_initiative_add"), {
        "code": "NEW-PLAN", "name_ja": "新しい施策", "owner": owner.pk, "status": "active",
        "health": "green",
        **inline_management("milestones", total=1),
        "milestones-0-title_ja": "初回会合", "milestones-0-planned_due_on": planned_due_on,
        "milestones-0-status": status, "milestones-0-percent_complete": percent_complete,
        "milestones-0-health": "green",
        **inline_management("status_updates"), **inline_management("projects"),
    }, **headers)


def test_an_administrator_adds_milestones_on_the_initiatives_add_page(client, administrator,
                                                                     officer):
    response = add_initiative_with_a_milestone(
        client, administrator, officer, planned_due_on="2027-01-20", status="not_started",
        percent_complete="0")
    assert response.status_code == 302, response.context["adminform"].form.errors
    initiative = Initiative.objects.get(code="NEW-PLAN")
    milestone = initiative.milestones.get()
    assert (milestone.title_ja, milestone.owner) == ("初回会合", officer)


def test_initiative_owner_and_member_choices_leave_out_managers_and_exporters(
        client, administrator, officer, manager, exporter):
    client.force_login(administrator)
    page = client.get(reverse("admin:programs_initiative_add")).content.decode()
    owner = page.split('name="owner"')[1].split("</select>")[0]
    members = page.split('name="members"')[1].split("</select>")[0]
    for offered in (owner, members):
        assert str(officer) in offered
        assert str(manager) not in offered and str(exporter) not in offered


def test_a_milestone_row_added_on_the_initiative_page_starts_with_its_owner(client, officer,
                                                                           own_initiative):
    client.force_login(officer)
    page = client.get(reverse("admin:programs_initiative_change", args=[own_initiative.pk]))
    new_row = page.content.decode().split('name="milestones-__prefix__-owner"')[1].split(
        "</select>")[0]
    assert f'<option value="{officer.pk}" selected>' in new_row


def post_milestone_done(client, milestone, owner, percent, language="en"):
    return client.post(reverse("admin:programs_milestone_change", args=[milestone.pk]), {
        "title_ja": milestone.title_ja, "owner": owner.pk,
        "planned_due_on": milestone.planned_due_on.isoformat(), "status": WorkStatus.DONE,
        "completed_on": "", "percent_complete": percent, "health": milestone.health,
        "opened_version": milestone.version, **inline_management("status_updates")},
        HTTP_ACCEPT_LANGUAGE=language)


def test_done_at_80_percent_without_a_date_names_no_database_rule(client, officer,
                                                                  own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, status=WorkStatus.IN_PROGRESS,
                                 percent_complete=40)
    client.force_login(officer)
    response = post_milestone_done(client, milestone, officer, 80)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "100 % complete, not 80 %" in form.errors["percent_complete"][0]
    assert not form.non_field_errors()
    assert "milestone_done" not in response.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).status == WorkStatus.IN_PROGRESS


def test_done_at_100_percent_without_a_date_is_finished_today(client, officer, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, status=WorkStatus.IN_PROGRESS,
                                 percent_complete=40)
    client.force_login(officer)
    response = post_milestone_done(client, milestone, officer, 100)
    assert response.status_code == 302, response.context["adminform"].form.errors
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on, milestone.percent_complete) == (
        WorkStatus.DONE, timezone.localdate(), 100)


def test_a_done_milestone_whose_date_is_cleared_is_told_so_in_words(client, officer,
                                                                    own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, status=WorkStatus.DONE,
                                 percent_complete=100, completed_on=date(2026, 1, 5))
    client.force_login(officer)
    response = post_milestone_done(client, milestone, officer, 100)
    assert response.status_code == 200
    page = response.content.decode()
    assert "milestone_done" not in page
    assert "A completion date is required" in page


def test_a_milestone_row_done_at_80_percent_on_the_initiative_add_page_names_no_rule(
        client, administrator, officer):
    response = add_initiative_with_a_milestone(
        client, administrator, officer, planned_due_on="2026-01-20", status="done",
        percent_complete="80", HTTP_ACCEPT_LANGUAGE="ja")
    page = response.content.decode()
    assert response.status_code == 200
    assert "milestone_done" not in page and "制約" not in page
    assert not Initiative.objects.filter(code="NEW-PLAN").exists()


def test_every_constraint_of_the_programs_speaks_in_words_not_by_its_name():
    for model in apps.get_app_config("programs").get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                message = str(constraint.get_violation_error_message())
                assert constraint.name not in message, (model.__name__, constraint.name)


def select_of(page, name):
    return page.content.decode().split(f'name="{name}"')[1].split("</select>")[0]


def test_an_administrator_is_not_offered_as_an_owner_or_member(client, administrator,
                                                               officer, own_initiative):
    administrator.last_name, administrator.first_name = "管理", "者"
    administrator.save()
    milestone = MilestoneFactory(initiative=own_initiative, owner=officer)
    client.force_login(officer)
    change = client.get(reverse("admin:programs_milestone_change", args=[milestone.pk]))
    assert "管理 者" not in select_of(change, "owner")
    bulk = client.post(reverse("admin:programs_milestone_changelist"),
                       {"action": "bulk_edit", "_selected_action": [milestone.pk]})
    assert str(officer) in select_of(bulk, "owner") and "管理 者" not in select_of(bulk, "owner")
    client.force_login(administrator)
    add = client.get(reverse("admin:programs_initiative_add"))
    for name in ("owner", "members", "milestones-__prefix__-owner"):
        assert str(officer) in select_of(add, name) and "管理 者" not in select_of(add, name)


def test_a_milestone_held_by_an_administrator_keeps_them_shown_and_saved(client, administrator,
                                                                       officer, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, owner=administrator,
                                 status=WorkStatus.IN_PROGRESS, percent_complete=10)
    client.force_login(officer)
    page = client.get(reverse("admin:programs_milestone_change", args=[milestone.pk]))
    assert f'<option value="{administrator.pk}" selected>' in select_of(page, "owner")
    response = client.post(reverse("admin:programs_milestone_change", args=[milestone.pk]), {
        "title_ja": "題名を直した", "owner": administrator.pk,
        "planned_due_on": milestone.planned_due_on.isoformat(), "status": milestone.status,
        "percent_complete": 10, "health": milestone.health,
        "opened_version": milestone.version, **inline_management("status_updates")})
    assert response.status_code == 302, response.context["adminform"].form.errors
    milestone.refresh_from_db()
    assert (milestone.title_ja, milestone.owner) == ("題名を直した", administrator)


def test_an_initiative_keeps_an_administrator_member_it_already_has(client, administrator,
                                                                    officer, own_initiative):
    own_initiative.members.add(administrator)
    client.force_login(administrator)
    page = client.get(reverse("admin:programs_initiative_change", args=[own_initiative.pk]))
    assert f'<option value="{administrator.pk}" selected>' in select_of(page, "members")


def test_a_status_update_reads_its_date_as_the_readers_language_writes_it(own_initiative):
    update = StatusUpdateFactory(milestone=MilestoneFactory(initiative=own_initiative),
                                 reported_on=date(2026, 12, 2), summary="ベトナムとの協議")
    with translation.override("ja"):
        assert str(update) == "2026年12月2日 ベトナムとの協議"


def test_a_new_status_update_row_is_reported_today(client, officer, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, owner=officer)
    client.force_login(officer)
    page = client.get(reverse("admin:programs_milestone_change", args=[milestone.pk]))
    new_row = page.content.decode().split('name="status_updates-__prefix__-reported_on"')[1]
    assert new_row.split(">")[0].strip().startswith(
        f'value="{timezone.localdate().isoformat()}"')
