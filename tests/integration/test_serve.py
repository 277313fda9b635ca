"""`make serve`, the production stack of the Procfile (gunicorn, two Celery workers, one beat,
under the production settings), serves a sign-in, a milestone change and the reminder it
makes due: one e-mail.

PostgreSQL and redis-server only (the stack's processes share the test database; CI runs it
there). Mail goes to files: the production settings take `EMAIL_URL=filemail://` and
`EMAIL_FILE_PATH` from the environment like any other mail server.
"""

import re
import secrets
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.utils import timezone

from programs.models import Milestone
from tests.factories import (
    InitiativeFactory,
    MilestoneFactory,
    NotificationPreferenceFactory,
    ReminderTimeFactory,
    UserFactory,
)
from tests.support import processes
from tests.support.processes import mails, stop, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None or shutil.which("make") is None
                       or connection.vendor != "postgresql",
                       reason="needs make, redis-server and PostgreSQL (CI runs it there)"),
]
PASSWORD = "secret-pass-2026"
# Production redirects plain HTTP to HTTPS; the TLS proxy in front says the request came so.
BEHIND_TLS_PROXY = {"X-Forwarded-Proto": "https"}


def make_serve(tmp_path, *, port, redis_url):
    """`make serve` with this virtualenv (not reinstalled) and production's environment."""
    venv = Path(sys.prefix)
    environment = {
        # The processes' settings come from make serve itself, never from the test's.
        **{name: value for name, value in processes.app_environment(tmp_path).items()
           if name not in ("DJANGO_SETTINGS_MODULE", "EMAIL_BACKEND")},
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": redis_url, "SERVE_BIND": f"127.0.0.1:{port}", "WORKER_CONCURRENCY": "1",
        "EMAIL_URL": "filemail://", "STATIC_ROOT": str(tmp_path / "static"),
        # The officer signs in with a password alone (no authenticator in a test).
        "STAFF_OTP_REQUIRED": "false",
    }
    return processes.start(["make", "--no-print-directory", "-o", f"{venv}/.installed",
                            "serve", f"VENV={venv}"], environment, tmp_path)


def stack_output(tmp_path):
    return "".join(path.read_text()[-4000:] for path in tmp_path.glob("make-*.out"))


def ready(site):
    try:
        return requests.get(f"{site}/health/ready/", timeout=10).status_code == 200
    except requests.RequestException:  # not listening yet, or still starting
        return False


def test_make_serve_signs_in_takes_a_change_and_sends_the_reminder_it_makes_due_once(
        tmp_path, private_redis):
    officer = UserFactory(role="officer", email="officer@example.jp")
    processes.hash_as_servers_do(officer, PASSWORD)
    ReminderTimeFactory(user=officer, hour=0)  # already past today: the sweep sends now
    NotificationPreferenceFactory(user=officer, kind="due_soon", frequency="immediate")
    far = timezone.localdate() + timedelta(days=100)
    milestone = MilestoneFactory(initiative=InitiativeFactory(owner=officer), owner=officer,
                                 planned_due_on=far, baseline_due_on=far)
    port = processes.free_port()
    site = f"http://127.0.0.1:{port}"
    stack = make_serve(tmp_path, port=port, redis_url=private_redis)
    try:
        assert wait_for(lambda: ready(site), timeout=180), stack_output(tmp_path)
        signed_in = requests.post(f"{site}/api/v1/auth/token/", json={
            "username": officer.username, "password": PASSWORD}, headers=BEHIND_TLS_PROXY,
            timeout=30)
        assert signed_in.status_code == 200, signed_in.text
        token = signed_in.json()["token"]

        due_in_a_week = timezone.localdate() + timedelta(days=7)
        changed = requests.patch(
            f"{site}/api/v1/milestones/{milestone.pk}/",
            json={"planned_due_on": due_in_a_week.isoformat()},
            headers={**BEHIND_TLS_PROXY, "Authorization": f"Token {token}",
                     "If-Match": f'"v{milestone.version}"'}, timeout=30)
        assert changed.status_code == 200, changed.text
        assert Milestone.objects.get(pk=milestone.pk).planned_due_on == due_in_a_week

        processes.publish("programs.tasks.send_daily_reminders", tmp_path, private_redis)
        assert wait_for(lambda: mails(tmp_path), timeout=120), stack_output(tmp_path)
        time.sleep(5)  # a second e-mail, from the other worker or beat, would show by now
        sent = "".join(path.read_text() for path in mails(tmp_path))
        assert len(re.findall(r"^Message-ID: ", sent, re.MULTILINE)) == 1, sent
        assert re.findall(r"^To: (.+)$", sent, re.MULTILINE) == ["officer@example.jp"]
    finally:
        stop(stack)
