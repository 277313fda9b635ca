"""Settings are read, not acted on: loading them changes nothing on disk, and they bound how
long a mail server or a task may hold a worker."""

import os
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from tracker.celery import app

ROOT = Path(__file__).resolve().parent.parent


def test_loading_the_development_settings_creates_no_folder(tmp_path):
    broker_folder = tmp_path / "broker"
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    environment.update(CELERY_BROKER_FOLDER=str(broker_folder))
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings;"
         " print(settings.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in'])"],
        cwd=ROOT, env={**environment, "DJANGO_SETTINGS_MODULE": "tracker.settings.development"},
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(broker_folder / "queue")
    assert not broker_folder.exists()


def test_a_silent_mail_server_is_given_up_on(settings):
    """A server that accepts the connection and never greets: the send fails after
    EMAIL_TIMEOUT seconds (at most a minute unless configured) instead of holding the worker."""
    assert 0 < settings.EMAIL_TIMEOUT <= 60
    settings.EMAIL_TIMEOUT = 1
    with socket.socket() as silent_server:
        silent_server.bind(("127.0.0.1", 0))
        silent_server.listen()
        host, port = silent_server.getsockname()
        backend = SMTPBackend(host=host, port=port)
        started = time.monotonic()
        with pytest.raises((TimeoutError, smtplib.SMTPServerDisconnected)):
            backend.send_messages([EmailMessage("subject", "body", to=["a@example.jp"])])
    assert time.monotonic() - started < 10


def test_a_hung_task_is_interrupted_then_killed():
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit
