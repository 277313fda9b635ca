"""Sending one claimed delivery by e-mail, at most once per claim.

The row is marked "sending" (with a lease) in its own transaction before the message leaves,
and "sent" after: a retried or redelivered task finds "sent" and stops, and a worker that died
mid-send leaves a lease that runs out, after which the next attempt sends it.

A send that cannot succeed however often it is tried (the message cannot be built, or the
server refuses it for good: 5xx) is marked failed at once, with its reason; one that may
succeed later (connection lost, 4xx) is left pending for a retry, up to MAX_SEND_ATTEMPTS
attempts in all, after which it is failed too. Each failure is logged at error level.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from tracker.text import one_line

from ..models import Delivery, DeliveryStatus

FINISHED = (DeliveryStatus.SENT, DeliveryStatus.BUNDLED, DeliveryStatus.FAILED)
# Attempts in all (the first and the retries, by the task or by later sweeps).
MAX_SEND_ATTEMPTS = 7

logger = logging.getLogger(__name__)


def is_permanent(error):
    """Whether sending again cannot help: a message that cannot be built (BadHeaderError is a
    ValueError), or a refusal the server gives for good (SMTP 5xx)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reply in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return isinstance(error, ValueError | TypeError | UnicodeError)


def _reason(error):
    return f"{type(error).__name__}: {error}"[:2000]


def _message(delivery):
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    message = EmailMultiAlternatives(
        subject=one_line(delivery.email_subject), body=delivery.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL, to=[delivery.recipient.email],
        # A stable Message-ID lets mail servers drop a copy resent after a lost acknowledgement.
        headers={"Message-ID": f"<tracker-delivery-{delivery.pk}@{domain}>"},
    )
    message.attach_alternative(delivery.body_html, "text/html")
    # Built here, before any backend opens a connection or a file: a message that cannot be
    # built fails now, and leaves no empty file in sent_mail/.
    message.message()
    return message


def _fail(delivery, reason):
    delivery.status, delivery.sending_since, delivery.last_error = (
        DeliveryStatus.FAILED, None, reason)
    delivery.save(update_fields=["status", "sending_since", "last_error"])
    logger.error("delivery %s to %s failed for good: %s", delivery.pk, delivery.recipient_id,
                 reason)
    return "failed"


def delivery_send(delivery_id):
    """Send delivery `delivery_id` unless it is sent, failed, or being sent right now.
    Returns what happened: "sent", "already_done", "in_progress", "missing" or "failed".
    An error that a later attempt may overcome is raised, for the caller to retry."""
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
            return _fail(delivery, "no active address")
        if delivery.attempts >= MAX_SEND_ATTEMPTS:
            return _fail(delivery, f"gave up after {delivery.attempts} attempts"
                                   + (f"; last: {delivery.last_error}" if delivery.last_error
                                      else ""))
        try:
            message = _message(delivery)
        except Exception as error:
            if not is_permanent(error):
                raise
            return _fail(delivery, _reason(error))
        delivery.status, delivery.sending_since = DeliveryStatus.SENDING, now
        delivery.attempts += 1
        delivery.save(update_fields=["status", "sending_since", "attempts"])
    try:
        message.send()
    except Exception as error:
        if not is_permanent(error):
            raise
        delivery_record_failure(delivery.pk, error, final=True)
        return "failed"
    sent_at = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT, sent_at=sent_at, last_error="")
        Delivery.objects.filter(bundled_in=delivery.pk).update(
            status=DeliveryStatus.BUNDLED, sent_at=sent_at)
    return "sent"


def delivery_record_failure(delivery_id, error, *, final=False):
    """Note why sending failed. Final (asked for, the error is permanent, or the attempts are
    used up): the row is failed and stays so; otherwise it is pending again, for a retry.
    Returns whether the delivery is now failed."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).exclude(
            status__in=FINISHED).first()
        if delivery is None:
            return False
        if final or is_permanent(error) or delivery.attempts >= MAX_SEND_ATTEMPTS:
            _fail(delivery, _reason(error))
            return True
        delivery.status, delivery.sending_since, delivery.last_error = (
            DeliveryStatus.PENDING, None, _reason(error))
        delivery.save(update_fields=["status", "sending_since", "last_error"])
        logger.warning("delivery %s failed (attempt %s of %s), to be retried: %s", delivery.pk,
                       delivery.attempts, MAX_SEND_ATTEMPTS, delivery.last_error)
        return False
