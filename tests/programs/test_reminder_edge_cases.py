"""Reminders and re-seeding at their edges: what people wrote survives a re-seed, a digest does
not repeat last week's news, and a reminder waiting for a digest is not sent on its own."""

from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from programs.models import (
    CountryAction,
    Delivery,
    Frequency,
    Initiative,
    Project,
    ReminderKind,
    WorkStatus,
)
from programs.services.initiatives import initiative_update
from programs.services.reminders import manager_digest_sweep, reminders_sweep
from programs.services.seed import seed_strategy
from programs.services.work_items import country_action_update, project_update
from tests.factories import DeliveryFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


# --- 16. a re-seed keeps what people changed ------------------------------------------------

def test_a_second_seed_keeps_what_owners_and_officers_wrote(administrator, officer):
    seed_strategy()
    initiative = Initiative.objects.exclude(summary_ja="").order_by("path").first()
    project = Project.objects.exclude(name_en="").order_by("code").first()
    action = CountryAction.objects.exclude(text_en="").order_by("plan_id", "order").first()
    initiative_update(initiative=initiative, by=administrator, data={"owner": officer})
    for work_of in (project.initiative, action.plan.initiative):
        work_of.members.add(officer)

    initiative_update(initiative=initiative, by=officer,
                      data={"summary_ja": "担当者が書き直した概要"})
    project_update(project=project, by=officer, data={"name_en": "Name as the officer wrote it"})
    country_action_update(action=action, by=officer,
                          data={"text_en": "Action as the officer translated it"})
    versions = (Initiative.objects.get(pk=initiative.pk).version,
                Project.objects.get(pk=project.pk).version,
                CountryAction.objects.get(pk=action.pk).version)

    seed_strategy()

    initiative = Initiative.objects.get(pk=initiative.pk)
    project = Project.objects.get(pk=project.pk)
    action = CountryAction.objects.get(pk=action.pk)
    assert initiative.summary_ja == "担当者が書き直した概要"
    assert initiative.owner_id == officer.pk
    assert project.name_en == "Name as the officer wrote it"
    assert action.text_en == "Action as the officer translated it"
    assert (initiative.version, project.version, action.version) == versions
    assert initiative.history.first().history_user == officer


# --- 17. the managers' digest does not repeat last week's news ------------------------------

def next_monday_after_next_week():
    """A Monday at least a week ahead of the real date, so that every digest in the test is
    dated after the moment it is actually created."""
    today = timezone.localdate()
    return today + timedelta(days=(7 - today.weekday()) % 7 + 7)


def digest_body(manager, on):
    delivery = Delivery.objects.filter(recipient=manager, kind=ReminderKind.MANAGER_DIGEST,
                                       occasion=on.isoformat()).first()
    return delivery.body_text if delivery else ""


def dated(manager, on, sent_on=None, at=time(8)):
    """Date the digest for `on` as if it had gone out on `sent_on` (default: that Monday
    morning, as the weekly task sends it)."""
    Delivery.objects.filter(recipient=manager, kind=ReminderKind.MANAGER_DIGEST,
                            occasion=on.isoformat()).update(
        created_at=datetime.combine(sent_on or on, at, tzinfo=ZoneInfo(settings.TIME_ZONE)))


def test_a_milestone_newly_overdue_is_reported_in_one_weekly_digest_only(manager,
                                                                         own_initiative):
    monday = next_monday_after_next_week()
    MilestoneFactory(initiative=own_initiative, title_ja="日曜期限の節目",
                     planned_due_on=monday - timedelta(days=1),
                     baseline_due_on=monday - timedelta(days=1), status=WorkStatus.IN_PROGRESS)
    MilestoneFactory(initiative=own_initiative, title_ja="月曜期限の節目",
                     planned_due_on=monday, baseline_due_on=monday)
    MilestoneFactory(initiative=own_initiative, title_ja="木曜期限の節目",
                     planned_due_on=monday + timedelta(days=3),
                     baseline_due_on=monday + timedelta(days=3))

    assert manager_digest_sweep(on=monday).by_kind == {"manager_digest": 1}
    dated(manager, monday)
    next_monday = monday + timedelta(days=7)
    assert manager_digest_sweep(on=next_monday).by_kind == {"manager_digest": 1}

    first, second = digest_body(manager, monday), digest_body(manager, next_monday)
    assert "日曜期限の節目" in first
    assert "日曜期限の節目" not in second
    # Due on the day of the first digest, overdue from the next: the second digest's news.
    assert "月曜期限の節目" not in first and "月曜期限の節目" in second
    assert "木曜期限の節目" in second


