"""Sending one webhook delivery, at least once: like the e-mail outbox (deliveries.py), the
row is marked "handing over" under a lease before the request leaves and "sent" when the
receiver answers 2xx. Anything else (no answer in time, a refusal, a non-2xx answer, a target
that is no longer allowed) is logged as an attempt and retried after an exponential backoff
(1, 2, 4 … minutes, at most WEBHOOK_MAX_BACKOFF apart) until WEBHOOK_RETRY_HOURS have passed
since the event; then the delivery is failed, for the administrators to see. A receiver may
get an event twice (a worker dying between the answer and the "sent" mark): the
Tracker-Delivery header carries the event id for it to drop repeats.
"""

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tracker.errors import ServiceError

from ...models import WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus
from .signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signature
from .targets import webhook_target
from .transport import post

FINISHED = (WebhookDeliveryStatus.SENT, WebhookDeliveryStatus.FAILED)
WEBHOOK_MAX_BACKOFF = timedelta(hours=4)
BATCH_SIZE = 200

logger = logging.getLogger(__name__)


def webhook_backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4 … minutes, capped."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), WEBHOOK_MAX_BACKOFF)


def webhook_deliveries_due(now: datetime, *, limit: int = BATCH_SIZE) -> list[int]:
    lease = timedelta(seconds=settings.REMINDER_SEND_LEASE_SECONDS)
    return list(WebhookDelivery.objects.filter(
        Q(status=WebhookDeliveryStatus.PENDING) & (Q(not_before=None) | Q(not_before__lte=now))
        | Q(status=WebhookDeliveryStatus.SENDING, sending_since__lt=now - lease),
    ).order_by("not_before", "pk").values_list("pk", flat=True)[:limit])


def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | str:
    """Lock the row and mark it handing over, or say why it is not to be sent now."""
    lease = timedelta(seconds=settings.REMINDER_SEND_LEASE_SECONDS)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update(of=("self",)).select_related(
            "endpoint").filter(pk=delivery_id).first()
        if delivery is None:
            return "missing"
        if delivery.status in FINISHED:
            return "already_done"
        if delivery.status == WebhookDeliveryStatus.SENDING and delivery.sending_since and (
                now - delivery.sending_since < lease):
            return "in_progress"
        if delivery.status == WebhookDeliveryStatus.PENDING and delivery.not_before and (
                delivery.not_before > now):
            return "not_yet"
        if not delivery.endpoint.is_active:
            _finish(delivery, WebhookDeliveryStatus.FAILED, error="the endpoint is turned off")
            return "failed"
        delivery.status, delivery.sending_since = WebhookDeliveryStatus.SENDING, now
        delivery.attempts += 1
        delivery.save(update_fields=["status", "sending_since", "attempts"])
        return delivery


def _finish(delivery: WebhookDelivery, status: str, *, code: int | None = None,
            error: str = "", sent_at: datetime | None = None) -> None:
    delivery.status, delivery.sending_since = status, None
    delivery.last_status_code, delivery.last_error, delivery.sent_at = code, error, sent_at
    delivery.save(update_fields=["status", "sending_since", "last_status_code", "last_error",
                                 "sent_at"])
    if status == WebhookDeliveryStatus.FAILED:
        logger.error("webhook delivery %s to %s failed for good: %s", delivery.pk,
                     delivery.endpoint.url, error or code)


def webhook_delivery_send(delivery_id: int, *, now: datetime | None = None) -> str:
    """Send delivery `delivery_id` if it is due. Returns "sent", "retry", "failed",
    "already_done", "in_progress", "not_yet" or "missing"; never raises for the receiver's
    sake."""
    now = now or timezone.now()
    claimed = _claim(delivery_id, now)
    if isinstance(claimed, str):
        return claimed
    delivery = claimed
    body = delivery.body.encode()
    code, error, excerpt = None, "", ""
    started = time.monotonic()
    try:
        target = webhook_target(delivery.endpoint.url)
        answer = post(target, body, {
            SIGNATURE_HEADER: signature(delivery.endpoint.secret, int(time.time()), body),
            EVENT_HEADER: delivery.event_type, DELIVERY_HEADER: str(delivery.event_id)})
        code, excerpt = answer.status, answer.body[:2000].decode(errors="replace")
    except ServiceError as refused:
        error = "; ".join(refused.messages)
    except OSError as lost:
        error = f"{type(lost).__name__}: {lost}"[:2000]
    WebhookAttempt.objects.create(
        delivery=delivery, at=now, status_code=code, error=error, response_excerpt=excerpt,
        duration_ms=int((time.monotonic() - started) * 1000))
    if code is not None and 200 <= code < 300:
        _finish(delivery, WebhookDeliveryStatus.SENT, code=code, sent_at=now)
        return "sent"
    reason = error or f"answered {code}"
    retry_at = now + webhook_backoff(delivery.attempts)
    if retry_at > delivery.created_at + timedelta(hours=settings.WEBHOOK_RETRY_HOURS):
        _finish(delivery, WebhookDeliveryStatus.FAILED, code=code,
                error=f"gave up after {delivery.attempts} attempts; last: {reason}")
        return "failed"
    delivery.not_before = retry_at
    _finish(delivery, WebhookDeliveryStatus.PENDING, code=code, error=reason)
    delivery.save(update_fields=["not_before"])
    logger.warning("webhook delivery %s failed (attempt %s), retried at %s: %s", delivery.pk,
                   delivery.attempts, retry_at, reason)
    return "retry"
