"""Sending one claimed delivery by e-mail, at most once per claim.

The row is marked "handing over" (status `sending`, with a lease) in its own transaction
before the message leaves, and "sent" right after the mail server accepts it: a retried or
redelivered task finds "sent" and stops. A worker that died while handing over leaves a lease
that runs out; the next attempt first asks the mail backend whether it accepted the message
(a backend that can tell has `was_accepted(message_id)`), and sends it again, under the same
Message-ID, only if it did not or cannot tell. So a message goes out twice only when a worker
dies between the server's acceptance and the "sent" mark, with a backend that cannot tell,
and then with one Message-ID, which lets receiving servers drop the copy.

A send that cannot succeed however often it is tried (the message cannot be built, or the
server refuses it for good: 5xx) is marked failed at once, with its reason; one that may
succeed later (connection lost, 4xx) is left pending for a retry after a backoff (its
`not_before`), up to MAX_SEND_ATTEMPTS attempts in all, after which it is failed too. Each
failure is logged at error level.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from tracker.text import one_line

from ..models import Delivery, DeliveryStatus, ReminderKind
from .notifications import unsubscribe_link

FINISHED = (DeliveryStatus.SENT, DeliveryStatus.BUNDLED, DeliveryStatus.FAILED)
# Attempts in all (the first and the retries, by the task or by later flushes).
MAX_SEND_ATTEMPTS = 7
# What a later attempt may overcome (delivery_send itself fails what it never can).
RETRYABLE_SEND_ERRORS = (smtplib.SMTPException, OSError)

logger = logging.getLogger(__name__)


def is_permanent(error: BaseException) -> bool:
    """Whether sending again cannot help: a message that cannot be built (BadHeaderError is a
    ValueError), or a refusal the server gives for good (SMTP 5xx)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reply in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return isinstance(error, ValueError | TypeError | UnicodeError)


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def message_id(delivery: Delivery) -> str:
    # One per delivery, whoever sends it and however often: mail servers drop a copy resent
    # after a lost acknowledgement.
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<tracker-delivery-{delivery.pk}@{domain}>"


def _headers(delivery: Delivery) -> dict[str, str]:
    """Message-ID, Auto-Submitted (RFC 3834: no auto-replies), and for reminders a one-click
    List-Unsubscribe (RFC 8058) that turns the kinds in the message off."""
    headers = {"Message-ID": message_id(delivery), "Auto-Submitted": "auto-generated"}
    if delivery.kind == ReminderKind.ACCOUNT:
        return headers
    kinds = (sorted(set(delivery.bundled.values_list("kind", flat=True)))
             if delivery.kind == ReminderKind.DAILY_DIGEST else delivery.kind)
    if link := unsubscribe_link(delivery.recipient, kinds):
        headers["List-Unsubscribe"] = f"<{link}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def _message(delivery: Delivery) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=one_line(delivery.email_subject), body=delivery.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL, to=[delivery.recipient.email],
        headers=_headers(delivery),
    )
    message.attach_alternative(delivery.body_html, "text/html")
    # Built here, before any backend opens a connection or a file: a message that cannot be
    # built fails now, and leaves no empty file in sent_mail/.
    message.message()
    return message


def _fail(delivery: Delivery, reason: str) -> str:
    delivery.status, delivery.sending_since, delivery.last_error = (
        DeliveryStatus.FAILED, None, reason)
    delivery.save(update_fields=["status", "sending_since", "last_error"])
    logger.error("delivery %s to %s failed for good: %s", delivery.pk, delivery.recipient_id,
                 reason)
    return "failed"


def delivery_send(delivery_id: int) -> str:
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
        if delivery.status == DeliveryStatus.SENDING:
            # Set in the same save as the status, below; no constraint says so.
            assert delivery.sending_since is not None
            if now - delivery.sending_since < lease:
                return "in_progress"
            if _accepted_before(delivery):
                _mark_sent(delivery)
                return "already_done"
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
    _mark_sent(delivery)
    return "sent"


def _mark_sent(delivery: Delivery) -> None:
    sent_at = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT, sent_at=sent_at, last_error="")
        Delivery.objects.filter(bundled_in=delivery.pk).update(
            status=DeliveryStatus.BUNDLED, sent_at=sent_at)


def _accepted_before(delivery: Delivery) -> bool:
    """Whether the mail backend says it accepted this delivery's message already (a worker
    died before marking it sent). Backends that cannot tell say no: it is sent again, under
    the same Message-ID."""
    was_accepted = getattr(get_connection(), "was_accepted", None)
    return bool(was_accepted and was_accepted(message_id(delivery)))


def delivery_send_or_record(delivery_id: int) -> str:
    """Send `delivery_id`; an error is recorded on the row (retried later by the flush if a
    later attempt may overcome it, failed otherwise), never raised: one delivery never stops
    the others. Returns what happened ("retry" for a recorded temporary failure)."""
    try:
        return delivery_send(delivery_id)
    except Exception as error:  # recorded on the row and logged
        failed = delivery_record_failure(
            delivery_id, error, final=not isinstance(error, RETRYABLE_SEND_ERRORS))
        return "failed" if failed else "retry"


def delivery_record_failure(delivery_id: int, error: BaseException, *,
                            final: bool = False) -> bool:
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
        # Exponential backoff before the flush tries again: 30 s, 1 min, 2 min, … 30 min.
        delivery.not_before = timezone.now() + timedelta(
            seconds=min(30 * 2 ** max(delivery.attempts - 1, 0), 1800))
        delivery.status, delivery.sending_since, delivery.last_error = (
            DeliveryStatus.PENDING, None, _reason(error))
        delivery.save(update_fields=["status", "sending_since", "last_error", "not_before"])
        logger.warning("delivery %s failed (attempt %s of %s), to be retried: %s", delivery.pk,
                       delivery.attempts, MAX_SEND_ATTEMPTS, delivery.last_error)
        return False
