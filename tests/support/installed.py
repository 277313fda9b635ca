"""What a test needs from the machine (a font, poppler, a browser) and may not find: it skips
on a developer's machine without it, and fails under CI (the `CI` variable set), which
installs everything (`.ci/run`), so that a missing package never passes as a skipped test."""

import os

import pytest


def missing(message):
    """Stop the test for want of what `message` names: a failure under CI, else a skip."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
