"""Which reminders fall due on a day, and claiming them so that each goes out exactly once.

A sweep walks the open milestones (and active initiatives) in keyset batches, works out who
should hear about what on that day, drops what the recipients turned off or what an earlier
sweep already claimed, and inserts the rest into the delivery log with INSERT … ON CONFLICT
DO NOTHING. The unique key (recipient, kind, subject, occasion) is the claim: whatever the
overlap between sweeps, each reminder row is inserted once, and only the sweep that inserted
it sends it.
"""

import functools
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import islice

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Min, Q
from django.db.models.functions import Coalesce, TruncDate
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Role, User
from tracker.text import one_line

from ..models import (
    CLOSED_STATUSES,
    Delivery,
    DeliveryStatus,
    Frequency,
    Health,
    Initiative,
    InitiativeStatus,
    Milestone,
    Notification,
    NotificationPreference,
    ProgressReport,
    ReminderKind,
    ReportStatus,
    StatusUpdate,
    WorkStatus,
)
from ..selectors.access import progress_reports_readable_by
from ..selectors.history import previous_value, start_of
from ..selectors.milestones import SLIPPED, overdue_on
from .progress_reports import period_bounds

BATCH_SIZE = 1000


@dataclass(frozen=True)
class Reminder:
    """Something one person should hear about on one occasion. `describe()` gives the title
    and the lines of the message, in whatever language is active when it is called."""

    recipient: User
    kind: str
    subject: object
    occasion: str
    describe: Callable[[], tuple[str, list[str]]]
    link: str = ""


@dataclass
class SweepReport:
    on: date
    dry_run: bool = False
    by_kind: Counter = field(default_factory=Counter)
    skipped_already_sent: int = 0
    skipped_by_preference: int = 0
    to_send: list = field(default_factory=list)

    @property
    def sent(self):
        return sum(self.by_kind.values())

    def as_dict(self):
        return {"date": self.on.isoformat(), "dry_run": self.dry_run, "sent": self.sent,
                "by_kind": dict(sorted(self.by_kind.items())),
                "skipped_already_sent": self.skipped_already_sent,
                "skipped_by_preference": self.skipped_by_preference}


def site_link(viewname, *args, query=""):
    """An absolute link for an e-mail (the admin's path is configurable: ADMIN_URL)."""
    return f"{settings.SITE_URL}{reverse(viewname, args=args)}{query}"


@functools.cache
def _admin_changelist(app_label, model_name):
    return reverse(f"admin:{app_label}_{model_name}_changelist")


def admin_link(obj):
    # An object's admin page is <its changelist>/<pk>/change/; one reverse() per model, not
    # per reminder (a sweep builds thousands).
    meta = obj._meta
    return (f"{settings.SITE_URL}{_admin_changelist(meta.app_label, meta.model_name)}"
            f"{obj.pk}/change/")


