"""Reminders back off, then escalate; a reminder nobody can receive goes up, never nowhere."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from programs.models import Delivery, WorkStatus
from programs.selectors.reports import progress_report
from programs.services.reminders import manager_digest_sweep, reminders_sweep
from tests.factories import InitiativeFactory, MilestoneFactory, UserFactory

pytestmark = pytest.mark.django_db
DUE = date(2025, 1, 10)


def overdue_days_reaching(person):
    return sorted(int(occasion.rsplit(":", 1)[1]) for occasion in Delivery.objects.filter(
        recipient=person, kind="overdue").values_list("occasion", flat=True))


def test_an_overdue_milestone_over_a_year_backs_off_then_stops_reaching_its_owner(
        officer, other_officer):
    head = other_officer
    initiative = InitiativeFactory(owner=head)
    MilestoneFactory(initiative=initiative, owner=officer, planned_due_on=DUE,
                     baseline_due_on=DUE, status=WorkStatus.IN_PROGRESS)
    for day in range(1, 366):
        reminders_sweep(on=DUE + timedelta(days=day))

    # Weekly for the first month, then monthly; six reminders, then the owner hears no more.
    assert overdue_days_reaching(officer) == [1, 8, 15, 22, 29, 59]
    # The initiative's owner is copied after two weeks and carries it for six more.
    assert overdue_days_reaching(head) == [15, 22, 29, 59, 89, 119, 149, 179, 209, 239]
    assert Delivery.objects.filter(kind="overdue").count() == 6 + 10


def test_a_long_overdue_milestone_past_every_reminder_is_in_the_managers_digest(
        manager, officer, own_initiative):
    late = MilestoneFactory(initiative=own_initiative, title_ja="一年遅れ",
                            planned_due_on=timezone.localdate() - timedelta(days=400))
    report = manager_digest_sweep(on=timezone.localdate())
    [delivery_id] = report.to_send
    digest = Delivery.objects.get(pk=delivery_id)
    assert "一年遅れ" in digest.body_text and f"/milestone/{late.pk}/change/" in digest.body_text


def test_an_initiative_can_set_its_own_limit_for_the_owner(officer):
    initiative = InitiativeFactory(owner=officer, reminder_owner_limit=2)
    other = UserFactory(role="officer")
    MilestoneFactory(initiative=initiative, owner=other, planned_due_on=DUE, baseline_due_on=DUE)
    for day in (1, 8, 15, 22):
        reminders_sweep(on=DUE + timedelta(days=day))
    assert overdue_days_reaching(other) == [1, 8]


def test_stale_reminders_back_off_the_same_way(officer, own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative, status=WorkStatus.IN_PROGRESS)
    created = timezone.localdate(milestone.created_at)
    fired = [day for day in range(0, 200)
             if reminders_sweep(on=created + timedelta(days=day)).by_kind.get("stale")]
    # From 30 days without an update: weekly for a month, then monthly, six to the owner
    # (the initiative's owner is the same person, so nobody carries it after that).
    assert fired == [30, 37, 44, 51, 58, 88]


def test_a_deactivated_owners_overdue_work_reaches_the_initiative_owner(officer, other_officer):
    initiative = InitiativeFactory(owner=other_officer)
    MilestoneFactory(initiative=initiative, owner=officer, title_ja="引継ぎ案件",
                     planned_due_on=DUE, baseline_due_on=DUE)
    officer.is_active = False
    officer.save()
    other_officer.language = "en"
    other_officer.save()
    report = reminders_sweep(on=DUE + timedelta(days=1))
    [delivery] = Delivery.objects.filter(kind="overdue")
    assert delivery.recipient == other_officer
    assert "引継ぎ案件" in delivery.body_text and "cannot be reached" in delivery.body_text
    assert report.as_dict()["unaddressed"] == {}


@pytest.mark.parametrize("how", ["inactive", "no_email"])
def test_a_reminder_nobody_can_receive_is_counted_and_the_work_listed_as_unowned(
        manager, officer, how):
    initiative = InitiativeFactory(owner=None, name_ja="誰もいない施策")
    MilestoneFactory(initiative=initiative, owner=officer, title_ja="宙に浮いた節目",
                     planned_due_on=DUE, baseline_due_on=DUE)
    if how == "inactive":
        officer.is_active = False
    else:
        officer.email = ""
    officer.save()
    report = reminders_sweep(on=DUE + timedelta(days=1))
    assert report.as_dict()["unaddressed"] == {"overdue": 1}
    assert not Delivery.objects.filter(kind="overdue").exists()
    digest = manager_digest_sweep(on=DUE + timedelta(days=2))
    body = Delivery.objects.get(pk=digest.to_send[0]).body_text
    assert "宙に浮いた節目" in body and "誰もいない施策" in body


def test_an_initiative_without_an_owner_is_in_the_managers_digest_and_the_report(manager):
    InitiativeFactory(owner=None, code="ORPHAN", name_ja="持ち主のいない施策")
    report = manager_digest_sweep(on=timezone.localdate())
    [delivery_id] = report.to_send
    assert "持ち主のいない施策" in Delivery.objects.get(pk=delivery_id).body_text
    unowned = progress_report(as_of=timezone.localdate())["unowned"]
    assert [row["code"] for row in unowned["initiatives"]] == ["ORPHAN"]


def test_the_dry_run_counts_the_e_mails_each_person_would_get(officer, other_officer,
                                                              mailoutbox):
    initiative = InitiativeFactory(owner=other_officer)
    for _ in range(3):
        MilestoneFactory(initiative=initiative, owner=officer, planned_due_on=DUE,
                         baseline_due_on=DUE)
    nobody = UserFactory(role="officer", email="")
    MilestoneFactory(initiative=InitiativeFactory(owner=None), owner=nobody,
                     planned_due_on=DUE, baseline_due_on=DUE)
    out = StringIO()
    call_command("send_reminders", "--date", (DUE - timedelta(days=7)).isoformat(),
                 "--dry-run", "--json", stdout=out)
    result = json.loads(out.getvalue())
    # Three reminders, one daily e-mail; the owner without an address counts for nothing.
    assert result["by_kind"] == {"due_soon": 3}
    assert result["emails_to"] == {officer.username: 1}
    assert result["unaddressed"] == {"due_soon": 1}
    assert not Delivery.objects.exists() and not mailoutbox


def test_the_reports_stale_list_honours_the_initiatives_own_threshold(officer):
    patient = InitiativeFactory(owner=officer, code="PATIENT", reminder_stale_after_days=90)
    InitiativeFactory(owner=officer, code="DEFAULT")
    as_of = timezone.localdate() + timedelta(days=45)
    codes = [row["code"] for row in progress_report(as_of=as_of)["stale_initiatives"]]
    assert codes == ["DEFAULT"]
    assert patient.code in [row["code"] for row in progress_report(
        as_of=as_of + timedelta(days=50))["stale_initiatives"]]
