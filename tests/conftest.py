import pytest

from tests.factories import InitiativeFactory, UserFactory


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
