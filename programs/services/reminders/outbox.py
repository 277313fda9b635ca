"""The outbox: claiming deliveries so that each goes out once, and asking for them to be sent.

A claim inserts the delivery rows with INSERT … ON CONFLICT DO NOTHING. The unique key
(recipient, kind, subject, occasion) is the claim: whatever the overlap between sweeps, each
row is inserted once, and only the sweep that inserted it counts it. Rows are then sent by
whoever comes first: the send task nudged after commit (looked up by name in the Celery app,
so that no service imports a task), or the one-minute flush (`runs.outbox_flush`), which
sends whatever is due and was not sent, whatever happened to the worker or the broker.
"""

import functools
import logging
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Any, TypeVar

from celery import Task, current_app
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import User

from ...models import (
    DEFAULT_REMINDER_HOUR,
    Delivery,
    DeliveryStatus,
    Frequency,
    Notification,
    NotificationPreference,
    ReminderKind,
    ReminderTime,
)
from ..common import today
from ..notifications import default_frequency, unsubscribe_link
from .due import BATCH_SIZE
from .messages import render_reminder
from .reminder import Reminder

SEND_TASK = "programs.tasks.send_delivery"

logger = logging.getLogger(__name__)

_T = TypeVar("_T")


@dataclass
class SweepReport:
    """What a claim run did. `by_kind`: reminders claimed now; `leftovers`: deliveries
    claimed earlier and never sent, picked up now; `unaddressed`: reminders nobody could be
    told (listed in the managers' digest); `emails_to`: the e-mails each person gets from
    this run (a dry run's too); `to_send`: the deliveries to send now."""

    on: date
    dry_run: bool = False
    # The moment up to which claimed deliveries are due (each person's hour on `on`).
    moment: datetime | None = None
    by_kind: Counter[str] = field(default_factory=Counter)
    unaddressed: Counter[str] = field(default_factory=Counter)
    # By username.
    emails_to: Counter[str] = field(default_factory=Counter)
    digest_recipients: set[str] = field(default_factory=set)
    leftovers: int = 0
    skipped_already_sent: int = 0
    skipped_by_preference: int = 0
    to_send: list[int] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(self.by_kind.values()) + self.leftovers

    def as_dict(self) -> dict[str, Any]:
        emails_to = self.emails_to + Counter(self.digest_recipients)
        return {"date": self.on.isoformat(), "dry_run": self.dry_run, "sent": self.sent,
                "by_kind": dict(sorted(self.by_kind.items())), "leftovers": self.leftovers,
                "unaddressed": dict(sorted(self.unaddressed.items())),
                "emails": sum(emails_to.values()), "emails_to": dict(sorted(emails_to.items())),
                "skipped_already_sent": self.skipped_already_sent,
                "skipped_by_preference": self.skipped_by_preference}


