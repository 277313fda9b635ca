"""Celery tasks: thin wrappers around the reminder services."""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

from .services.common import today
from .services.deliveries import MAX_SEND_ATTEMPTS, delivery_record_failure, delivery_send
from .services.reminders import SweepReport, claim, manager_digest_sweep, reminders_sweep

# What a later attempt may overcome (delivery_send itself fails what it never can).
RETRYABLE_SEND_ERRORS = (SMTPException, OSError)
MAX_SEND_RETRIES = MAX_SEND_ATTEMPTS - 1

logger = logging.getLogger(__name__)


def _queue_send(delivery_id):
    try:
        send_delivery.delay(delivery_id)
    except OperationalError:
        # The broker is down. The claimed delivery row is the outbox: it stays pending, and
        # the next sweep sends it (reminders_sweep picks up stranded deliveries).
        logger.warning("broker unreachable: delivery %s left for the next sweep", delivery_id)


def enqueue_sends(delivery_ids):
    """Queue one send task per delivery once the claims are committed. A lost broker does not
    fail the request that made them."""
    for delivery_id in delivery_ids:
        transaction.on_commit(lambda pk=delivery_id: _queue_send(pk))


def send_now(reminders):
    """Claim `reminders` (each once, ever) and queue their sends after commit: for messages
    an event triggers (an account decision, a newly fitting measure), not the daily sweep."""
    report = SweepReport(on=today())
    claim(reminders, report)
    enqueue_sends(report.to_send)
    return report


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_SEND_RETRIES)
def send_delivery(self, delivery_id):
    """Send one delivery. Acknowledged only when done, so a lost worker's message is delivered
    again, and the delivery row makes the second attempt a no-op if the first got through."""
    try:
        return delivery_send(delivery_id)
    except RETRYABLE_SEND_ERRORS as error:
        if delivery_record_failure(delivery_id, error,
                                   final=self.request.retries >= self.max_retries):
            return "failed"
        # Exponential backoff: 30 s, 1 min, 2 min, … up to about half an hour.
        raise self.retry(exc=error, countdown=min(30 * 2 ** self.request.retries, 1800)) from error


@shared_task
def send_daily_reminders():
    """The daily sweep (scheduled at 08:00 Asia/Tokyo in django-celery-beat)."""
    report = reminders_sweep(on=today())
    enqueue_sends(report.to_send)
    return report.as_dict()


@shared_task
def send_manager_digests():
    """The weekly managers' digest (Mondays at 08:00 Asia/Tokyo)."""
    report = manager_digest_sweep(on=today())
    enqueue_sends(report.to_send)
    return report.as_dict()