def _in_batches(queryset):
    """The rows of `queryset` in primary-key order, one query per BATCH_SIZE rows."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH_SIZE])
        if not batch:
            return
        yield from batch
        last = batch[-1].pk


def _days_back(on, *, first, step, earliest):
    """`on` less `first` days, then every `step` days further back, down to `earliest`: the
    days a repeating reminder can fall on, so that the database picks the few rows due today
    instead of the sweep reading every open milestone."""
    days, day = [], on - timedelta(days=first)
    while earliest is not None and day >= earliest:
        days.append(day)
        day -= timedelta(days=step)
    return days


def _open_milestones():
    return Milestone.objects.exclude(status__in=CLOSED_STATUSES).filter(owner__is_active=True)


class _Shared:
    """The people and initiatives the sweep's milestones point at. They are few and each is
    shared by many milestones, so they are read once, not once per milestone."""

    def __init__(self):
        self.people = {user.pk: user for user in User.objects.filter(is_active=True).exclude(
            role=Role.EXPORTER)}
        self.initiatives = {initiative.pk: initiative
                            for initiative in Initiative.objects.select_related("owner")}

    def attach(self, milestones):
        """Yield `milestones` with their owner and initiative set from the shared copies
        (one left unset, e.g. a person who changed role, is read when it is used)."""
        for milestone in milestones:
            if owner := self.people.get(milestone.owner_id):
                Milestone.owner.field.set_cached_value(milestone, owner)
            if initiative := self.initiatives.get(milestone.initiative_id):
                Milestone.initiative.field.set_cached_value(milestone, initiative)
            yield milestone


def _earliest_reference():
    """The earliest day a stale reminder can count from: the oldest in-progress milestone's
    creation or the oldest status update."""
    created = Milestone.objects.filter(status=WorkStatus.IN_PROGRESS).aggregate(
        earliest=Min("created_at"))["earliest"]
    updated = StatusUpdate.objects.aggregate(earliest=Min("reported_on"))["earliest"]
    return min([day for day in (created and timezone.localdate(created), updated) if day],
               default=None)


def _milestone_lines(milestone):
    return [
        _("Milestone: %(title)s") % {"title": milestone.title_ja},
        _("Initiative: %(name)s") % {"name": milestone.initiative.name_ja},
        _("Planned due date: %(date)s") % {"date": milestone.planned_due_on.isoformat()},
        _("Status: %(status)s") % {"status": WorkStatus(milestone.status).label},
    ]


def _due_soon(on, shared):
    overrides = dict(Initiative.objects.exclude(reminder_due_soon_days=None).values_list(
        "pk", "reminder_due_soon_days"))
    every_threshold = set(settings.REMINDER_DUE_SOON_DAYS).union(*overrides.values())
    due_dates = [on + timedelta(days=days) for days in every_threshold]
    for milestone in shared.attach(_in_batches(
            _open_milestones().filter(planned_due_on__in=due_dates))):
        days = (milestone.planned_due_on - on).days
        if days not in overrides.get(milestone.initiative_id, settings.REMINDER_DUE_SOON_DAYS):
            continue
        yield Reminder(
            recipient=milestone.owner, kind=ReminderKind.DUE_SOON, subject=milestone,
            occasion=f"{milestone.planned_due_on.isoformat()}:{days}",
            describe=lambda m=milestone, d=days: (
                ngettext("Due in %(days)d day: %(title)s", "Due in %(days)d days: %(title)s",
                         d) % {"days": d, "title": m.title_ja},
                _milestone_lines(m)),
            link=admin_link(milestone),
        )


def _overdue(on, shared):
    """The owner on the first day overdue and every REPEAT days after; the initiative's owner
    is copied once it is more than ESCALATE days overdue."""
    repeat = settings.REMINDER_OVERDUE_REPEAT_DAYS
    earliest = Milestone.objects.exclude(status__in=CLOSED_STATUSES).aggregate(
        earliest=Min("planned_due_on"))["earliest"]
    due_dates = _days_back(on, first=1, step=repeat, earliest=earliest)
    for milestone in shared.attach(_in_batches(
            _open_milestones().filter(planned_due_on__in=due_dates))):
        days = (on - milestone.planned_due_on).days
        if (days - 1) % repeat:
            continue
        recipients = [milestone.owner]
        head = milestone.initiative.owner
        if (days > settings.REMINDER_OVERDUE_ESCALATE_AFTER_DAYS and head is not None
                and head.is_active and head.pk != milestone.owner_id):
            recipients.append(head)
        for recipient in recipients:
            yield Reminder(
                recipient=recipient, kind=ReminderKind.OVERDUE, subject=milestone,
                occasion=f"{milestone.planned_due_on.isoformat()}:{days}",
                describe=lambda m=milestone, d=days, copied=recipient != milestone.owner: (
                    _overdue_message(m, d, copied)),
                link=admin_link(milestone),
            )


def _overdue_message(milestone, days, copied):
    title = ngettext("Overdue by %(days)d day: %(title)s", "Overdue by %(days)d days: %(title)s",
                     days) % {"days": days, "title": milestone.title_ja}
    lines = _milestone_lines(milestone)
    if copied:
        lines.append(_("You receive this as the owner of the initiative (owner of the "
                       "milestone: %(owner)s).") % {"owner": milestone.owner.display_name})
    return title, lines


def _stale_days(reference, on, threshold):
    """Days without an update, when that is a whole multiple of the threshold (30, 60, …)."""
    days = (on - reference).days
    return days if days >= threshold and days % threshold == 0 else None


def _stale(on, shared):
    """In-progress milestones and active initiatives with no status update for too long."""
    default = settings.REMINDER_STALE_AFTER_DAYS
    in_progress = _open_milestones().filter(status=WorkStatus.IN_PROGRESS)
    thresholds = {default, *Initiative.objects.exclude(reminder_stale_after_days=None)
                  .values_list("reminder_stale_after_days", flat=True)}
    earliest = _earliest_reference()
    stale_dates = {day for threshold in thresholds
                   for day in _days_back(on, first=threshold, step=threshold, earliest=earliest)}
    milestones = in_progress.annotate(
        last_update=Max("status_updates__reported_on"),
        reference=Coalesce("last_update", TruncDate("created_at")),
    ).filter(reference__in=stale_dates)
    for milestone in shared.attach(_in_batches(milestones)):
        reference = milestone.last_update or timezone.localdate(milestone.created_at)
        threshold = milestone.initiative.reminder_stale_after_days or default
        days = _stale_days(reference, on, threshold)
        if days is None:
            continue
        yield Reminder(
            recipient=milestone.owner, kind=ReminderKind.STALE, subject=milestone,
            occasion=f"{reference.isoformat()}:{days}",
            describe=lambda m=milestone, d=days: (
                _("No status update for %(days)d days: %(title)s") % {
                    "days": d, "title": m.title_ja}, _milestone_lines(m)),
            link=admin_link(milestone),
        )
    initiatives = Initiative.objects.filter(
        status=InitiativeStatus.ACTIVE, owner__is_active=True).select_related("owner").annotate(
        last_update=Max("status_updates__reported_on"))
    for initiative in _in_batches(initiatives):
        reference = initiative.last_update or timezone.localdate(initiative.created_at)
        days = _stale_days(reference, on, initiative.reminder_stale_after_days or default)
        if days is None:
            continue
        yield Reminder(
            recipient=initiative.owner, kind=ReminderKind.STALE, subject=initiative,
            occasion=f"{reference.isoformat()}:{days}",
            describe=lambda i=initiative, d=days: (
                _("No status update for %(days)d days: %(name)s") % {
                    "days": d, "name": i.name_ja},
                [_("Initiative: %(name)s") % {"name": i.name_ja},
                 _("Health: %(health)s") % {"health": i.get_health_display()}]),
            link=admin_link(initiative),
        )


def previous_quarter(on):
    """The last quarter that ended before `on`, as "2026-Q3", and its last day."""
    quarter = (on.month - 1) // 3  # quarters fully before this month's quarter: 0..3
    year, quarter = (on.year, quarter) if quarter else (on.year - 1, 4)
    period = f"{year}-Q{quarter}"
    return period, period_bounds(period)[1]


def _reports_due(on):
    """The owners of active initiatives whose last quarter's report is not submitted yet: a
    week before it is due, on the day, and every week after."""
    try:
        period, quarter_end = previous_quarter(on)
    except ValidationError:
        return  # a quarter no report can be written for (after 2099-Q4): nothing is due
    due_on = quarter_end + timedelta(days=settings.PROGRESS_REPORT_DUE_DAYS)
    days_left = (due_on - on).days
    if not (days_left == 7 or (days_left <= 0 and -days_left % 7 == 0)):
        return
    done = ProgressReport.objects.filter(period=period).exclude(
        status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED)).values("initiative")
    initiatives = Initiative.objects.filter(
        status=InitiativeStatus.ACTIVE, owner__is_active=True,
        created_at__date__lte=quarter_end,
    ).exclude(pk__in=done).select_related("owner")
    for initiative in _in_batches(initiatives):
        yield Reminder(
            recipient=initiative.owner, kind=ReminderKind.REPORT_DUE, subject=initiative,
            occasion=f"{period}:{days_left}",
            describe=lambda i=initiative: (
                _("Progress report %(period)s due %(date)s: %(name)s") % {
                    "period": period, "date": due_on.isoformat(), "name": i.name_ja},
                [_("Initiative: %(name)s") % {"name": i.name_ja},
                 _("Write the narrative and submit the report for %(period)s.") % {
                     "period": period}]),
            link=site_link("admin:programs_progressreport_changelist",
                           query=f"?q={initiative.code}"),
        )


def reminders_due(on):
    """Every reminder that falls due on `on` (before preferences and earlier claims)."""
    shared = _Shared()
    yield from _due_soon(on, shared)
    yield from _overdue(on, shared)
    yield from _stale(on, shared)
    yield from _reports_due(on)


def render_reminder(reminder):
    """Subject, text and HTML of `reminder` in its recipient's language. The subject is one
    line whatever the titles in it hold (one stored before titles were checked)."""
    recipient = reminder.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        title, lines = reminder.describe()
        title = one_line(title)
        context = {"recipient_name": recipient.display_name,
                   "lines": lines, "link": reminder.link, "subject": title,
                   "language": recipient.language}
        return (title, render_to_string("reminders/email.txt", context),
                render_to_string("reminders/email.html", context))


def _claim_batch(reminders, report, sweep_id):
    """Insert the deliveries of `reminders` that are wanted and not yet claimed."""
    types = {r: ContentType.objects.get_for_model(r.subject) for r in reminders}
    preferences = {
        (p.user_id, p.kind): p for p in NotificationPreference.objects.filter(
            user__in={r.recipient.pk for r in reminders})}
    wanted = []
    for reminder in reminders:
        preference = preferences.get((reminder.recipient.pk, reminder.kind))
        if preference is not None and not preference.enabled:
            report.skipped_by_preference += 1
        else:
            wanted.append((reminder, preference))
    existing = set(Delivery.objects.filter(
        recipient__in={r.recipient.pk for r, _p in wanted},
        subject_id__in={r.subject.pk for r, _p in wanted},
        occasion__in={r.occasion for r, _p in wanted},
    ).values_list("recipient_id", "kind", "subject_type_id", "subject_id", "occasion"))
    new = []
    for reminder, preference in wanted:
        key = (reminder.recipient.pk, reminder.kind, types[reminder].pk, reminder.subject.pk,
               reminder.occasion)
        if key in existing:
            report.skipped_already_sent += 1
            continue
        existing.add(key)
        new.append((reminder, preference))
    if report.dry_run:
        report.by_kind.update(reminder.kind for reminder, _p in new)
        return
    deliveries = []
    for reminder, preference in new:
        subject, text, html = render_reminder(reminder)
        deliveries.append(Delivery(
            recipient=reminder.recipient, kind=reminder.kind, subject_type=types[reminder],
            subject_id=reminder.subject.pk, occasion=reminder.occasion,
            frequency=preference.frequency if preference else Frequency.IMMEDIATE,
            claimed_by=sweep_id, email_subject=subject[:300], body_text=text, body_html=html))
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    claimed = list(Delivery.objects.filter(claimed_by=sweep_id, notification__isnull=True))
    # A concurrent sweep may have claimed some of these first: count only our own rows.
    report.skipped_already_sent += len(deliveries) - len(claimed)
    report.by_kind.update(delivery.kind for delivery in claimed)
    Notification.objects.bulk_create([
        Notification(recipient_id=d.recipient_id, delivery=d, kind=d.kind,
                     title=d.email_subject, body=d.body_text, subject_type_id=d.subject_type_id,
                     subject_id=d.subject_id) for d in claimed])
    report.to_send.extend(d.pk for d in claimed if d.frequency == Frequency.IMMEDIATE)


def _batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def claim(reminders: Iterator[Reminder], report):
    """Claim `reminders` batch by batch, each batch in its own transaction."""
    sweep_id = uuid.uuid4()
    for batch in _batched(reminders, BATCH_SIZE):
        with transaction.atomic():
            _claim_batch(batch, report, sweep_id)
    return sweep_id


def _bundle_daily_digests(on, report, sweep_id):
    """One e-mail a day for the people who asked for a digest instead of single messages."""
    waiting = Delivery.objects.filter(
        frequency=Frequency.DAILY_DIGEST, status=DeliveryStatus.PENDING, bundled_in=None
    ).select_related("recipient").order_by("recipient_id", "created_at")
    by_recipient = {}
    for delivery in waiting:
        by_recipient.setdefault(delivery.recipient, []).append(delivery)
    digests = [
        Reminder(recipient=recipient, kind=ReminderKind.DAILY_DIGEST, subject=recipient,
                 occasion=on.isoformat(),
                 describe=lambda items=items: (
                     _("Your reminders for today (%(count)d)") % {"count": len(items)},
                     [item.email_subject for item in items]),
                 link=site_link("admin:index"))
        for recipient, items in by_recipient.items() if recipient.is_active]
    with transaction.atomic():
        _claim_digest_containers(digests, by_recipient, report, sweep_id)


def _claim_digest_containers(digests, by_recipient, report, sweep_id):
    user_type = ContentType.objects.get_for_model(User)
    containers = []
    for digest in digests:
        subject, text, html = render_reminder(digest)
        containers.append(Delivery(
            recipient=digest.recipient, kind=digest.kind, subject_type=user_type,
            subject_id=digest.recipient.pk, occasion=digest.occasion, claimed_by=sweep_id,
            email_subject=subject[:300], body_text=text, body_html=html))
    Delivery.objects.bulk_create(containers, ignore_conflicts=True)
    for container in Delivery.objects.filter(
            claimed_by=sweep_id, kind=ReminderKind.DAILY_DIGEST).select_related("recipient"):
        items = by_recipient[container.recipient]
        Delivery.objects.filter(pk__in=[i.pk for i in items]).update(bundled_in=container)
        report.to_send.append(container.pk)


def _stranded():
    """Claimed deliveries that never went out: queued when the broker was lost, or left
    "sending" by a worker that died. The daily sweep sends them again."""
    cutoff = timezone.now() - timedelta(seconds=settings.REMINDER_SEND_LEASE_SECONDS)
    return list(Delivery.objects.filter(
        Q(status=DeliveryStatus.PENDING, created_at__lt=cutoff)
        | Q(status=DeliveryStatus.SENDING, sending_since__lt=cutoff),
    ).filter(
        # Items waiting for (or sent in) a daily digest go out with their digest only.
        Q(frequency=Frequency.IMMEDIATE) | Q(kind=ReminderKind.DAILY_DIGEST),
    ).values_list("pk", flat=True))


def reminders_sweep(*, on, dry_run=False):
    """Claim every reminder due on `on`; return the report, whose `to_send` lists the
    deliveries to send now (the caller sends them after the claims are committed)."""
    report = SweepReport(on=on, dry_run=dry_run)
    if dry_run:
        claim(reminders_due(on), report)
        return report
    stranded = _stranded()
    sweep_id = claim(reminders_due(on), report)
    _bundle_daily_digests(on, report, sweep_id)
    report.to_send.extend(stranded)
    return report


def manager_digest_reminders(on):
    """One message per active manager: what went wrong since their last digest."""
    # A digest covers the days from the one its predecessor was for (its occasion, an ISO
    # date) up to the day before its own: whenever each was sent, no day is told twice.
    managers = User.objects.filter(role=Role.MANAGER, is_active=True).annotate(
        last_digest_for=Max("deliveries__occasion", filter=Q(
            deliveries__kind=ReminderKind.MANAGER_DIGEST, deliveries__occasion__lt=on.isoformat())))
    changes_since = {}
    for manager in managers:
        since = (date.fromisoformat(manager.last_digest_for) if manager.last_digest_for
                 else on - timedelta(days=7))
        if since not in changes_since:
            changes_since[since] = PortfolioChanges.since(since, on)
        changes = changes_since[since].readable_by(manager)
        if not changes:
            continue
        yield Reminder(
            recipient=manager, kind=ReminderKind.MANAGER_DIGEST, subject=manager,
            occasion=on.isoformat(),
            describe=lambda changes=changes, since=since: (
                _("Progress digest since %(date)s") % {"date": since.isoformat()},
                changes.lines()),
            link=site_link("admin:programs_milestone_changelist", query="?overdue=yes"))


def _latest_per_record(rows):
    return list({row.id: row for row in rows.order_by("history_date")}.values())


@dataclass
class PortfolioChanges:
    """What a manager needs to hear about since a date: milestones newly overdue, planned
    dates moved past their baseline, and milestones or initiatives turned red."""

    newly_overdue: list
    slipped: list
    turned_red: list
    awaiting_review: list

    @classmethod
    def since(cls, since, on):
        start = start_of(since)
        milestone_history = Milestone.history.model
        newly_overdue = list(Milestone.objects.filter(
            overdue_on(on), planned_due_on__gte=since,
        ).select_related("initiative").order_by("planned_due_on"))
        slipped = _latest_per_record(milestone_history.objects.filter(
            history_date__gte=start, history_type="~",
        ).annotate(previous_planned=previous_value(milestone_history, "planned_due_on")).filter(
            Q(planned_due_on__gt=F("previous_planned")), SLIPPED))
        turned_red = []
        for model in (Milestone, Initiative):
            history = model.history.model
            turned_red += _latest_per_record(history.objects.filter(
                history_date__gte=start, health=Health.RED,
            ).annotate(previous_health=previous_value(history, "health")).filter(
                Q(previous_health__isnull=True) | ~Q(previous_health=Health.RED)))
        awaiting_review = list(ProgressReport.objects.filter(
            status=ReportStatus.SUBMITTED, submitted_at__gte=start).select_related(
            "initiative").order_by("submitted_at"))
        return cls(newly_overdue, slipped, turned_red, awaiting_review)

    def readable_by(self, reader):
        """These changes less the progress reports `reader` may not read (the report rule)."""
        if not self.awaiting_review:
            return self
        readable = set(progress_reports_readable_by(reader).filter(
            pk__in=[report.pk for report in self.awaiting_review]).values_list("pk", flat=True))
        return replace(self, awaiting_review=[
            report for report in self.awaiting_review if report.pk in readable])

    def __bool__(self):
        return bool(self.newly_overdue or self.slipped or self.turned_red
                    or self.awaiting_review)

    def lines(self):
        lines = [_("New overdue: %(title)s (%(initiative)s, due %(date)s)") % {
            "title": m.title_ja, "initiative": m.initiative.code,
            "date": m.planned_due_on.isoformat()} for m in self.newly_overdue]
        lines += [_("Slipped against baseline: %(title)s (now due %(date)s, %(days)d days "
                    "after its baseline)") % {
            "title": row.title_ja, "date": row.planned_due_on.isoformat(),
            "days": (row.planned_due_on - row.baseline_due_on).days} for row in self.slipped]
        lines += [_("Health turned red: %(name)s") % {
            "name": getattr(row, "title_ja", None) or row.name_ja} for row in self.turned_red]
        lines += [_("Progress report awaiting your review: %(initiative)s %(period)s") % {
            "initiative": report.initiative.name_ja, "period": report.period}
            for report in self.awaiting_review]
        return lines


def manager_digest_sweep(*, on, dry_run=False):
    report = SweepReport(on=on, dry_run=dry_run)
    claim(manager_digest_reminders(on), report)
    return report