def at_hour(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def next_at_hour(now: datetime, hour: int) -> datetime:
    """The first time at `hour` (local time) after `now`."""
    local = timezone.localtime(now)
    candidate = at_hour(local.date(), hour)
    return candidate if candidate > now else at_hour(local.date() + timedelta(days=1), hour)


def reminder_hours(user_ids: Iterable[int]) -> dict[int, int]:
    chosen = dict(ReminderTime.objects.filter(user__in=user_ids).values_list("user_id", "hour"))
    return {pk: chosen.get(pk, DEFAULT_REMINDER_HOUR) for pk in user_ids}


def _not_before(frequency: str, hour: int, on: date | None, now: datetime) -> datetime | None:
    """A sweep's reminders are due at their recipient's hour on the day swept; a message an
    event triggers is due at once, or at the recipient's next hour for the digest."""
    if on is not None:
        return at_hour(on, hour)
    return None if frequency == Frequency.IMMEDIATE else next_at_hour(now, hour)


def _wanted(reminders: list[Reminder],
            report: SweepReport) -> list[tuple[Reminder, User, str]]:
    """`reminders` less those nobody can be told and those their recipient turned off, each
    with its recipient and the frequency it goes out at."""
    preferences = {(p.user_id, p.kind): p for p in NotificationPreference.objects.filter(
        user__in={r.recipient.pk for r in reminders if r.recipient})}
    wanted = []
    for reminder in reminders:
        recipient = reminder.recipient
        if recipient is None:
            report.unaddressed[reminder.kind] += 1
            continue
        preference = preferences.get((recipient.pk, reminder.kind))
        if preference is not None and not preference.enabled:
            report.skipped_by_preference += 1
            continue
        wanted.append((reminder, recipient, preference.frequency if preference
                       else default_frequency(reminder.kind)))
    return wanted


def _claim_batch(reminders: list[Reminder], report: SweepReport, sweep_id: uuid.UUID,
                 on: date | None) -> None:
    """Insert the deliveries of `reminders` that are wanted and not yet claimed."""
    types = {r: ContentType.objects.get_for_model(r.subject) for r in reminders}
    wanted = _wanted(reminders, report)
    existing = set(Delivery.objects.filter(
        recipient__in={recipient.pk for _r, recipient, _f in wanted},
        subject_id__in={r.subject.pk for r, _p, _f in wanted},
        occasion__in={r.occasion for r, _p, _f in wanted},
    ).values_list("recipient_id", "kind", "subject_type_id", "subject_id", "occasion"))
    new = []
    for reminder, recipient, frequency in wanted:
        key = (recipient.pk, reminder.kind, types[reminder].pk, reminder.subject.pk,
               reminder.occasion)
        if key in existing:
            report.skipped_already_sent += 1
            continue
        existing.add(key)
        new.append((reminder, recipient, frequency))
    if report.dry_run:
        report.by_kind.update(reminder.kind for reminder, _p, _f in new)
        _count_emails(report, [(p.username, f) for _r, p, f in new])
        return
    hours = reminder_hours({recipient.pk for _r, recipient, _f in new})
    now = timezone.now()
    deliveries, notes = [], {}
    for reminder, recipient, frequency in new:
        rendered = render_reminder(reminder, unsubscribe_link=unsubscribe_link(
            recipient, reminder.kind))
        notes[recipient.pk, reminder.kind, types[reminder].pk, reminder.subject.pk,
              reminder.occasion] = rendered.note
        deliveries.append(Delivery(
            recipient=recipient, kind=reminder.kind, subject_type=types[reminder],
            subject_id=reminder.subject.pk, occasion=reminder.occasion, frequency=frequency,
            not_before=_not_before(frequency, hours[recipient.pk], on, now),
            claimed_by=sweep_id, email_subject=rendered.subject[:300], body_text=rendered.text,
            body_html=rendered.html, digest_item=rendered.digest_item))
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    claimed = list(Delivery.objects.filter(claimed_by=sweep_id, notification__isnull=True)
                   .select_related("recipient"))
    # A concurrent sweep may have claimed some of these first: count only our own rows.
    report.skipped_already_sent += len(deliveries) - len(claimed)
    report.by_kind.update(delivery.kind for delivery in claimed)
    _count_emails(report, [(d.recipient.username, d.frequency) for d in claimed])
    Notification.objects.bulk_create([
        Notification(recipient_id=d.recipient_id, delivery=d, kind=d.kind,
                     title=d.email_subject, subject_type_id=d.subject_type_id,
                     subject_id=d.subject_id, body=notes[
                         d.recipient_id, d.kind, d.subject_type_id, d.subject_id, d.occasion])
        for d in claimed])
    report.to_send.extend(d.pk for d in claimed if d.frequency == Frequency.IMMEDIATE and (
        d.not_before is None or report.moment is None or d.not_before <= report.moment))


def _count_emails(report: SweepReport,
                  recipients_and_frequencies: Iterable[tuple[str, str]]) -> None:
    for username, frequency in recipients_and_frequencies:
        if frequency == Frequency.IMMEDIATE:
            report.emails_to[username] += 1
        else:
            report.digest_recipients.add(username)


def _batched(iterable: Iterable[_T], size: int) -> Iterator[list[_T]]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def claim(reminders: Iterable[Reminder], report: SweepReport, *,
          on: date | None = None) -> uuid.UUID:
    """Claim `reminders` batch by batch, each batch in its own transaction (so a killed sweep
    keeps what it claimed, and the next one goes on from there). `on`: the day a sweep
    claims for (its reminders are due at each person's hour that day)."""
    sweep_id = uuid.uuid4()
    for batch in _batched(reminders, BATCH_SIZE):
        with transaction.atomic():
            _claim_batch(batch, report, sweep_id, on)
    return sweep_id


def outbox_due(due_by: datetime, *, limit: int = BATCH_SIZE) -> list[int]:
    """Deliveries that should have gone and have not: pending and due by `due_by` (single
    messages and digests; items waiting for a digest go with it), or left handing over by a
    worker that died (its lease ran out by now). Oldest first."""
    lease = timedelta(seconds=settings.REMINDER_SEND_LEASE_SECONDS)
    return list(Delivery.objects.filter(
        Q(status=DeliveryStatus.PENDING) & (Q(not_before=None) | Q(not_before__lte=due_by))
        | Q(status=DeliveryStatus.SENDING, sending_since__lt=timezone.now() - lease),
        Q(frequency=Frequency.IMMEDIATE) | Q(kind=ReminderKind.DAILY_DIGEST),
    ).order_by("not_before", "pk").values_list("pk", flat=True)[:limit])


def _send_task(name: str) -> Task[[int], str]:
    if name not in current_app.tasks:
        # Celery discovers the apps' task modules lazily (a worker at start, a web process
        # here): by name, so that this service does not import the task.
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def _queue_send(delivery_id: int, task: str) -> None:
    try:
        _send_task(task).delay(delivery_id)
    except OperationalError:
        # The broker is down. The row is the outbox: it stays pending, and the one-minute
        # flush sends it once a worker runs again.
        logger.warning("broker unreachable: delivery %s left for the outbox flush", delivery_id)
    except Exception:
        # Whatever else keeps the message from the queue (a broker folder that cannot be
        # written, …): after commit, so the request that made the delivery must not fail for
        # it; the row stays pending, and the flush sends it.
        logger.exception("could not queue delivery %s: left for the outbox flush", delivery_id)


def outbox_nudge(delivery_ids: Iterable[int], *, task: str = SEND_TASK) -> None:
    """Ask for `delivery_ids` to be sent (by the task named `task`: e-mails, or webhooks) as
    soon as the claims are committed. A lost broker does not fail the request that made them
    (the flush sends them)."""
    for delivery_id in delivery_ids:
        transaction.on_commit(functools.partial(_queue_send, delivery_id, task))


def outbox_send_soon(reminders: Iterable[Reminder]) -> SweepReport:
    """Claim `reminders` (each once, ever) and send them after commit: for messages an event
    triggers (an account decision, a newly fitting measure, a reviewed report)."""
    report = SweepReport(on=today())
    claim(reminders, report)
    outbox_nudge(report.to_send)
    return report
