"""Scale-out: two web processes behind one PostgreSQL and one Redis act as one site (the
lockout, the throttle and the session hold across them), and two workers on one Redis deliver
each reminder once.

PostgreSQL and redis-server only (the processes share the test database; CI runs it there).
"""

import re
import time
from datetime import timedelta
from itertools import cycle

import pytest
import requests
from django.utils import timezone

from tests.factories import (
    InitiativeFactory,
    MilestoneFactory,
    NotificationPreferenceFactory,
    ReminderTimeFactory,
    UserFactory,
)
from tests.support import processes
from tests.support.processes import listening, mails, stop, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    processes.needs_redis_and_postgresql,
]
PASSWORD = "secret-pass-2026"
LOCKOUT_LIMIT = 3
AUTH_RATE = 6


@pytest.fixture
def two_sites(tmp_path, private_redis):
    """Two gunicorn processes on two ports, on the test database and one Redis."""
    ports = [processes.free_port(), processes.free_port()]
    servers = [processes.start_web(tmp_path, port, REDIS_URL=private_redis,
                                   AXES_FAILURE_LIMIT=str(LOCKOUT_LIMIT),
                                   THROTTLE_AUTH=f"{AUTH_RATE}/minute") for port in ports]
    try:
        assert wait_for(lambda: all(listening(port) for port in ports), timeout=120)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            stop(server)


def sign_in(site, username, password):
    return requests.post(f"{site}/api/v1/auth/token/",
                         json={"username": username, "password": password}, timeout=30)


def test_requests_alternating_between_two_web_processes_meet_one_lockout_and_one_throttle(
        two_sites):
    officer, other = UserFactory(role="officer"), UserFactory(role="officer")
    processes.hash_as_servers_do(officer, PASSWORD)
    sites = cycle(two_sites)

    wrong = [sign_in(next(sites), officer.username, "wrong") for _ in range(LOCKOUT_LIMIT)]
    # The failure that reaches the limit is refused already, and so is the right password.
    assert [response.status_code for response in wrong] == [400] * (LOCKOUT_LIMIT - 1) + [429]
    locked = sign_in(next(sites), officer.username, PASSWORD)
    assert (locked.status_code, locked.json()["code"]) == (429, "account_locked")

    # The token endpoint's rate counts every attempt above, from whichever process.
    remaining = [sign_in(next(sites), other.username, "wrong")
                 for _ in range(AUTH_RATE - LOCKOUT_LIMIT - 1)]
    assert [response.status_code for response in remaining] == [400] * len(remaining)
    throttled = sign_in(next(sites), other.username, "wrong")
    assert (throttled.status_code, throttled.json()["code"]) == (429, "throttled")


def test_a_session_opened_on_one_web_process_is_signed_in_on_the_other(two_sites):
    first, second = two_sites
    manager = UserFactory(role="manager")
    processes.hash_as_servers_do(manager, PASSWORD)
    browser = requests.Session()
    browser.get(f"{first}/admin/login/", timeout=30)
    signed_in = browser.post(f"{first}/admin/login/?next=/admin/", data={
        "username": manager.username, "password": PASSWORD,
        "csrfmiddlewaretoken": browser.cookies["csrftoken"]}, allow_redirects=False,
        timeout=30)
    assert signed_in.status_code == 302, signed_in.text[:500]

    assert browser.get(f"{second}/admin/", allow_redirects=False, timeout=30).status_code == 200
    stranger = requests.get(f"{second}/admin/", allow_redirects=False, timeout=30)
    assert stranger.status_code == 302


def test_two_workers_on_one_redis_deliver_each_reminder_once(tmp_path, private_redis):
    due = timezone.localdate() + timedelta(days=7)
    officers = UserFactory.create_batch(8, role="officer")
    for officer in officers:
        ReminderTimeFactory(user=officer, hour=0)  # already past: sent by this sweep
        NotificationPreferenceFactory(user=officer, kind="due_soon", frequency="immediate")
        MilestoneFactory.create_batch(2, initiative=InitiativeFactory(owner=officer),
                                      owner=officer, planned_due_on=due, baseline_due_on=due)
    workers = [processes.start_worker(tmp_path, REDIS_URL=private_redis) for _ in range(2)]
    try:
        # Two sweeps at once, one for each worker, and a third while they send.
        for _ in range(3):
            processes.publish("programs.tasks.send_daily_reminders", tmp_path, private_redis)
        assert wait_for(lambda: len(message_ids(tmp_path)) >= 16, timeout=120), (
            len(message_ids(tmp_path)))
        time.sleep(5)  # a message sent twice would show by now
        assert len(message_ids(tmp_path)) == len(set(message_ids(tmp_path))) == 16
        assert sorted(recipients(tmp_path)) == sorted(
            [officer.email for officer in officers] * 2)
    finally:
        for worker in workers:
            stop(worker)


def message_ids(mail_dir):
    return [line for path in mails(mail_dir)
            for line in re.findall(r"^Message-ID: .+$", path.read_text(), re.MULTILINE)]


def recipients(mail_dir):
    return [address for path in mails(mail_dir)
            for address in re.findall(r"^To: (.+)$", path.read_text(), re.MULTILINE)]
