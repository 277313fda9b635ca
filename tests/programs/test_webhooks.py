"""Webhooks end to end: a receiver on 127.0.0.1 (allowed by the test settings) gets each event
once, signed; it survives being down; payloads are scoped to the endpoint's owner; and the
production rules refuse private targets (SSRF), plain http://, slow and endless answers."""

import json
import time
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone, translation

from exporters.services.notices import support_measure_announce
from programs.models import (
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
    WebhookEvent,
    WorkStatus,
)
from programs.services.milestones import (
    milestone_create,
    milestone_delete,
    milestone_transition,
    milestone_update,
)
from programs.services.progress_reports import (
    progress_report_approve,
    progress_report_return,
    progress_report_submit,
)
from programs.services.reminders import outbox_flush
from programs.services.webhooks import (
    webhook_endpoint_create,
    webhook_endpoint_send_test,
    webhook_event_emit,
)
from programs.services.webhooks.sending import webhook_delivery_send
from programs.tasks import flush_outbox
from tests.factories import (
    InitiativeFactory,
    MilestoneFactory,
    OrganisationFactory,
    ProgressReportFactory,
    SupportMeasureFactory,
    UserFactory,
)
from tests.support.webhook_receiver import verify_tracker_signature
from tracker.errors import ServiceError


@pytest.fixture
def organisation(db):
    return OrganisationFactory(code="jetro-systems")


def an_endpoint(by, owner, url, events):
    return webhook_endpoint_create(by=by, organisation=owner.organisation, data={
        "owner": owner, "url": url, "events": events})


@pytest.fixture
def ministry_endpoint(administrator, organisation, receiver):
    owner = UserFactory(role="manager", username="systems", organisation=organisation)
    return an_endpoint(administrator, owner, receiver.url, [e.value for e in WebhookEvent
                                                             if e != WebhookEvent.PING])


