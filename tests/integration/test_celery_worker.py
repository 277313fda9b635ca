"""A real Celery worker on Redis sends the reminders, once, even when killed mid-send.

Runs where CI runs: on PostgreSQL (the worker is a separate process and must share the test
database), with a Redis server of its own, so that nothing else the suite does to a shared
Redis (a cache cleared by another test process) can touch its queue.
"""

import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from programs.models import Delivery, DeliveryStatus
from tests.factories import (
    InitiativeFactory,
    MilestoneFactory,
    NotificationPreferenceFactory,
    ReminderTimeFactory,
    UserFactory,
)
from tests.support import processes
from tests.support.processes import mails, sent_messages, stop, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    processes.needs_redis_and_postgresql,
]
DAILY_SWEEP = "programs.tasks.send_daily_reminders"


@pytest.fixture
def broker(private_redis):
    return private_redis


def start_worker(mail_dir, broker, *, slow_mail_seconds=0, visibility_timeout=3600):
    return processes.start_worker(mail_dir, REDIS_URL=broker,
                                  SLOW_MAIL_SECONDS=str(slow_mail_seconds),
                                  CELERY_VISIBILITY_TIMEOUT=str(visibility_timeout))


@pytest.fixture
def due_milestones():
    officer = UserFactory(role="officer", email="officer@example.jp")
    # Single e-mails, at an hour already past: the sweep sends three messages at once.
    ReminderTimeFactory(user=officer, hour=0)
    NotificationPreferenceFactory(user=officer, kind="due_soon", frequency="immediate")
    due = timezone.localdate() + timedelta(days=7)
    MilestoneFactory.create_batch(3, initiative=InitiativeFactory(owner=officer),
                                  planned_due_on=due, baseline_due_on=due)


def test_a_worker_sends_each_reminder_once(due_milestones, broker, tmp_path):
    worker = start_worker(tmp_path, broker)
    try:
        processes.publish(DAILY_SWEEP, tmp_path, broker)
        assert wait_for(lambda: len(sent_messages(tmp_path)) >= 3), (
            len(sent_messages(tmp_path)), list(Delivery.objects.values_list("kind", "status")))
        processes.publish(DAILY_SWEEP, tmp_path, broker)
        time.sleep(3)
        assert len(sent_messages(tmp_path)) == 3
        assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    finally:
        stop(worker)


def test_a_worker_killed_mid_send_still_delivers_each_message_once(due_milestones, broker,
                                                                   tmp_path):
    worker = start_worker(tmp_path, broker, slow_mail_seconds=4, visibility_timeout=3)
    try:
        processes.publish(DAILY_SWEEP, tmp_path, broker)
        assert wait_for(lambda: Delivery.objects.filter(
            status=DeliveryStatus.SENDING).exists()), "no delivery reached the sending state"
        stop(worker, signal.SIGKILL)
        assert sent_messages(tmp_path) == []
    finally:
        stop(worker, signal.SIGKILL)
    restarted = start_worker(tmp_path, broker, slow_mail_seconds=0.1, visibility_timeout=3)
    try:
        assert wait_for(lambda: len(sent_messages(tmp_path)) >= 3, timeout=90), (
            len(sent_messages(tmp_path)), list(Delivery.objects.values_list("status", "attempts")))
        time.sleep(5)  # anything sent twice would show up now
        assert len(sent_messages(tmp_path)) == 3
        assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    finally:
        stop(restarted)


def message_ids(mail_dir):
    return [line for path in mails(mail_dir) for line in path.read_text().splitlines()
            if line.startswith("Message-ID: ")]


@pytest.mark.parametrize("backend_can_tell, duplicates", [(False, 1), (True, 0)])
def test_a_send_killed_after_the_hand_over_duplicates_at_most_that_message(
        due_milestones, broker, tmp_path, backend_can_tell, duplicates):
    """Killed after the server took the message and before it is marked sent: the message in
    flight goes again under its own Message-ID (a receiving server drops it), unless the
    backend says it has it; nothing else goes twice."""
    can_tell = {"MAIL_CAN_TELL": "1"} if backend_can_tell else {}
    worker = processes.start_worker(tmp_path, REDIS_URL=broker, SLOW_MAIL_AFTER_SECONDS="6",
                                    CELERY_VISIBILITY_TIMEOUT="3", **can_tell)
    try:
        processes.publish(DAILY_SWEEP, tmp_path, broker)
        assert wait_for(lambda: len(sent_messages(tmp_path)) >= 1), "nothing was handed over"
        stop(worker, signal.SIGKILL)
    finally:
        stop(worker, signal.SIGKILL)
    restarted = processes.start_worker(tmp_path, REDIS_URL=broker, CELERY_VISIBILITY_TIMEOUT="3",
                                       beat=True, **can_tell)
    try:
        assert wait_for(lambda: set(Delivery.objects.values_list("status", flat=True)) == {
            DeliveryStatus.SENT}, timeout=120), list(Delivery.objects.values_list(
                "status", "attempts"))
        time.sleep(3)
        ids = message_ids(tmp_path)
        assert len(set(ids)) == 3
        assert len(ids) - len(set(ids)) == duplicates
    finally:
        stop(restarted)
