"""Webhooks in the admin: administrators register endpoints (the secret shown once), send a
test event, and find failed deliveries with their response codes; nobody else gets in."""

import uuid
import warnings

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.utils.deprecation import RemovedInDjango60Warning

from programs.admin.webhooks import WebhookEndpointForm
from programs.models import WebhookDelivery, WebhookEndpoint
from tests.factories import OrganisationFactory, UserFactory

ADD = "/admin/programs/webhookendpoint/add/"
LIST = "/admin/programs/webhookendpoint/"
DELIVERIES = "/admin/programs/webhookdelivery/"


@pytest.fixture
def owner(db):
    return UserFactory(role="manager", organisation=OrganisationFactory(code="jetro"))


def add(client, owner, url):
    return client.post(ADD, {"organisation": owner.organisation.pk, "owner": owner.pk,
                             "url": url, "description": "基幹システム",
                             "events": ["milestone.changed", "exporter.approved"],
                             "is_active": "on"})


def test_an_administrator_registers_an_endpoint_tests_it_and_reads_the_log(
        client, administrator, owner, receiver, django_capture_on_commit_callbacks):
    client.force_login(administrator)
    response = add(client, owner, receiver.url)
    assert response.status_code == 302, response.content.decode()[:2000]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["exporter.approved", "milestone.changed"]
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert endpoint.secret in shown
    client.get(response.url)  # the page the message is shown on, once
    assert endpoint.secret not in client.get(f"{LIST}{endpoint.pk}/change/").content.decode()

    receiver.fail_next = 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(LIST, {"action": "send_test_event", "_selected_action": [endpoint.pk]})
    delivery = WebhookDelivery.objects.get()
    assert delivery.event_type == "ping" and delivery.last_status_code == 500
    log = client.get(f"{DELIVERIES}?endpoint__id__exact={endpoint.pk}").content.decode()
    assert "500" in log and "ping" in log
    WebhookDelivery.objects.update(status="failed")
    failed = client.get(f"{DELIVERIES}?status__exact=failed").content.decode()
    assert receiver.url.split("?")[0] in failed


def test_a_private_target_is_refused_on_the_form(client, administrator, owner, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    client.force_login(administrator)
    response = add(client, owner, "https://10.0.0.5/hook")
    assert response.status_code == 200 and not WebhookEndpoint.objects.exists()
    assert "webhook_url_refused" in {
        error.code for error in response.context["adminform"].form.errors.as_data()["url"]}


@pytest.mark.parametrize("role", ["officer", "manager"])
def test_only_administrators_see_webhooks(client, db, role):
    client.force_login(UserFactory(role=role))
    assert client.get(LIST).status_code == 403
    assert client.get(DELIVERIES).status_code == 403


def test_the_endpoint_list_counts_failed_deliveries_in_a_fixed_number_of_queries(
        client, administrator, owner, django_assert_max_num_queries):
    client.force_login(administrator)
    for number in range(12):
        endpoint = WebhookEndpoint.objects.create(
            organisation=owner.organisation, owner=owner, url=f"https://hooks.example.jp/{number}",
            events=["milestone.changed"], secret=f"whsec_{number}")
        for status in ["failed"] * (number % 3) + ["sent"]:
            WebhookDelivery.objects.create(endpoint=endpoint, event_id=uuid.uuid4(),
                                           event_type="ping", status=status, body="{}")
    with django_assert_max_num_queries(12):
        page = client.get(LIST)
    assert page.status_code == 200
    counts = {row.url: row.failed_count for row in page.context["cl"].result_list}
    assert counts == {f"https://hooks.example.jp/{number}": number % 3 for number in range(12)}
    assert "status__exact=failed\">2</a>" in page.content.decode()


def test_a_url_typed_without_a_scheme_is_read_as_https(rf, administrator):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RemovedInDjango60Warning)
        request = rf.get(ADD)
        request.user = administrator
        admin_form = admin.site._registry[WebhookEndpoint].get_form(request)()
        plain_form = WebhookEndpointForm()
    for form in (admin_form, plain_form):
        assert form.fields["url"].clean("hooks.example.jp/tracker") == (
            "https://hooks.example.jp/tracker")
