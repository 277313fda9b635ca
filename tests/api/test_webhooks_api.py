"""/api/v1/webhooks/: administrators only; the secret shown once; URLs checked; a test event
sent and logged with its response code."""

import pytest

from programs.models import WebhookDelivery, WebhookEndpoint
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
    read = api.get(endpoint_url)
    assert "secret" not in read.json()
    assert read["ETag"] == created["ETag"]  # the creation's tag names the record as read
    assert "secret" not in api.get(URL).json()["results"][0]

    with django_capture_on_commit_callbacks(execute=True):
        tested = api.post(f"{endpoint_url}test/", HTTP_IF_MATCH=read["ETag"])
    assert tested.status_code == 202 and tested.json()["status"] == "pending"
    [(headers, body)] = receiver.requests
    assert verify_tracker_signature(secret, headers["Tracker-Signature"], body)
    log = api.get(f"{endpoint_url}deliveries/").json()["results"]
    assert [(d["event_type"], d["last_status_code"]) for d in log] == [("ping", 200)]

    rotated = api.post(f"{endpoint_url}rotate-secret/", HTTP_IF_MATCH=read["ETag"])
    assert rotated.json()["secret"] != secret
    changed = api.patch(endpoint_url, {"events": ["milestone.overdue"], "is_active": False},
                        format="json", HTTP_IF_MATCH=rotated["ETag"])
    assert changed.status_code == 200 and changed.json()["events"] == ["milestone.overdue"]
    assert api.delete(endpoint_url, HTTP_IF_MATCH=changed["ETag"]).status_code == 204


def test_a_change_of_an_endpoint_names_the_endpoint_as_read(api, administrator, owner,
                                                             receiver):
    created = register(api, administrator, owner=owner.pk, url=receiver.url)
    endpoint_url = f"{URL}{created.json()['id']}/"
    read = api.get(endpoint_url)
    change = {"description": "基幹システム"}

    writes = [lambda **tag: api.patch(endpoint_url, {"is_active": False}, format="json", **tag),
              lambda **tag: api.post(f"{endpoint_url}test/", **tag),
              lambda **tag: api.post(f"{endpoint_url}rotate-secret/", **tag),
              lambda **tag: api.delete(endpoint_url, **tag)]
    for write in writes:
        missing = write()
        assert (missing.status_code, missing.json()["code"]) == (428, "precondition_required")
    changed = api.patch(endpoint_url, change, format="json", HTTP_IF_MATCH=read["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != read["ETag"]

    # A copy read before that change no longer matches: nothing is changed, nothing sent.
    for write in writes:
        stale = write(HTTP_IF_MATCH=read["ETag"])
        assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")
    assert not receiver.requests and not WebhookDelivery.objects.exists()
    assert WebhookEndpoint.objects.get().is_active
    assert api.get(endpoint_url)["ETag"] == changed["ETag"]
    assert api.delete(endpoint_url, HTTP_IF_MATCH="*").status_code == 204


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