def test_digests_sent_for_given_days_do_not_repeat_a_milestone(manager, own_initiative,
                                                               mailoutbox):
    """`send_reminders --manager-digest --date` sends the digest of a given Monday; what
    the previous digest covered follows from the Monday it was for."""
    monday = next_monday_after_next_week()
    MilestoneFactory(initiative=own_initiative, title_ja="日曜期限の節目",
                     planned_due_on=monday - timedelta(days=1),
                     baseline_due_on=monday - timedelta(days=1))
    MilestoneFactory(initiative=own_initiative, title_ja="木曜期限の節目",
                     planned_due_on=monday + timedelta(days=3),
                     baseline_due_on=monday + timedelta(days=3))

    for day in (monday, monday + timedelta(days=7)):
        call_command("send_reminders", "--manager-digest", "--date", day.isoformat(),
                     stdout=StringIO())

    first, second = (m.body for m in mailoutbox)
    assert "日曜期限の節目" in first
    assert "木曜期限の節目" in second
    assert "日曜期限の節目" not in second


def test_a_digest_sent_a_day_late_loses_no_milestone(manager, own_initiative):
    """The worker was down on Monday; the operator sends Monday's digest on Tuesday. A
    milestone due that Monday (overdue from Tuesday) still reaches the managers."""
    monday = next_monday_after_next_week()
    MilestoneFactory(initiative=own_initiative, title_ja="月曜期限の節目",
                     planned_due_on=monday, baseline_due_on=monday)
    MilestoneFactory(initiative=own_initiative, title_ja="先週期限の節目",
                     planned_due_on=monday - timedelta(days=2),
                     baseline_due_on=monday - timedelta(days=2))

    manager_digest_sweep(on=monday)
    dated(manager, monday, sent_on=monday + timedelta(days=1))
    manager_digest_sweep(on=monday + timedelta(days=7))

    first, second = digest_body(manager, monday), digest_body(manager, monday + timedelta(days=7))
    assert "先週期限の節目" in first
    assert "月曜期限の節目" in first + second


# --- 18. a reminder waiting for a daily digest is not sent on its own ------------------------

ON = timezone.localdate() + timedelta(days=200)  # a day on which nothing else falls due


def old_delivery(recipient, subject, **fields):
    """A delivery claimed an hour ago and never sent."""
    delivery = DeliveryFactory(recipient=recipient, subject=subject, **fields)
    Delivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - timedelta(hours=1))
    return delivery


@pytest.fixture
def short_lease(settings):
    settings.REMINDER_SEND_LEASE_SECONDS = 1


@pytest.mark.parametrize("kind", [ReminderKind.DUE_SOON, ReminderKind.OVERDUE,
                                  ReminderKind.STALE, ReminderKind.MANAGER_DIGEST,
                                  ReminderKind.NEW_SUPPORT_MEASURE])
def test_a_reminder_waiting_for_the_daily_digest_is_not_sent_on_its_own(short_lease, officer,
                                                                        own_initiative, kind):
    milestone = MilestoneFactory(initiative=own_initiative)
    waiting = old_delivery(officer, milestone, kind=kind, frequency=Frequency.DAILY_DIGEST)

    report = reminders_sweep(on=ON)

    assert waiting.pk not in report.to_send
    waiting.refresh_from_db()
    assert waiting.bundled_in_id is not None, "it goes out in the digest instead"
    assert report.to_send == [waiting.bundled_in_id]


def test_a_reminder_already_bundled_goes_out_with_its_digest_only(short_lease, officer,
                                                                  own_initiative):
    milestone = MilestoneFactory(initiative=own_initiative)
    container = old_delivery(officer, officer, kind=ReminderKind.DAILY_DIGEST,
                             occasion=(ON - timedelta(days=1)).isoformat())
    bundled = old_delivery(officer, milestone, frequency=Frequency.DAILY_DIGEST,
                           bundled_in=container)

    report = reminders_sweep(on=ON)

    assert bundled.pk not in report.to_send
    assert container.pk in report.to_send, "the stranded digest itself is sent again"


def test_a_stranded_immediate_reminder_is_sent_again(short_lease, officer, own_initiative):
    stranded = old_delivery(officer, MilestoneFactory(initiative=own_initiative))
    assert stranded.pk in reminders_sweep(on=ON).to_send
