"""Nothing late, nothing twice: the outbox flush sends what a lost broker or a dead worker
left, a killed sweep resumes, and a message the mail server already took is not sent again."""

import uuid
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from programs.models import Delivery, DeliveryStatus, Frequency, ReminderKind
from programs.services.deliveries import delivery_send
from programs.services.reminders import due, outbox_flush, outbox_send_soon, reminders_sweep
from tests.factories import MilestoneFactory, NotificationPreferenceFactory

pytestmark = pytest.mark.django_db
DUE = date(2027, 3, 10)


def a_delivery(recipient, **fields):
    return Delivery.objects.create(**{
        "recipient": recipient, "kind": ReminderKind.DUE_SOON,
        "subject_type": ContentType.objects.get_for_model(recipient),
        "subject_id": recipient.pk, "claimed_by": uuid.uuid4(), "occasion": str(uuid.uuid4()),
        "email_subject": "期限が近づいています", "body_text": "本文", "body_html": "<p>本文</p>",
        "frequency": Frequency.IMMEDIATE, **fields})


@pytest.fixture
def broker_down(monkeypatch):
    from programs import tasks

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.send_delivery, "delay", refuse)


def test_an_account_mail_claimed_while_the_broker_was_down_goes_with_the_next_flush(
        broker_down, officer, django_capture_on_commit_callbacks):
    from programs.services.reminders import Reminder

    with django_capture_on_commit_callbacks(execute=True):
        outbox_send_soon([Reminder(recipient=officer, kind=ReminderKind.ACCOUNT, subject=officer,
                                   occasion="approved", describe=lambda: ("承認", ["本文"]))])
    assert mail.outbox == []
    assert outbox_flush() == {"sent": 1}
    [message] = mail.outbox
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "List-Unsubscribe" not in message.extra_headers, "account mail cannot be turned off"


def test_the_sweep_counts_and_sends_what_earlier_runs_left(officer, own_initiative):
    left = a_delivery(officer)
    report = reminders_sweep(on=DUE)
    assert report.leftovers == 1 and left.pk in report.to_send
    assert report.as_dict()["sent"] == 1


def test_a_temporary_failure_is_retried_by_the_flush_after_a_backoff(officer, monkeypatch):
    from smtplib import SMTPServerDisconnected

    delivery = a_delivery(officer)
    real_send = mail.EmailMultiAlternatives.send
    monkeypatch.setattr(mail.EmailMultiAlternatives, "send",
                        lambda self: (_ for _ in ()).throw(SMTPServerDisconnected("lost")))
    assert outbox_flush() == {"retry": 1}
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.not_before > timezone.now()
    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", real_send)
    assert outbox_flush() == {}, "not before its backoff"
    assert outbox_flush(now=delivery.not_before) == {"sent": 1}


def test_a_message_the_server_already_accepted_is_not_sent_again(officer, monkeypatch,
                                                                 settings):
    settings.REMINDER_SEND_LEASE_SECONDS = 1
    accepted = set()
    backend = type(mail.get_connection())
    monkeypatch.setattr(backend, "was_accepted", lambda self, message_id: message_id in accepted,
                        raising=False)
    delivery = a_delivery(officer, status=DeliveryStatus.SENDING, attempts=1,
                          sending_since=timezone.now() - timedelta(seconds=5))
    accepted.add(f"<tracker-delivery-{delivery.pk}@localhost>")
    assert delivery_send(delivery.pk) == "already_done"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and mail.outbox == []


def test_a_message_left_handing_over_is_sent_again_under_the_same_message_id(officer,
                                                                             settings):
    settings.REMINDER_SEND_LEASE_SECONDS = 1
    delivery = a_delivery(officer, status=DeliveryStatus.SENDING, attempts=1,
                          sending_since=timezone.now() - timedelta(seconds=5))
    assert outbox_flush() == {"sent": 1}
    assert mail.outbox[0].extra_headers["Message-ID"] == (
        f"<tracker-delivery-{delivery.pk}@localhost>")


def test_a_killed_sweep_resumes_where_it_stopped(officer, own_initiative, monkeypatch):
    NotificationPreferenceFactory(user=officer, kind="due_soon", frequency="immediate")
    MilestoneFactory.create_batch(5, initiative=own_initiative,
                                  planned_due_on=DUE + timedelta(days=7))
    monkeypatch.setattr(due, "BATCH_SIZE", 2)
    monkeypatch.setattr("programs.services.reminders.outbox.BATCH_SIZE", 2)
    real_due = due.reminders_due

    def dies_after_three(on):
        for number, reminder in enumerate(real_due(on)):
            if number == 3:
                raise SystemExit("worker killed")
            yield reminder

    monkeypatch.setattr("programs.services.reminders.runs.reminders_due", dies_after_three)
    with pytest.raises(SystemExit):
        reminders_sweep(on=DUE)
    assert Delivery.objects.count() == 2, "the first batch was committed"
    monkeypatch.setattr("programs.services.reminders.runs.reminders_due", real_due)
    report = reminders_sweep(on=DUE)
    assert (report.by_kind["due_soon"], report.skipped_already_sent, report.leftovers) == (3, 2, 2)
    for delivery_id in report.to_send:
        delivery_send(delivery_id)
    assert len(mail.outbox) == 5