def test_each_event_is_delivered_once_signed_as_the_api_shows_it(
        ministry_endpoint, officer, manager, receiver, django_capture_on_commit_callbacks):
    initiative = InitiativeFactory(owner=officer)
    milestone = MilestoneFactory(initiative=initiative, owner=officer)
    report = ProgressReportFactory(initiative=initiative, narrative="順調")
    to_return = ProgressReportFactory(initiative=InitiativeFactory(owner=officer),
                                      narrative="未記入")
    with django_capture_on_commit_callbacks(execute=True):
        milestone_update(milestone=milestone, by=officer, data={"percent_complete": 40})
    with django_capture_on_commit_callbacks(execute=True):
        milestone_transition(milestone=milestone, to=WorkStatus.IN_PROGRESS, by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        progress_report_submit(report=report, by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        progress_report_approve(report=report, by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        progress_report_submit(report=to_return, by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        progress_report_return(report=to_return, by=manager, reason="KPIの出典を追記")

    assert [event["type"] for event in receiver.events()] == [
        "milestone.changed", "milestone.changed", "milestone.status_changed",
        "progress_report.submitted", "progress_report.approved",
        "progress_report.submitted", "progress_report.returned"]
    for headers, body in receiver.requests:
        event = json.loads(body)
        assert verify_tracker_signature(ministry_endpoint.secret, headers["Tracker-Signature"],
                                        body)
        assert not verify_tracker_signature("whsec_wrong", headers["Tracker-Signature"], body)
        assert headers["Tracker-Event"] == event["type"]
        assert headers["Tracker-Delivery"] == event["id"]
    assert len({event["id"] for event in receiver.events()}) == 7
    status_changed = receiver.events()[2]
    assert status_changed["data"]["object_type"] == "milestone"
    assert status_changed["data"]["object"]["id"] == milestone.pk
    assert status_changed["data"]["object"]["status"] == WorkStatus.IN_PROGRESS
    assert status_changed["data"]["object"]["percent_complete"] == 40
    approved = receiver.events()[4]["data"]["object"]
    assert approved["status"] == "approved" and approved["narrative"] == "順調"
    returned = receiver.events()[6]["data"]["object"]
    assert (returned["id"], returned["status"], returned["return_reason"]) == (
        to_return.pk, "returned", "KPIの出典を追記")
    assert outbox_flush() == {}, "nothing left to send"
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_milestone_created_or_deleted_is_a_change_too(
        ministry_endpoint, officer, receiver, django_capture_on_commit_callbacks):
    initiative = InitiativeFactory(owner=officer)
    with django_capture_on_commit_callbacks(execute=True):
        milestone = milestone_create(initiative=initiative, by=officer, data={
            "title_ja": "商談会の開催", "planned_due_on": date(2026, 12, 15)})
    with django_capture_on_commit_callbacks(execute=True):
        milestone_delete(milestone=milestone, by=officer)

    created, deleted = receiver.events()
    assert (created["type"], deleted["type"]) == ("milestone.changed", "milestone.changed")
    assert created["data"]["object"]["id"] == deleted["data"]["object"]["id"] == milestone.pk
    assert created["data"]["object"]["title_ja"] == "商談会の開催"
    assert (created["data"]["deleted"], deleted["data"]["deleted"]) == (False, True)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_rolled_back_change_sends_nothing(ministry_endpoint, officer, receiver,
                                            django_capture_on_commit_callbacks):
    milestone = MilestoneFactory(initiative=InitiativeFactory(owner=officer), owner=officer)
    # E.g. a request whose later step fails after the change was made.
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        milestone_update(milestone=milestone, by=officer, data={"percent_complete": 40})
        raise RuntimeError("a later step failed")
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_a_receiver_down_for_three_attempts_gets_the_event_exactly_once(
        ministry_endpoint, officer, receiver, django_capture_on_commit_callbacks):
    milestone = MilestoneFactory(initiative=InitiativeFactory(owner=officer), owner=officer)
    receiver.fail_next = 3
    with django_capture_on_commit_callbacks(execute=True):
        milestone_update(milestone=milestone, by=officer, data={"percent_complete": 10})
    delivery = WebhookDelivery.objects.get()
    now = timezone.now()
    for waited in (1, 2):  # minutes of backoff after the first and second failures
        assert flush_outbox() == {}, "not before its backoff"
        now += timedelta(minutes=waited)
        assert outbox_flush(now=now) == {"webhook_retry": 1}
    delivery.refresh_from_db()
    assert delivery.attempts == 3 and delivery.last_status_code == 500
    assert delivery.not_before == now + timedelta(minutes=4)
    assert outbox_flush(now=now + timedelta(minutes=4)) == {"webhook_sent": 1}
    assert outbox_flush(now=now + timedelta(hours=1)) == {}
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    assert verify_tracker_signature(ministry_endpoint.secret, headers["Tracker-Signature"],
                                    body)
    assert json.loads(body)["id"] == str(delivery.event_id)
    assert list(delivery.attempt_log.values_list("status_code", flat=True)) == [
        500, 500, 500, 200]


def test_a_receiver_down_for_a_day_leaves_the_delivery_failed(ministry_endpoint, officer,
                                                              receiver):
    receiver.fail_next = 1000
    milestone = MilestoneFactory(initiative=InitiativeFactory(owner=officer), owner=officer)
    milestone_update(milestone=milestone, by=officer, data={"percent_complete": 10})
    delivery = WebhookDelivery.objects.get()
    now, outcomes = timezone.now(), []
    while (outcome := webhook_delivery_send(delivery.pk, now=now)) == "retry":
        outcomes.append(outcome)
        delivery.refresh_from_db()
        now = delivery.not_before
    delivery.refresh_from_db()
    assert outcome == "failed" and delivery.status == WebhookDeliveryStatus.FAILED
    assert "gave up after" in delivery.last_error and delivery.last_status_code == 500
    assert timedelta(hours=20) < now - delivery.created_at <= timedelta(hours=24)
    assert 10 <= delivery.attempts <= 15  # exponential, then every few hours, for a day


def test_an_owner_who_may_not_see_a_milestone_gets_no_event_for_it(
        administrator, receiver, officer, django_capture_on_commit_callbacks):
    company = OrganisationFactory(code="export-foods", kind="company")
    exporter = UserFactory(role="exporter", is_staff=False, organisation=company)
    an_endpoint(administrator, exporter, receiver.url,
                ["milestone.changed", "support_measure.published"])
    milestone = MilestoneFactory(initiative=InitiativeFactory(owner=officer), owner=officer)
    draft = SupportMeasureFactory(is_published=False)
    published = SupportMeasureFactory()
    with django_capture_on_commit_callbacks(execute=True):
        milestone_update(milestone=milestone, by=officer, data={"percent_complete": 10})
        webhook_event_emit(kind=WebhookEvent.SUPPORT_MEASURE_PUBLISHED, resource=draft)
        webhook_event_emit(kind=WebhookEvent.SUPPORT_MEASURE_PUBLISHED, resource=published)
    assert [event["data"]["object"]["code"] for event in receiver.events()] == [published.code]


def test_the_test_event_reaches_the_endpoint_signed(ministry_endpoint, administrator, receiver,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        webhook_endpoint_send_test(endpoint=ministry_endpoint, by=administrator)
    [(headers, body)] = receiver.requests
    assert headers["Tracker-Event"] == "ping"
    assert verify_tracker_signature(ministry_endpoint.secret, headers["Tracker-Signature"],
                                    body)


# --- production rules: SSRF, https only, timeout, size cap -----------------------------------

PRIVATE_URLS = ["https://127.0.0.1/hook", "https://10.1.2.3/hook",
                "https://169.254.169.254/latest/meta-data/", "https://[::1]/hook",
                "https://localhost/hook", "https://192.168.0.10/hook",
                "https://[::ffff:127.0.0.1]/hook", "https://0.0.0.0/hook"]


@pytest.fixture
def production_rules(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    settings.DEBUG = False


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_a_private_target_is_refused_at_registration(production_rules, administrator,
                                                     organisation, url):
    owner = UserFactory(role="manager", organisation=organisation)
    with pytest.raises(ServiceError) as refused:
        an_endpoint(administrator, owner, url, ["milestone.changed"])
    assert refused.value.error_dict["url"][0].code == "webhook_url_refused"
    assert not WebhookEndpoint.objects.exists()


def test_plain_http_is_refused_in_production(production_rules, administrator, organisation):
    owner = UserFactory(role="manager", organisation=organisation)
    with pytest.raises(ServiceError, match="https://"):
        an_endpoint(administrator, owner, "http://hooks.example.com/", ["milestone.changed"])


@pytest.mark.parametrize("url", ["https://127.0.0.1:9/hook", "https://localhost/hook",
                                 "https://169.254.169.254/latest/meta-data/"])
def test_a_target_now_private_is_refused_at_send(ministry_endpoint, officer, settings, receiver,
                                                 url):
    """Registered while allowed (or before its name pointed inside): refused when sent."""
    WebhookEndpoint.objects.filter(pk=ministry_endpoint.pk).update(url=url)
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    milestone = MilestoneFactory(initiative=InitiativeFactory(owner=officer), owner=officer)
    milestone_update(milestone=milestone, by=officer, data={"percent_complete": 10})
    with translation.override("en"):  # the log's reason is written in the active language
        assert outbox_flush() == {"webhook_retry": 1}
    delivery = WebhookDelivery.objects.get()
    assert "public addresses" in delivery.last_error and delivery.last_status_code is None
    assert delivery.attempt_log.get().status_code is None


def test_a_slow_receiver_times_out_and_is_retried(ministry_endpoint, officer, settings,
                                                  receiver):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.answer_delay = 1.5
    milestone = MilestoneFactory(initiative=InitiativeFactory(owner=officer), owner=officer)
    milestone_update(milestone=milestone, by=officer, data={"percent_complete": 10})
    started = time.monotonic()
    assert outbox_flush() == {"webhook_retry": 1}
    assert time.monotonic() - started < 1.2
    assert "timed out" in WebhookDelivery.objects.get().last_error


def test_an_endless_answer_is_read_up_to_the_cap(ministry_endpoint, officer, settings,
                                                 receiver):
    settings.WEBHOOK_RESPONSE_MAX_BYTES = 1000
    receiver.endless = True
    milestone = MilestoneFactory(initiative=InitiativeFactory(owner=officer), owner=officer)
    milestone_update(milestone=milestone, by=officer, data={"percent_complete": 10})
    started = time.monotonic()
    assert outbox_flush() == {"webhook_sent": 1}
    assert time.monotonic() - started < 5
    assert len(WebhookDelivery.objects.get().attempt_log.get().response_excerpt) <= 1000


# --- the other event sources: the daily sweep, exporters, published measures -----------------

def test_an_overdue_milestone_is_announced_once_per_planned_date(
        ministry_endpoint, officer, receiver, django_capture_on_commit_callbacks):
    from programs.tasks import send_daily_reminders

    late = MilestoneFactory(initiative=InitiativeFactory(owner=officer), owner=officer,
                            planned_due_on=timezone.localdate() - timedelta(days=2))
    MilestoneFactory(initiative=late.initiative, owner=officer)  # not due yet
    for _sweep in range(2):  # hourly sweeps: the second announces nothing again
        with django_capture_on_commit_callbacks(execute=True):
            send_daily_reminders()
    assert [(e["type"], e["data"]["object"]["id"]) for e in receiver.events()] == [
        ("milestone.overdue", late.pk)]
    assert receiver.events()[0]["data"]["object"]["is_overdue"] is True


def test_exporter_registrations_reach_the_ministry_not_a_company(
        ministry_endpoint, administrator, officer, receiver, django_capture_on_commit_callbacks):
    from exporters.models import ExporterStatus
    from exporters.services.registrations import (
        exporter_approve,
        exporter_verify_email,
        verification_token,
    )
    from tests.factories import ExporterProfileFactory

    company = OrganisationFactory(code="other-company", kind="company")
    an_endpoint(administrator, UserFactory(role="exporter", is_staff=False,
                                           organisation=company),
                receiver.url, ["exporter.registered", "exporter.approved"])
    profile = ExporterProfileFactory(status=ExporterStatus.PENDING_VERIFICATION)
    with django_capture_on_commit_callbacks(execute=True):
        exporter_verify_email(token=verification_token(profile))
    with django_capture_on_commit_callbacks(execute=True):
        exporter_approve(profile=profile, by=administrator)
    assert [(e["type"], e["data"]["object"]["corporate_number"])
            for e in receiver.events()] == [("exporter.registered", profile.corporate_number),
                                            ("exporter.approved", profile.corporate_number)]
    assert WebhookDelivery.objects.count() == 2, "none for the company's own endpoint"


def test_a_measure_is_announced_once_when_it_is_published(
        ministry_endpoint, receiver, django_capture_on_commit_callbacks):
    draft = SupportMeasureFactory(is_published=False)
    with django_capture_on_commit_callbacks(execute=True):
        support_measure_announce(measure=draft, newly_published=True)  # saved as a draft
    assert receiver.events() == []
    draft.is_published = True
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        support_measure_announce(measure=draft, newly_published=True)
    with django_capture_on_commit_callbacks(execute=True):
        support_measure_announce(measure=draft, newly_published=False)  # edited later
    assert [(e["type"], e["data"]["object"]["code"]) for e in receiver.events()] == [
        ("support_measure.published", draft.code)]


def test_publishing_a_measure_in_the_admin_is_an_event(
        client, ministry_endpoint, administrator, receiver, django_capture_on_commit_callbacks):
    measure = SupportMeasureFactory(is_published=False)
    client.force_login(administrator)
    change = f"/admin/programs/supportmeasure/{measure.pk}/change/"
    form = client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"is_published": "on", "product_categories": [], "target_markets": []})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(e["type"], e["data"]["object"]["code"]) for e in receiver.events()] == [
        ("support_measure.published", measure.code)]
