"""Reminders fire on the right day, to the right people, in their language, once."""

import json
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from programs.models import Delivery, Frequency, Notification, WorkStatus
from programs.services.deliveries import delivery_send
from programs.services.milestones import milestone_update
from programs.services.reminders import manager_digest_sweep, reminders_sweep
from tests.factories import (
    InitiativeFactory,
    MilestoneFactory,
    NotificationPreferenceFactory,
    ProgressReportFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db
DUE = date(2026, 12, 1)


def sweep_and_send(on):
    report = reminders_sweep(on=on)
    for delivery_id in report.to_send:
        delivery_send(delivery_id)
    return report


@pytest.fixture
def milestone(own_initiative):
    return MilestoneFactory(initiative=own_initiative, planned_due_on=DUE, baseline_due_on=DUE,
                            status=WorkStatus.IN_PROGRESS)


@pytest.mark.parametrize("days_before, fires", [
    (15, False), (14, True), (13, False), (7, True), (6, False), (2, False), (1, True),
    (0, False),
])
def test_due_soon_fires_14_7_and_1_days_before(milestone, officer, mailoutbox, days_before,
                                               fires):
    report = sweep_and_send(DUE - timedelta(days=days_before))
    assert report.by_kind.get("due_soon", 0) == (1 if fires else 0)
    assert [m.to for m in mailoutbox] == ([[officer.email]] if fires else [])


@pytest.mark.parametrize("days_late, fires", [
    (1, True), (2, False), (7, False), (8, True), (9, False), (15, True), (22, True),
])
def test_overdue_fires_on_the_first_day_then_every_seven_days(milestone, officer, days_late,
                                                              fires):
    report = sweep_and_send(DUE + timedelta(days=days_late))
    assert report.by_kind.get("overdue", 0) == (1 if fires else 0)


def test_the_initiative_owner_is_copied_after_14_days_overdue(officer, other_officer):
    initiative = InitiativeFactory(owner=other_officer)
    MilestoneFactory(initiative=initiative, owner=officer, planned_due_on=DUE,
                     baseline_due_on=DUE)
    reminders_sweep(on=DUE + timedelta(days=8))
    assert set(Delivery.objects.values_list("recipient__username", flat=True)) == {
        officer.username}
    reminders_sweep(on=DUE + timedelta(days=15))
    day_15 = Delivery.objects.filter(occasion=f"{DUE.isoformat()}:15")
    assert set(day_15.values_list("recipient__username", flat=True)) == {
        officer.username, other_officer.username}


def test_stale_fires_after_30_days_without_a_status_update(milestone, officer):
    StatusUpdateFactory(milestone=milestone, author=officer, reported_on=date(2026, 10, 1))
    assert reminders_sweep(on=date(2026, 10, 30)).by_kind.get("stale", 0) == 0
    assert reminders_sweep(on=date(2026, 10, 31)).by_kind["stale"] == 1
    assert reminders_sweep(on=date(2026, 11, 1)).by_kind.get("stale", 0) == 0


def test_an_active_initiative_without_updates_goes_stale_for_its_owner(officer):
    initiative = InitiativeFactory(owner=officer)
    StatusUpdateFactory(milestone=None, initiative=initiative, author=officer,
                        reported_on=date(2026, 10, 1))
    report = reminders_sweep(on=date(2026, 10, 31))
    assert report.by_kind["stale"] == 1
    assert Delivery.objects.exclude(kind="daily_digest").get().subject == initiative


def test_an_initiative_can_set_its_own_thresholds(officer):
    initiative = InitiativeFactory(owner=officer, reminder_due_soon_days=[3])
    MilestoneFactory(initiative=initiative, planned_due_on=DUE, baseline_due_on=DUE)
    assert reminders_sweep(on=DUE - timedelta(days=7)).sent == 0
    assert reminders_sweep(on=DUE - timedelta(days=3)).by_kind["due_soon"] == 1


@pytest.mark.parametrize("status", [WorkStatus.DONE, WorkStatus.CANCELLED])
def test_done_and_cancelled_milestones_get_nothing(own_initiative, status):
    MilestoneFactory(initiative=own_initiative, planned_due_on=DUE, baseline_due_on=DUE,
                     status=status, completed_on=DUE if status == WorkStatus.DONE else None,
                     percent_complete=100 if status == WorkStatus.DONE else 0)
    for on in (DUE - timedelta(days=7), DUE + timedelta(days=1)):
        assert reminders_sweep(on=on).sent == 0


def test_deactivated_people_get_nothing(milestone, officer):
    officer.is_active = False
    officer.save()
    assert reminders_sweep(on=DUE - timedelta(days=7)).sent == 0


def test_a_kind_turned_off_is_not_sent(milestone, officer, mailoutbox):
    NotificationPreferenceFactory(user=officer, kind="due_soon", enabled=False)
    report = sweep_and_send(DUE - timedelta(days=7))
    assert (report.sent, report.skipped_by_preference, len(mailoutbox)) == (0, 1, 0)


def test_a_daily_digest_bundles_the_days_reminders_into_one_message(own_initiative, officer,
                                                                    mailoutbox):
    NotificationPreferenceFactory(user=officer, kind="due_soon", frequency=Frequency.DAILY_DIGEST)
    NotificationPreferenceFactory(user=officer, kind="overdue", frequency=Frequency.DAILY_DIGEST)
    MilestoneFactory(initiative=own_initiative, title_ja="一週間後",
                     planned_due_on=DUE + timedelta(days=7), baseline_due_on=DUE)
    MilestoneFactory(initiative=own_initiative, title_ja="昨日まで",
                     planned_due_on=DUE - timedelta(days=1), baseline_due_on=DUE)
    report = sweep_and_send(DUE)
    assert report.by_kind == {"due_soon": 1, "overdue": 1}
    assert len(mailoutbox) == 1
    assert "一週間後" in mailoutbox[0].body and "昨日まで" in mailoutbox[0].body
    assert set(Delivery.objects.exclude(kind="daily_digest").values_list(
        "status", flat=True)) == {"bundled"}
    assert Notification.objects.filter(recipient=officer).count() == 2
    # "See them all" opens the person's own notifications, not the administrators' log.
    assert f"{settings.SITE_URL}/admin/notifications/\n" in mailoutbox[0].body
    assert "/admin/programs/notification/" not in mailoutbox[0].body


def test_messages_are_in_the_recipients_language(own_initiative, officer, other_officer,
                                                 mailoutbox):
    other_officer.language = "en"
    other_officer.save()
    own_initiative.members.add(other_officer)
    MilestoneFactory(initiative=own_initiative, owner=officer, planned_due_on=DUE,
                     baseline_due_on=DUE)
    MilestoneFactory(initiative=own_initiative, owner=other_officer, planned_due_on=DUE,
                     baseline_due_on=DUE)
    sweep_and_send(DUE - timedelta(days=7))
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects[other_officer.email].startswith("Due in 7 days")
    assert "7日" in subjects[officer.email]
    html = next(m for m in mailoutbox if m.to == [officer.email]).alternatives[0]
    assert html[1] == "text/html" and 'lang="ja"' in html[0]


def test_send_reminders_twice_sends_n_then_zero(milestone, own_initiative, mailoutbox):
    MilestoneFactory(initiative=own_initiative, planned_due_on=DUE - timedelta(days=7),
                     baseline_due_on=DUE - timedelta(days=7))
    day = (DUE - timedelta(days=14)).isoformat()
    first, second = StringIO(), StringIO()
    call_command("send_reminders", "--date", day, "--json", stdout=first)
    call_command("send_reminders", "--date", day, "--json", stdout=second)
    first, second = json.loads(first.getvalue()), json.loads(second.getvalue())
    assert (first["sent"], first["by_kind"]) == (2, {"due_soon": 2})
    assert (second["sent"], second["skipped_already_sent"]) == (0, 2)
    assert len(mailoutbox) == 1, "both in the owner's one daily e-mail"


def test_a_dry_run_claims_and_sends_nothing(milestone, mailoutbox):
    out = StringIO()
    call_command("send_reminders", "--date", (DUE - timedelta(days=7)).isoformat(),
                 "--dry-run", "--json", stdout=out)
    assert json.loads(out.getvalue())["sent"] == 1
    assert not Delivery.objects.exists() and not mailoutbox


def test_send_reminders_rejects_a_malformed_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "2026-13-01")


