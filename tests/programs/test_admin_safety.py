"""The admin never writes around the services: history pages only show, forms report what the
services refuse, and each person sees and edits only what is theirs."""

import re
from datetime import date, timedelta

import pytest
from django.contrib import admin
from django.contrib.messages import constants as message_levels
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User
from programs.models import Delivery, Initiative, Milestone, Notification, Region, StatusUpdate
from programs.services.reminders import reminders_sweep
from tests.factories import (
    InitiativeFactory,
    KPIFactory,
    KPIMeasurementFactory,
    MilestoneFactory,
    ProjectFactory,
    RegionFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db
DUE = date(2026, 12, 1)


# --- helpers --------------------------------------------------------------------------------

def _prepared(bound_field):
    value = bound_field.value()  # already prepared for the widget
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return str(value)


def form_data(page):
    """What a browser would send back from an admin change page, unchanged: the main form's
    editable fields and every inline form with its management form."""
    data = {}
    form = page.context["adminform"].form
    for name in form.fields:
        data[name] = _prepared(form[name])
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = _prepared(
                formset.management_form[name])
        for inline_form in formset.forms:
            for name in inline_form.fields:
                data[inline_form.add_prefix(name)] = _prepared(inline_form[name])
    return {key: value for key, value in data.items() if value != ""}


def opening_tag(html, name):
    """The opening tag of the form control called `name` in `html`, or None."""
    match = re.search(
        r'<(?:input|textarea|select)\b[^>]*\bname="' + re.escape(name) + r'"[^>]*>', html)
    return match.group(0) if match else None


def is_disabled(tag):
    return re.search(r"\sdisabled(?:[\s=>/]|$)", tag) is not None


def history_url(obj, history_id):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_simple_history",
                   args=[obj.pk, history_id])


def inline_form_index(page, prefix, instance):
    for inline in page.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            for index, form in enumerate(inline.formset.forms):
                if form.instance.pk == instance.pk:
                    return index
    raise AssertionError(f"{instance!r} is not in the {prefix} inline")


# --- 1. history pages are for reading -------------------------------------------------------

def test_an_officer_cannot_make_themselves_superuser_through_their_history_page(client,
                                                                                 officer):
    officer.first_name = "花子"
    officer.save()
    url = history_url(officer, officer.history.first().history_id)
    client.force_login(officer)
    response = client.post(url, {
        "username": officer.username, "email": officer.email, "is_active": "on",
        "is_staff": "on", "is_superuser": "on", "role": "administrator", "language": "ja",
        "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00",
        "notification_preferences-TOTAL_FORMS": "0",
        "notification_preferences-INITIAL_FORMS": "0"})
    assert response.status_code == 403
    officer = User.objects.get(pk=officer.pk)
    assert not officer.is_superuser
    assert officer.role == "officer"


def test_a_manager_cannot_rename_a_region_through_its_history_page(client, manager):
    region = RegionFactory(name_ja="アジア大洋州")
    region.name_en = "Asia-Pacific"
    region.save()
    url = history_url(region, region.history.first().history_id)
    client.force_login(manager)
    response = client.post(url, {"code": region.code, "order": region.order,
                                 "name_ja": "書き換えた地域", "name_en": "Rewritten"})
    assert response.status_code == 403
    assert Region.objects.get(pk=region.pk).name_ja == "アジア大洋州"


def test_not_even_an_administrator_reverts_through_a_history_page(client, administrator):
    region = RegionFactory(name_ja="中東")
    first_version = region.history.first().history_id
    region.name_ja = "中東地域"
    region.save()
    client.force_login(administrator)
    response = client.post(history_url(region, first_version), {
        "code": region.code, "order": region.order, "name_ja": "中東", "name_en": ""})
    assert response.status_code == 403
    assert Region.objects.get(pk=region.pk).name_ja == "中東地域"


def test_history_pages_still_open_for_reading(client, officer, manager):
    region = RegionFactory()
    officer.first_name = "花子"
    officer.save()
    client.force_login(manager)
    assert client.get(history_url(region, region.history.first().history_id)).status_code == 200
    client.force_login(officer)
    assert client.get(history_url(officer, officer.history.first().history_id)).status_code == 200


