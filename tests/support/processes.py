"""Real servers for the integration tests: a Celery worker, the web app under gunicorn and a
private Redis, each a separate process that shares the test database (so: PostgreSQL)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

# The tests that start real servers (Redis, workers, web processes) on CI's PostgreSQL.
needs_redis_and_postgresql = pytest.mark.skipif(
    shutil.which("redis-server") is None or connection.vendor != "postgresql",
    reason="needs redis-server and PostgreSQL (CI runs it there)")


ROOT = Path(settings.BASE_DIR)


def database_url():
    db = connection.settings_dict
    return (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_environment(mail_dir, **overrides):
    """The environment of a worker or web process on the test database, mailing to files."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "tracker.settings.development",
            "DATABASE_URL": database_url(),
            "EMAIL_BACKEND": "tests.support.slow_mail.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir), "REMINDER_SEND_LEASE_SECONDS": "1",
            "PYTHONPATH": str(ROOT), **overrides}


def start(command, environment, output_dir):
    """Start `command`; what it prints goes to <output_dir>/<program>-<n>.out, for the
    post-mortem of a failed test."""
    name = Path(command[2] if command[0] == sys.executable else command[0]).name
    output = (Path(output_dir) / f"{name}-{len(list(Path(output_dir).glob('*.out')))}.out")
    with output.open("wb") as sink:
        return subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True,
                                stdout=sink, stderr=subprocess.STDOUT)


def start_worker(mail_dir, *, beat=False, **overrides):
    """A worker; with `beat`, running the periodic tasks of the database too (the one-minute
    outbox flush), as `make run` does."""
    return start([sys.executable, "-m", "celery", "-A", "tracker", "worker", "--pool", "solo",
                  "--without-gossip", "--without-mingle", "--without-heartbeat",
                  *(["--beat", "--schedule", str(Path(mail_dir) / "beat-schedule")] if beat
                    else []),
                  "--loglevel", "WARNING"], app_environment(mail_dir, **overrides), mail_dir)


def start_web(mail_dir, port, **overrides):
    return start([sys.executable, "-m", "gunicorn", "tracker.wsgi:application", "--workers",
                  "1", "--bind", f"127.0.0.1:{port}"], app_environment(mail_dir, **overrides),
                 mail_dir)


def start_redis(port, output_dir):
    return start(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                  "--appendonly", "no"], dict(os.environ), output_dir)


def publish(task_name, mail_dir, redis_url):
    """What beat does: publish `task_name` to the broker at `redis_url`, from a process of its
    own (the test process's Celery app runs tasks eagerly)."""
    subprocess.run([sys.executable, "-m", "celery", "-A", "tracker", "call", task_name],
                   env=app_environment(mail_dir, REDIS_URL=redis_url), check=True,
                   capture_output=True, timeout=60)


def stop(process, sig=signal.SIGTERM):
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=30)


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def listening(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def mails(mail_dir):
    return sorted(Path(mail_dir).glob("*.log"))


# Django's file backend ends each message with this line.
MESSAGE_END = "-" * 79


def sent_messages(mail_dir):
    """Each e-mail written to `mail_dir`: a file per connection holds one or more (two sends in
    the same second, by backends at the same address, append to one file)."""
    return [message for path in mails(mail_dir)
            for message in path.read_text().split(MESSAGE_END) if message.strip()]


def hash_as_servers_do(user, password):
    """Give `user` `password` hashed by the servers' hasher (the test settings' fast one is
    not among theirs)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(password, hasher.salt())
    user.save(update_fields=["password"])