def test_a_delivery_is_sent_once_however_often_it_is_asked(milestone, mailoutbox):
    report = reminders_sweep(on=DUE - timedelta(days=7))
    [delivery_id] = report.to_send
    assert [delivery_send(delivery_id) for _ in range(3)] == ["sent", "already_done",
                                                              "already_done"]
    assert len(mailoutbox) == 1


def test_smtp_failures_are_retried_then_recorded(milestone, monkeypatch, settings):
    from smtplib import SMTPServerDisconnected

    from programs import tasks

    attempts = []

    def broken_send(self, *args, **kwargs):
        attempts.append(1)
        raise SMTPServerDisconnected("connection lost")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)
    [delivery_id] = reminders_sweep(on=DUE - timedelta(days=7)).to_send
    result = tasks.send_delivery.apply(args=[delivery_id])
    delivery = Delivery.objects.get(pk=delivery_id)
    assert result.get() == "failed"
    assert len(attempts) == tasks.MAX_SEND_RETRIES + 1
    assert (delivery.status, delivery.attempts) == ("failed", tasks.MAX_SEND_RETRIES + 1)
    assert "connection lost" in delivery.last_error


def test_manager_digest_lists_new_overdue_slips_and_red(manager, officer, own_initiative,
                                                        mailoutbox):
    late = MilestoneFactory(initiative=own_initiative, title_ja="期限切れ",
                            planned_due_on=DUE - timedelta(days=2),
                            baseline_due_on=DUE - timedelta(days=2))
    moving = MilestoneFactory(initiative=own_initiative, title_ja="延期案件",
                              planned_due_on=DUE + timedelta(days=10),
                              baseline_due_on=DUE + timedelta(days=10))
    milestone_update(milestone=moving, by=officer,
                     data={"planned_due_on": DUE + timedelta(days=40), "health": "red"})
    report = manager_digest_sweep(on=DUE)
    for delivery_id in report.to_send:
        delivery_send(delivery_id)
    assert report.by_kind == {"manager_digest": 1}
    [message] = mailoutbox
    assert message.to == [manager.email]
    for expected in ("期限切れ", "延期案件"):
        assert expected in message.body
    assert late.title_ja in message.body
    assert manager_digest_sweep(on=DUE).sent == 0