@pytest.mark.parametrize("model_admin", [
    model_admin for model_admin in admin.site._registry.values()
    if isinstance(model_admin, SimpleHistoryAdmin)], ids=lambda a: str(a))
def test_every_history_page_of_the_admin_refuses_a_post(model_admin, administrator):
    request = RequestFactory().post("/admin/history/", {"name_ja": "x"})
    request.user = administrator
    with pytest.raises(PermissionDenied):
        model_admin.history_form_view(request, "1", "1")


# --- 2. a project of another initiative is a form error -------------------------------------

def test_moving_a_milestone_to_another_initiatives_project_is_a_form_error(
        client, officer, own_initiative, others_initiative):
    milestone = MilestoneFactory(initiative=own_initiative)
    foreign_project = ProjectFactory(initiative=others_initiative)
    url = reverse("admin:programs_milestone_change", args=[milestone.pk])
    client.force_login(officer)
    data = form_data(client.get(url))
    data["project"] = str(foreign_project.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["project"]
    milestone = Milestone.objects.get(pk=milestone.pk)
    assert milestone.project_id is None
    assert milestone.version == 1


def test_a_project_of_the_same_initiative_is_accepted(client, officer, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative)
    project = ProjectFactory(initiative=own_initiative)
    url = reverse("admin:programs_milestone_change", args=[milestone.pk])
    client.force_login(officer)
    data = form_data(client.get(url))
    data["project"] = str(project.pk)
    response = client.post(url, data)
    assert response.status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).project_id == project.pk


# --- 3. only administrators move a baseline, in the inline too ------------------------------

