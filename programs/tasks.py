"""Celery tasks: thin wrappers around the reminder services."""

from typing import Any

from celery import Task, shared_task

from .services.common import today
from .services.deliveries import (
    MAX_SEND_ATTEMPTS,
    RETRYABLE_SEND_ERRORS,
    delivery_record_failure,
    delivery_send,
)
from .services.reminders import manager_digest_sweep, outbox_flush, outbox_nudge, reminders_sweep
from .services.webhooks import webhook_delivery_send, webhook_overdue_emit

MAX_SEND_RETRIES = MAX_SEND_ATTEMPTS - 1


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_SEND_RETRIES)
def send_delivery(self: Task[[int], str], delivery_id: int) -> str:
    """Send one delivery. Acknowledged only when done, so a lost worker's message is delivered
    again, and the delivery row makes the second attempt a no-op if the first got through."""
    try:
        return delivery_send(delivery_id)
    except RETRYABLE_SEND_ERRORS as error:
        # max_retries None would mean "retry forever"; the decorator sets it.
        last_try = self.max_retries is not None and self.request.retries >= self.max_retries
        if delivery_record_failure(delivery_id, error, final=last_try):
            return "failed"
        # Exponential backoff: 30 s, 1 min, 2 min, … up to about half an hour.
        raise self.retry(exc=error, countdown=min(30 * 2 ** self.request.retries, 1800)) from error


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_daily_reminders() -> dict[str, Any]:
    """The reminder sweep (hourly in django-celery-beat; each person's at their hour).
    Acknowledged when done: a sweep lost with its worker runs again (and resumes)."""
    report = reminders_sweep(on=today())
    outbox_nudge(report.to_send)
    return {**report.as_dict(), "webhooks_overdue": webhook_overdue_emit(on=today())}


@shared_task
def send_manager_digests() -> dict[str, Any]:
    """The weekly managers' digest (Mondays at 08:00 Asia/Tokyo)."""
    report = manager_digest_sweep(on=today())
    outbox_nudge(report.to_send)
    return report.as_dict()


@shared_task
def flush_outbox() -> dict[str, int]:
    """Every minute: send whatever is due and has not gone."""
    return outbox_flush()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_webhook_delivery(delivery_id: int) -> str:
    """Send one webhook delivery now; a failure is recorded on it and retried by the flush
    after its backoff."""
    return webhook_delivery_send(delivery_id)