@pytest.mark.parametrize("milestones_per_kind", [10, 40])
def test_the_sweep_runs_a_bounded_number_of_queries(own_initiative, officer, milestones_per_kind,
                                                    django_assert_max_num_queries):
    for due in (DUE + timedelta(days=7), DUE - timedelta(days=1)):
        MilestoneFactory.create_batch(milestones_per_kind, initiative=own_initiative,
                                      planned_due_on=due, baseline_due_on=due)
    with django_assert_max_num_queries(30):
        report = reminders_sweep(on=DUE)
    assert report.sent == 2 * milestones_per_kind


@pytest.mark.parametrize("on, fires", [
    (date(2026, 10, 7), False), (date(2026, 10, 8), True), (date(2026, 10, 9), False),
    (date(2026, 10, 15), True), (date(2026, 10, 22), True), (date(2026, 10, 23), False),
])
def test_a_quarterly_report_not_submitted_is_reminded_before_and_after_its_due_day(
        own_initiative, on, fires):
    # Q3 ends on 30 September; its report is due 15 days later, on 15 October.
    from programs.models import Initiative

    Initiative.objects.filter(pk=own_initiative.pk).update(
        created_at=timezone.make_aware(datetime(2026, 1, 5)))
    report = reminders_sweep(on=on)
    assert report.by_kind.get("report_due", 0) == (1 if fires else 0)


def test_a_submitted_quarterly_report_is_not_reminded(own_initiative, officer):
    from programs.models import Initiative

    Initiative.objects.filter(pk=own_initiative.pk).update(
        created_at=timezone.make_aware(datetime(2026, 1, 5)))
    ProgressReportFactory(initiative=own_initiative, period="2026-Q3", status="submitted",
                          submitted_at=timezone.now(), figures={},
                          figures_as_of=date(2026, 9, 30), prepared_by=officer)
    assert reminders_sweep(on=date(2026, 10, 15)).by_kind.get("report_due", 0) == 0


def test_the_managers_digest_lists_reports_awaiting_review(manager, officer, own_initiative,
                                                           mailoutbox):
    ProgressReportFactory(initiative=own_initiative, period="2026-Q3", status="submitted",
                          submitted_at=timezone.now(), figures={},
                          figures_as_of=date(2026, 9, 30), prepared_by=officer)
    report = manager_digest_sweep(on=timezone.localdate() + timedelta(days=1))
    for delivery_id in report.to_send:
        delivery_send(delivery_id)
    # The period as staff name it (July to September is the fiscal year's second quarter).
    assert "2026年度 第2四半期 (7–9月)" in mailoutbox[0].body
    assert "2026-Q3" not in mailoutbox[0].body
