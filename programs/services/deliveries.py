"""Sending one claimed delivery by e-mail, at most once per claim.

The row is marked "sending" (with a lease) in its own transaction before the message leaves,
and "sent" after: a retried or redelivered task finds "sent" and stops, and a worker that died
mid-send leaves a lease that runs out, after which the next attempt sends it.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from tracker.text import one_line

from ..models import Delivery, DeliveryStatus

FINISHED = (DeliveryStatus.SENT, DeliveryStatus.BUNDLED, DeliveryStatus.FAILED)


def _message(delivery):
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    message = EmailMultiAlternatives(
        subject=one_line(delivery.email_subject), body=delivery.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL, to=[delivery.recipient.email],
        # A stable Message-ID lets mail servers drop a copy resent after a lost acknowledgement.
        headers={"Message-ID": f"<tracker-delivery-{delivery.pk}@{domain}>"},
    )
    message.attach_alternative(delivery.body_html, "text/html")
    return message


def delivery_send(delivery_id):
    """Send delivery `delivery_id` unless it is sent, failed, or being sent right now.
    Returns what happened: "sent", "already_done", "in_progress", "missing" or "failed"."""
    now = timezone.now()
    lease = timedelta(seconds=settings.REMINDER_SEND_LEASE_SECONDS)
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update(of=("self",)).select_related(
            "recipient").filter(pk=delivery_id).first()
        if delivery is None:
            return "missing"
        if delivery.status in FINISHED:
            return "already_done"
        if delivery.status == DeliveryStatus.SENDING and now - delivery.sending_since < lease:
            return "in_progress"
        if not delivery.recipient.is_active or not delivery.recipient.email:
            delivery.status, delivery.last_error = DeliveryStatus.FAILED, "no active address"
            delivery.save(update_fields=["status", "last_error"])
            return "failed"
        delivery.status, delivery.sending_since = DeliveryStatus.SENDING, now
        delivery.attempts += 1
        delivery.save(update_fields=["status", "sending_since", "attempts"])
    _message(delivery).send()
    sent_at = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT, sent_at=sent_at, last_error="")
        Delivery.objects.filter(bundled_in=delivery.pk).update(
            status=DeliveryStatus.BUNDLED, sent_at=sent_at)
    return "sent"


def delivery_record_failure(delivery_id, error, *, final):
    """Note why sending failed; a final failure stays on the row instead of being resent."""
    Delivery.objects.filter(pk=delivery_id).exclude(status__in=FINISHED).update(
        status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
        sending_since=None, last_error=f"{type(error).__name__}: {error}"[:2000])
