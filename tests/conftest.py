import pytest
from rest_framework.test import APIClient

from tests.factories import InitiativeFactory, UserFactory
from tests.support.figures import FIGURES


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


@pytest.fixture
def immediate_on_commit(monkeypatch):
    """Run transaction.on_commit callbacks at once: inside a test's transaction nothing ever
    commits, yet the e-mails queued "after commit" are what the test is about."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` signs it in (None: anonymous)."""
    client = APIClient()

    def as_user(user):
        client.force_authenticate(user=user)
        return client

    client.as_user = as_user
    return client
