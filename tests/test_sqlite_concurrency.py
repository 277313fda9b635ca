"""SQLite under `make run`: the web server and the worker write to one file at the same time."""

import json
import os
import subprocess
import sys
import time

from django.conf import settings

WRITES_PER_PROCESS = 15


def _run(environment, *args):
    return subprocess.Popen([sys.executable, "-m", "tests.support.sqlite_writer", *args],
                            env=environment, cwd=settings.BASE_DIR, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_two_processes_writing_to_one_sqlite_file_at_once_both_succeed(tmp_path):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tracker.settings.test",
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                   "PYTHONPATH": str(settings.BASE_DIR)}
    setup = _run(environment, "setup")
    out, err = setup.communicate(timeout=120)
    assert setup.returncode == 0, err
    milestone = json.loads(out.splitlines()[-1])["milestone"]

    start = str(time.time() + 3)  # both processes are up and connected by then
    writers = [_run(environment, "write", str(milestone), str(WRITES_PER_PROCESS), start)
               for _ in range(2)]
    codes = []
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        codes += json.loads(out.splitlines()[-1])

    assert codes == [201] * (2 * WRITES_PER_PROCESS)  # no 503 database_unavailable
