import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import InitiativeFactory, UserFactory
from tests.support.figures import FIGURES
from tests.support.scene import build_scene
from tests.support.shared_data import built_once, private_copy


def pytest_sessionfinish(session):
    """In a parallel run each worker hands its figures to the process that prints them."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["figures"] = FIGURES


def pytest_testnodedown(node, error):
    FIGURES.extend(getattr(node, "workeroutput", {}).get("figures", []))


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("reliability figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session", autouse=True)
def celery_loaded():
    """Celery's Django fix-up sets Django up again, logging included, when a process first
    sends a task: done before any test, so that it cannot drop the log capture (caplog) of
    whichever test happens to send first in its process."""
    from tracker.celery import app

    app.loader.import_default_modules()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language: a request that asked for English leaves
    English active in the thread, and a later test in the same process would read it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def fresh_cache():
    """The cache emptied before and after the test (throttle counters): only this test
    process's keys, since parallel test processes share one Redis in CI."""

    def clear():
        if hasattr(cache, "delete_pattern"):  # Redis: the keys under this process's prefix
            cache.delete_pattern("*")
        else:
            cache.clear()

    clear()
    yield
    clear()


@pytest.fixture
def officer(db):
    return UserFactory(role="officer", username="officer_a")


@pytest.fixture
def other_officer(db):
    return UserFactory(role="officer", username="officer_b")


@pytest.fixture
def manager(db):
    return UserFactory(role="manager", username="manager_a")


@pytest.fixture
def administrator(db):
    return UserFactory(role="administrator", username="admin_a", is_superuser=True)


@pytest.fixture
def exporter(db):
    return UserFactory(role="exporter", username="exporter_a", is_staff=False)


@pytest.fixture
def own_initiative(officer):
    return InitiativeFactory(owner=officer)


@pytest.fixture
def others_initiative(other_officer):
    return InitiativeFactory(owner=other_officer)


@pytest.fixture(scope="module")
def add_to_scene():
    """What a module adds to the shared scene, a function of the scene that returns it; a
    module that needs more overrides this fixture."""
    return lambda scene: scene


@pytest.fixture(scope="module")
def shared_scene(django_db_setup, django_db_blocker, add_to_scene):
    """The scene of tests.support.scene with the module's additions, built once per module."""
    with built_once(django_db_blocker, lambda: add_to_scene(build_scene())) as records:
        yield records


@pytest.fixture
def scene(db, shared_scene):
    """The module's shared scene; what a test writes is rolled back after it."""
    return private_copy(shared_scene)


@pytest.fixture
def api(request):
    """An API client; `api.as_user(user)` signs it in (None: anonymous). In a test marked
    `overwrites` its changes send `If-Match: *` (overwrite whatever is current): for tests
    about something else than versions."""
    client = APIClient()
    if request.node.get_closest_marker("overwrites"):
        client.defaults["HTTP_IF_MATCH"] = "*"

    def as_user(user):
        client.force_authenticate(user=user)
        return client

    client.as_user = as_user
    return client


@pytest.fixture
def screenshot_dir(tmp_path):
    """Where screenshots go: the folder `make screenshots` names, else the test's own."""
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1 (allowed by the test settings), closed after the test."""
    from tests.support.webhook_receiver import Receiver

    server = Receiver()
    yield server
    server.close()