def test_the_milestone_inline_shows_the_baseline_read_only_to_an_officer(client, officer,
                                                                        own_initiative):
    MilestoneFactory(initiative=own_initiative)
    client.force_login(officer)
    page = client.get(reverse("admin:programs_initiative_change", args=[own_initiative.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert opening_tag(html, "milestones-0-planned_due_on") is not None
    assert opening_tag(html, "milestones-0-baseline_due_on") is None


def test_the_milestone_inline_lets_an_administrator_edit_the_baseline(client, administrator,
                                                                      own_initiative):
    MilestoneFactory(initiative=own_initiative)
    client.force_login(administrator)
    page = client.get(reverse("admin:programs_initiative_change", args=[own_initiative.pk]))
    tag = opening_tag(page.content.decode(), "milestones-0-baseline_due_on")
    assert tag is not None and not is_disabled(tag)


def test_an_officer_cannot_move_a_baseline_by_posting_it_in_the_inline(client, officer,
                                                                      own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative)
    url = reverse("admin:programs_initiative_change", args=[own_initiative.pk])
    client.force_login(officer)
    data = form_data(client.get(url))
    data["milestones-0-baseline_due_on"] = (milestone.baseline_due_on
                                            + timedelta(days=60)).isoformat()
    client.post(url, data)
    assert Milestone.objects.get(pk=milestone.pk).baseline_due_on == milestone.baseline_due_on


# --- 4. a cycle in the tree is reported, not a 500 ------------------------------------------

def test_placing_an_initiative_under_its_own_child_is_reported_and_changes_nothing(
        client, administrator, officer):
    parent = InitiativeFactory(owner=officer, code="TREE-ROOT")
    child = InitiativeFactory(owner=officer, parent=parent, code="TREE-CHILD")
    url = reverse("admin:programs_initiative_change", args=[parent.pk])
    client.force_login(administrator)
    data = form_data(client.get(url))
    data["parent"] = str(child.pk)
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    errors = [m for m in response.context["messages"] if m.level == message_levels.ERROR]
    assert errors, "the administrator is told why nothing was saved"
    parent, child = Initiative.objects.get(pk=parent.pk), Initiative.objects.get(pk=child.pk)
    assert (parent.parent_id, parent.path, parent.depth) == (None, "TREE-ROOT", 0)
    assert (child.parent_id, child.path, child.depth) == (parent.pk, "TREE-ROOT/TREE-CHILD", 1)
    assert parent.version == 1


# --- 5. a colleague's status update is shown, not offered for editing -----------------------

@pytest.fixture
def shared_milestone(officer, other_officer, own_initiative):
    own_initiative.members.add(other_officer)
    milestone = MilestoneFactory(initiative=own_initiative, owner=officer)
    mine = StatusUpdateFactory(milestone=milestone, author=officer, summary="自分の報告",
                               reported_on=DUE - timedelta(days=2))
    theirs = StatusUpdateFactory(milestone=milestone, author=other_officer,
                                 summary="同僚の報告", reported_on=DUE - timedelta(days=1))
    return milestone, mine, theirs


@pytest.mark.parametrize("page_of", ["milestone", "initiative"])
def test_a_colleagues_status_update_is_rendered_disabled_and_ones_own_editable(
        client, officer, shared_milestone, page_of):
    milestone, mine, theirs = shared_milestone
    if page_of == "milestone":
        url = reverse("admin:programs_milestone_change", args=[milestone.pk])
    else:
        StatusUpdate.objects.filter(pk__in=[mine.pk, theirs.pk]).update(
            milestone=None, initiative=milestone.initiative)
        url = reverse("admin:programs_initiative_change", args=[milestone.initiative.pk])
    client.force_login(officer)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    theirs_index = inline_form_index(page, "status_updates", theirs)
    mine_index = inline_form_index(page, "status_updates", mine)
    for field in ("summary", "risks", "next_steps", "reported_on", "health"):
        their_tag = opening_tag(html, f"status_updates-{theirs_index}-{field}")
        my_tag = opening_tag(html, f"status_updates-{mine_index}-{field}")
        assert their_tag is not None and is_disabled(their_tag), field
        assert my_tag is not None and not is_disabled(my_tag), field


def test_posting_over_a_colleagues_status_update_changes_nothing(client, officer,
                                                                  shared_milestone):
    milestone, mine, theirs = shared_milestone
    url = reverse("admin:programs_milestone_change", args=[milestone.pk])
    client.force_login(officer)
    page = client.get(url)
    data = form_data(page)
    data[f"status_updates-{inline_form_index(page, 'status_updates', theirs)}-summary"] = "上書き"
    data[f"status_updates-{inline_form_index(page, 'status_updates', mine)}-summary"] = "訂正"
    response = client.post(url, data)
    assert response.status_code == 302
    assert StatusUpdate.objects.get(pk=theirs.pk).summary == "同僚の報告"
    assert StatusUpdate.objects.get(pk=mine.pk).summary == "訂正"


# --- 6. people read their own notifications in admin ----------------------------------------

@pytest.fixture
def reminders_for_two_officers(own_initiative, others_initiative, officer, other_officer):
    for initiative in (own_initiative, others_initiative):
        MilestoneFactory(initiative=initiative, planned_due_on=DUE, baseline_due_on=DUE)
    reminders_sweep(on=DUE - timedelta(days=7))
    recipients = set(Delivery.objects.values_list("recipient", flat=True))
    assert recipients == {officer.pk, other_officer.pk}
    assert set(Notification.objects.values_list("recipient", flat=True)) == recipients


@pytest.mark.parametrize("model", ["notification", "delivery"])
def test_an_officer_sees_only_their_own_reminders_in_admin(client, officer, model,
                                                          reminders_for_two_officers):
    client.force_login(officer)
    response = client.get(reverse(f"admin:programs_{model}_changelist"))
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown and {row.recipient_id for row in shown} == {officer.pk}


@pytest.mark.parametrize("model", ["notification", "delivery"])
def test_an_officer_cannot_open_a_colleagues_reminder_in_admin(client, officer, other_officer,
                                                              model, reminders_for_two_officers):
    theirs = (Notification if model == "notification" else Delivery).objects.filter(
        recipient=other_officer).first()
    client.force_login(officer)
    response = client.get(reverse(f"admin:programs_{model}_change", args=[theirs.pk]))
    assert response.status_code in (302, 404)
    if response.status_code == 302:  # admin's "does not exist" redirect to the changelist
        assert response["Location"].endswith(reverse("admin:index"))


@pytest.mark.parametrize("model", ["notification", "delivery"])
def test_an_administrator_sees_everyones_reminders_in_admin(client, administrator, officer,
                                                           other_officer, model,
                                                           reminders_for_two_officers):
    client.force_login(administrator)
    response = client.get(reverse(f"admin:programs_{model}_changelist"))
    shown = list(response.context["cl"].result_list)
    assert {row.recipient_id for row in shown} == {officer.pk, other_officer.pk}


def test_the_admin_gives_the_apis_reason_for_another_initiatives_project(
        client, officer, own_initiative, others_initiative):
    milestone = MilestoneFactory(initiative=own_initiative)
    url = reverse("admin:programs_milestone_change", args=[milestone.pk])
    client.force_login(officer)
    data = form_data(client.get(url))
    data["project"] = str(ProjectFactory(initiative=others_initiative).pk)
    errors = client.post(url, data).context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["project"]] == ["project_outside_initiative"]


@pytest.mark.parametrize("typed", ["1900-01-01", "2200-01-01"])
def test_a_milestone_date_outside_the_years_of_any_plan_is_refused_on_its_field(
        client, officer, own_initiative, typed):
    """Every report draws its time axis from the dates: a year 1900 saved by a slip of the
    keyboard stretched them all. The page refuses it as the API and the imports do."""
    milestone = MilestoneFactory(initiative=own_initiative, owner=officer)
    url = reverse("admin:programs_milestone_change", args=[milestone.pk])
    client.force_login(officer)
    data = form_data(client.get(url))
    data["planned_due_on"] = typed
    response = client.post(url, data)
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["planned_due_on"]
    assert "2000-01-01" in error and "2100-12-31" in error
    assert Milestone.objects.get(pk=milestone.pk).planned_due_on == milestone.planned_due_on


def test_a_completion_date_typed_for_unfinished_work_is_refused_not_dropped(
        client, officer, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, owner=officer,
                                 status="in_progress")
    url = reverse("admin:programs_milestone_change", args=[milestone.pk])
    client.force_login(officer)
    data = form_data(client.get(url))
    data["completed_on"] = (date.today() - timedelta(days=2)).isoformat()
    response = client.post(url, data)
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["completed_on"]
    assert "「完了」にするか、完了日を消してください" in error
    assert Milestone.objects.get(pk=milestone.pk).completed_on is None


def test_reopening_finished_work_in_the_admin_clears_its_completion_date(
        client, officer, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, owner=officer, status="done",
                                 completed_on=date.today() - timedelta(days=2),
                                 percent_complete=100)
    url = reverse("admin:programs_milestone_change", args=[milestone.pk])
    client.force_login(officer)
    data = form_data(client.get(url))
    data["status"] = "in_progress"  # the date still shows in its field, untouched
    data["percent_complete"] = "80"
    assert client.post(url, data).status_code == 302
    reopened = Milestone.objects.get(pk=milestone.pk)
    assert (reopened.status, reopened.completed_on) == ("in_progress", None)


def test_a_second_result_for_the_same_period_is_told_by_the_columns_name(
        client, officer, own_initiative):
    kpi = KPIFactory(initiative=own_initiative)
    KPIMeasurementFactory(kpi=kpi, period_on=date(2026, 9, 30))
    url = reverse("admin:programs_kpi_change", args=[kpi.pk])
    client.force_login(officer)
    page = client.get(url)
    data = form_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    row = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update({f"{prefix}-TOTAL_FORMS": str(row + 1), f"{prefix}-{row}-period_on": "2026-09-30",
                 f"{prefix}-{row}-value": "3", f"{prefix}-{row}-source": "速報"})
    response = client.post(url, data)
    assert response.status_code == 200
    [error] = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert error == "対象期間の末日が同じ行が2つあります。行ごとに別の値にしてください。"
    assert kpi.measurements.count() == 1


def test_an_officer_reads_a_kpis_figures_with_their_unit_and_types_results_in_it(
        client, officer, own_initiative):
    kpi = KPIFactory(initiative=own_initiative, unit="billion_usd", target_value="10",
                     baseline_value="2.5", baseline_year=2024)
    client.force_login(officer)
    page = client.get(reverse("admin:programs_kpi_change", args=[kpi.pk]))
    html = page.content.decode()
    assert "10.0000" not in html and "2.5000" not in html
    assert "100億ドル" in html and "25億ドル" in html
    [header] = [field.label for field in
                page.context["inline_admin_formsets"][0].formset.form.base_fields.values()
                if (field.label or "").startswith("実績値")]
    assert header == "実績値（10億ドル）"
