"""Requests per second of the milestone list under gunicorn (2 workers), against the raw WSGI
app serving the same rows, each driven by a second process for the same time."""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .cases import PAGE_SIZE, REGION, client_of, manager

ROOT = Path(settings.BASE_DIR)
DRIVER_THREADS = 4
TARGET_SHARE = 0.75
URL = f"/api/v1/milestones/?overdue=true&region={REGION}&page_size={PAGE_SIZE}"


@dataclass
class Throughput:
    tracker: float
    raw: float

    @property
    def share(self):
        return self.tracker / self.raw

    @property
    def passed(self):
        return self.share >= TARGET_SHARE


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serving(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _requests_per_second(app, path, token, seconds):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "--workers", "2", "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning"],
        # One token drives the load: the throttle still counts every request, at a rate
        # that lets the load through (its own tests check that it refuses at its limit).
        cwd=ROOT, env={**os.environ, "DEBUG": "false", "THROTTLE_USER": "1000000/minute"},
        start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while not _serving(port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{app} did not start")
            time.sleep(0.2)
        drive = [sys.executable, "-m", "tests.benchmarks.drive", str(port), path]
        subprocess.run([*drive, "2", str(DRIVER_THREADS), token], cwd=ROOT, check=True,
                       capture_output=True)  # warm-up: both workers connected and loaded
        output = subprocess.run([*drive, str(seconds), str(DRIVER_THREADS), token], cwd=ROOT,
                                check=True, capture_output=True, text=True).stdout
        ok, failed = map(int, output.split())
        if failed:
            raise RuntimeError(f"{app}: {failed} requests failed")
        return ok / seconds
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def compare(*, seconds):
    token = client_of(manager()).defaults["HTTP_AUTHORIZATION"].split()[1]
    tracker = _requests_per_second("tracker.wsgi:application", URL, token, seconds)
    raw = _requests_per_second("tests.benchmarks.raw_wsgi:application", "/", "", seconds)
    return Throughput(tracker, raw)
