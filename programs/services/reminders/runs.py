"""The runs: the hourly sweep, the weekly managers' digest and the one-minute outbox flush."""

import time
from datetime import date, datetime, timedelta

from django.utils import timezone

from ..deliveries import delivery_send_or_record
from ..webhooks.sending import webhook_deliveries_due, webhook_delivery_send
from .digests import daily_digests_bundle, manager_digest_reminders
from .due import reminders_due
from .outbox import SweepReport, claim, outbox_due

# A flush stops sending after this long, so that flushes one minute apart do not pile up.
FLUSH_BUDGET_SECONDS = 50


def _moment(on: date, now: datetime) -> datetime:
    """Up to when a sweep of `on` finds reminders due: now, for today; the whole day, for a
    day swept by hand (`send_reminders --date`)."""
    if on == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(on + timedelta(days=1), datetime.min.time()))


def reminders_sweep(*, on: date, dry_run: bool = False,
                    now: datetime | None = None) -> SweepReport:
    """Claim every reminder due on `on`, bundle the digests of the people whose hour has
    come, and pick up what earlier runs left unsent; the report's `to_send` lists the
    deliveries to send now (the caller sends them after the claims are committed). Safe to
    run again: a second run claims nothing twice and goes on where a killed one stopped."""
    now = now or timezone.now()
    moment = _moment(on, now)
    report = SweepReport(on=on, dry_run=dry_run, moment=moment)
    if dry_run:
        claim(reminders_due(on), report, on=on)
        return report
    leftovers = outbox_due(moment)
    claim(reminders_due(on), report, on=on)
    daily_digests_bundle(day=on, now=moment, report=report)
    new = set(report.to_send)
    report.leftovers = len([pk for pk in leftovers if pk not in new])
    report.to_send.extend(pk for pk in leftovers if pk not in new)
    return report


def manager_digest_sweep(*, on: date, dry_run: bool = False) -> SweepReport:
    report = SweepReport(on=on, dry_run=dry_run)
    claim(manager_digest_reminders(on), report)
    return report


def outbox_flush(*, now: datetime | None = None,
                 budget_seconds: float = FLUSH_BUDGET_SECONDS) -> dict[str, int]:
    """Bundle the digests whose hour has come and send everything due that has not gone
    (whatever happened to the worker that should have sent it, or to the broker), e-mails
    then webhooks ("webhook_…" outcomes), for up to `budget_seconds`. Returns the count of
    each outcome."""
    now = now or timezone.now()
    daily_digests_bundle(day=timezone.localdate(now), now=now)
    started = time.monotonic()
    outcomes: dict[str, int] = {}
    for delivery_id in outbox_due(now):
        if time.monotonic() - started > budget_seconds:
            break
        outcome = delivery_send_or_record(delivery_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    for webhook_id in webhook_deliveries_due(now):
        if time.monotonic() - started > budget_seconds:
            break
        outcome = f"webhook_{webhook_delivery_send(webhook_id, now=now)}"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
