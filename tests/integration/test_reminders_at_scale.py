"""The generated data set (`generate_load --scale 0.05`) swept by real workers on Redis: one
e-mail a person a day, the managers' digest naming unowned work, and a worker killed mid-sweep
leaving nothing pending two minutes after a worker is back.

Runs where CI runs: with redis-server and PostgreSQL (the workers share the test database; the
broker is a Redis server of the test's own, so no other test process can touch its queue).
"""

import re
import signal
import time
from collections import Counter

import pytest
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from accounts.models import User
from devtools.load import generate_load
from programs.models import Delivery, DeliveryStatus, Initiative, ReminderKind, ReminderTime
from programs.selectors.ownership import unowned_initiatives
from programs.services.common import today
from programs.services.reminders import reminders_sweep
from programs.services.reminders.outbox import outbox_due
from programs.services.seed import seed_strategy
from tests.factories import UserFactory
from tests.support import processes
from tests.support.processes import mails, stop, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    processes.needs_redis_and_postgresql,
]


@pytest.fixture
def generated():
    """The seed and the generated data, everyone's reminder hour already past today."""
    seed_strategy()
    generate_load(scale=0.05)
    UserFactory(role="manager", username="digest_reader")
    ReminderTime.objects.bulk_create([ReminderTime(user=user, hour=0)
                                      for user in User.objects.all()])
    # The migration's schedule is gone after an earlier transactional test: made again.
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(name="Outbox flush (every minute)", defaults={
        "task": "programs.tasks.flush_outbox", "interval": every_minute})


@pytest.fixture
def broker(tmp_path, private_redis):
    """Publishes a task to the test's own Redis, as beat would."""
    return lambda task_name: processes.publish(task_name, tmp_path, private_redis)


def settled(expected):
    """Every reminder expected is claimed, and nothing due is waiting (alone or for its
    digest) or being handed over."""
    now = timezone.now()
    return (Delivery.objects.exclude(kind__in=(ReminderKind.DAILY_DIGEST,
                                               ReminderKind.MANAGER_DIGEST)).count()
            == expected["sent"]
            and not outbox_due(now)
            and not Delivery.objects.filter(status=DeliveryStatus.SENDING).exists()
            and not Delivery.objects.filter(frequency="daily_digest", bundled_in=None,
                                            status=DeliveryStatus.PENDING,
                                            not_before__lte=now).exists())


def recipients(mail_dir):
    # A file may hold more than one message (the file backend appends to a file it reopens).
    return Counter(address for path in mails(mail_dir)
                   for address in re.findall(r"^To: (.+)$", path.read_text(), re.MULTILINE))


def test_one_sweep_sends_each_person_at_most_one_e_mail(generated, broker, tmp_path,
                                                        private_redis):
    expected = reminders_sweep(on=today(), dry_run=True).as_dict()
    assert expected["sent"] > 20, expected
    worker = processes.start_worker(tmp_path, REDIS_URL=private_redis)
    try:
        broker("programs.tasks.send_daily_reminders")
        assert wait_for(lambda: settled(expected), timeout=180)
        time.sleep(2)
        per_person = recipients(tmp_path)
        assert max(per_person.values()) == 1, per_person.most_common(3)
        assert len(per_person) == expected["emails"]

        broker("programs.tasks.send_manager_digests")
        assert wait_for(lambda: Delivery.objects.filter(
            kind=ReminderKind.MANAGER_DIGEST, status=DeliveryStatus.SENT).exists())
        digest = Delivery.objects.filter(kind=ReminderKind.MANAGER_DIGEST).first()
        orphan = unowned_initiatives(Initiative.objects.all()).order_by("path").first()
        assert orphan is not None and orphan.name_ja in digest.body_text
    finally:
        stop(worker)


def test_a_worker_killed_mid_sweep_leaves_nothing_pending_after_a_worker_is_back(
        generated, broker, tmp_path, private_redis):
    expected = reminders_sweep(on=today(), dry_run=True).as_dict()
    worker = processes.start_worker(tmp_path, REDIS_URL=private_redis,
                                    CELERY_VISIBILITY_TIMEOUT="3")
    try:
        broker("programs.tasks.send_daily_reminders")
        assert wait_for(Delivery.objects.exists, timeout=60), "the sweep never claimed"
        stop(worker, signal.SIGKILL)
    finally:
        stop(worker, signal.SIGKILL)
    claimed_when_killed = Delivery.objects.count()
    back = time.monotonic()
    restarted = processes.start_worker(tmp_path, REDIS_URL=private_redis,
                                       CELERY_VISIBILITY_TIMEOUT="3", beat=True)
    try:
        assert wait_for(lambda: settled(expected), timeout=120), (
            claimed_when_killed, Counter(Delivery.objects.values_list("status", flat=True)))
        assert time.monotonic() - back <= 120
        time.sleep(3)
        assert max(recipients(tmp_path).values()) == 1
    finally:
        stop(restarted)
