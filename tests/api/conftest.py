import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` signs it in (None: anonymous)."""
    client = APIClient()

    def as_user(user):
        client.force_authenticate(user=user)
        return client

    client.as_user = as_user
    return client
