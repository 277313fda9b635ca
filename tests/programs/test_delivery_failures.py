"""Deliveries never stick: what cannot be sent is failed with its reason at once and reported;
what may go later is retried, up to a cap; one bad delivery never stops the rest of a sweep."""

import json
import logging
from datetime import date, timedelta
from io import StringIO
from smtplib import SMTPDataError, SMTPRecipientsRefused

import pytest
from django.core.management import call_command
from django.urls import reverse

from programs import tasks
from programs.models import Delivery, DeliveryStatus, WorkStatus
from programs.services.deliveries import MAX_SEND_ATTEMPTS, delivery_send
from programs.services.reminders import reminders_sweep
from tests.factories import MilestoneFactory, NotificationPreferenceFactory, UserFactory

pytestmark = pytest.mark.django_db
DUE = date(2026, 12, 8)
SWEEP_DAY = DUE - timedelta(days=7)


def sweep(day=SWEEP_DAY):
    out = StringIO()
    call_command("send_reminders", "--date", day.isoformat(), "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def two_owners(own_initiative):
    """Two officers, each with a milestone due in a week; the first has an address that
    cannot go into a header (a line break, as a bad import could leave)."""
    broken = UserFactory(role="officer", username="aaa_broken")
    good = UserFactory(role="officer", username="zzz_good")
    type(broken).objects.filter(pk=broken.pk).update(
        email="broken@example.jp\nBcc: victim@example.jp")
    for owner in (broken, good):
        NotificationPreferenceFactory(user=owner, kind="due_soon", frequency="immediate")
        MilestoneFactory(initiative=own_initiative, owner=owner, planned_due_on=DUE,
                         status=WorkStatus.IN_PROGRESS)
    return broken, good


def test_a_message_that_cannot_be_built_fails_at_once_and_the_others_still_go(
        two_owners, mailoutbox, caplog):
    broken, good = two_owners
    with caplog.at_level(logging.ERROR, logger="programs.services.deliveries"):
        result = sweep()
    assert [message.to for message in mailoutbox] == [[good.email]]
    assert result["failed"] == 1
    failed = Delivery.objects.get(recipient=broken)
    assert failed.status == DeliveryStatus.FAILED
    assert "BadHeaderError" in failed.last_error
    assert any("failed for good" in record.message for record in caplog.records)
    assert Delivery.objects.get(recipient=good).status == DeliveryStatus.SENT


def test_a_failed_delivery_is_not_tried_again_by_later_sweeps(two_owners, mailoutbox):
    broken, _good = two_owners
    sweep()
    failed = Delivery.objects.get(recipient=broken)
    for day in range(1, 4):
        sweep(SWEEP_DAY + timedelta(days=day))
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.FAILED, 0)


def test_no_empty_file_lands_in_sent_mail(two_owners, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    sweep()
    files = list(tmp_path.iterdir())
    assert len(files) == 1
    assert all(path.stat().st_size > 0 for path in files)


@pytest.mark.parametrize("refusal", [
    SMTPRecipientsRefused({"owner@example.jp": (550, b"5.1.1 no such user")}),
    SMTPDataError(554, b"5.7.1 message refused"),
])
def test_a_permanent_refusal_fails_after_one_attempt(own_initiative, officer, monkeypatch,
                                                     refusal):
    MilestoneFactory(initiative=own_initiative, owner=officer, planned_due_on=DUE,
                     status=WorkStatus.IN_PROGRESS)
    attempts = []

    def refuse(self, *args, **kwargs):
        attempts.append(1)
        raise refusal

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    [delivery_id] = reminders_sweep(on=SWEEP_DAY).to_send
    assert tasks.send_delivery.apply(args=[delivery_id]).get() == "failed"
    delivery = Delivery.objects.get(pk=delivery_id)
    assert (delivery.status, delivery.attempts, len(attempts)) == ("failed", 1, 1)
    assert type(refusal).__name__ in delivery.last_error


def test_a_temporary_refusal_is_retried(own_initiative, officer, monkeypatch, mailoutbox):
    MilestoneFactory(initiative=own_initiative, owner=officer, planned_due_on=DUE,
                     status=WorkStatus.IN_PROGRESS)
    real_send = tasks.delivery_send.__globals__["EmailMultiAlternatives"].send
    refusals = [SMTPRecipientsRefused({officer.email: (451, b"4.3.0 try again later")}),
                ConnectionRefusedError("connection refused")]

    def flaky(self, *args, **kwargs):
        if refusals:
            raise refusals.pop(0)
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", flaky)
    [delivery_id] = reminders_sweep(on=SWEEP_DAY).to_send
    assert tasks.send_delivery.apply(args=[delivery_id]).get() == "sent"
    delivery = Delivery.objects.get(pk=delivery_id)
    assert (delivery.status, delivery.attempts) == ("sent", 3)
    assert len(mailoutbox) == 1


def test_a_delivery_left_sending_is_failed_once_its_attempts_are_used_up(
        own_initiative, officer, mailoutbox, settings):
    """A worker that dies on every try leaves the row "sending": the sweeps retry it up to the
    cap, then fail it instead of counting attempts for ever."""
    settings.REMINDER_SEND_LEASE_SECONDS = 0
    MilestoneFactory(initiative=own_initiative, owner=officer, planned_due_on=DUE,
                     status=WorkStatus.IN_PROGRESS)
    [delivery_id] = reminders_sweep(on=SWEEP_DAY).to_send
    Delivery.objects.filter(pk=delivery_id).update(
        status=DeliveryStatus.SENDING, attempts=MAX_SEND_ATTEMPTS,
        sending_since="2026-01-01T00:00:00Z")
    assert delivery_send(delivery_id) == "failed"
    delivery = Delivery.objects.get(pk=delivery_id)
    assert delivery.status == DeliveryStatus.FAILED
    assert "gave up after" in delivery.last_error
    assert not mailoutbox


def test_an_administrator_finds_failed_deliveries_in_the_admin(two_owners, client,
                                                               administrator):
    sweep()
    client.force_login(administrator)
    page = client.get(reverse("admin:programs_delivery_changelist") + "?status__exact=failed")
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == list(
        Delivery.objects.filter(status=DeliveryStatus.FAILED))
    assert "BadHeaderError" in page.content.decode()
