"""/api/v1/webhooks/: administrators only; the secret shown once; URLs checked; a test event
sent and logged with its response code."""

import pytest

from programs.models import WebhookEndpoint
from tests.factories import OrganisationFactory, UserFactory
from tests.support.webhook_receiver import verify_tracker_signature

URL = "/api/v1/webhooks/"


@pytest.fixture
def owner(db):
    return UserFactory(role="manager", username="jetro_systems",
                       organisation=OrganisationFactory(code="jetro"))


def register(api, user, **changes):
    return api.as_user(user).post(URL, {
        "organisation": "jetro", "owner": changes.pop("owner"), "url": changes.pop("url"),
        "events": ["milestone.changed", "progress_report.approved"], **changes}, format="json")


def test_an_administrator_registers_an_endpoint_and_sees_its_secret_once(
        api, administrator, owner, receiver, django_capture_on_commit_callbacks):
    created = register(api, administrator, owner=owner.pk, url=receiver.url)
    assert created.status_code == 201, created.json()
    secret = created.json()["secret"]
    assert secret.startswith("whsec_") and secret == WebhookEndpoint.objects.get().secret
    endpoint_url = f"{URL}{created.json()['id']}/"
    assert "secret" not in api.get(endpoint_url).json()
    assert "secret" not in api.get(URL).json()["results"][0]

    with django_capture_on_commit_callbacks(execute=True):
        tested = api.post(f"{endpoint_url}test/")
    assert tested.status_code == 202 and tested.json()["status"] == "pending"
    [(headers, body)] = receiver.requests
    assert verify_tracker_signature(secret, headers["Tracker-Signature"], body)
    log = api.get(f"{endpoint_url}deliveries/").json()["results"]
    assert [(d["event_type"], d["last_status_code"]) for d in log] == [("ping", 200)]

    rotated = api.post(f"{endpoint_url}rotate-secret/").json()["secret"]
    assert rotated != secret
    changed = api.patch(endpoint_url, {"events": ["milestone.overdue"], "is_active": False},
                        format="json")
    assert changed.status_code == 200 and changed.json()["events"] == ["milestone.overdue"]
    assert api.delete(endpoint_url).status_code == 204


@pytest.mark.parametrize("role", ["officer", "manager", "exporter"])
def test_only_administrators_manage_webhooks(api, owner, role, receiver):
    user = UserFactory(role=role)
    assert api.as_user(user).get(URL).status_code == 403
    assert register(api, user, owner=owner.pk, url=receiver.url).status_code == 403


def test_a_private_target_is_refused_in_the_error_shape(api, administrator, owner, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    answer = register(api, administrator, owner=owner.pk,
                      url="https://169.254.169.254/latest/meta-data/")
    assert answer.status_code == 400
    assert answer.json()["fields"]["url"][0]["code"] == "webhook_url_refused"


def test_the_owner_must_belong_to_the_organisation(api, administrator, receiver):
    OrganisationFactory(code="jetro")
    stranger = UserFactory(role="manager")
    answer = register(api, administrator, owner=stranger.pk, url=receiver.url)
    assert answer.status_code == 400
    assert answer.json()["fields"]["owner"][0]["code"] == "invalid_webhook_owner"


def test_unknown_events_are_refused(api, administrator, owner, receiver):
    answer = register(api, administrator, owner=owner.pk, url=receiver.url,
                      events=["milestone.deleted"])
    assert answer.status_code == 400 and "events" in answer.json()["fields"]
