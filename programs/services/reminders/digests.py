"""The digests: each person's daily e-mail, and the managers' weekly one.

A person's reminders of the day wait in the outbox until their hour; then one digest
delivery (occasion: the day) carries them all, grouped by kind, the most urgent first, each
with its title, initiative, what to do and link.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Max, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import is_exporter

from ...models import (
    CLOSED_STATUSES,
    Delivery,
    DeliveryStatus,
    Frequency,
    Health,
    Initiative,
    Milestone,
    ProgressReport,
    ReminderKind,
    ReportStatus,
)
from ...reporting import labels
from ...reporting.labels import in_language
from ...selectors.access import active_managers, progress_reports_readable_by
from ...selectors.history import previous_value, start_of
from ...selectors.milestones import SLIPPED, overdue_on
from ...selectors.ownership import unowned_initiatives, unowned_milestones
from ..notifications import unsubscribe_link
from .due import days_of_reminder
from .messages import (
    admin_link,
    digest_sections,
    digest_title,
    render_reminder,
    site_link,
)
from .reminder import DigestItem, Message, Reminder, Section

if TYPE_CHECKING:
    from .outbox import SweepReport

# The longest list a managers' digest section shows.
LIST_LIMIT = 100


def _item(delivery: Delivery) -> DigestItem:
    """The digest line of `delivery` (rows claimed before lines were stored: the subject)."""
    return {"kind": delivery.kind, "title": delivery.email_subject, "initiative": "",
            "detail": "", "action": "", "link": "", "urgency": 0, **delivery.digest_item}


def daily_digests_bundle(*, day: date, now: datetime,
                         report: "SweepReport | None" = None) -> list[int]:
    """One e-mail for each person whose reminders are waiting and due by `now`, unless they
    have had their digest for `day`. Returns the digests' delivery ids."""
    occasion = day.isoformat()
    had_digest = Delivery.objects.filter(kind=ReminderKind.DAILY_DIGEST, occasion=occasion)
    waiting = Delivery.objects.filter(
        Q(not_before=None) | Q(not_before__lte=now), frequency=Frequency.DAILY_DIGEST,
        status=DeliveryStatus.PENDING, bundled_in=None, recipient__is_active=True,
    ).exclude(recipient__in=had_digest.values("recipient")).select_related(
        "recipient").order_by("recipient_id", "pk")
    by_recipient: dict[User, list[Delivery]] = {}
    for delivery in waiting:
        by_recipient.setdefault(delivery.recipient, []).append(delivery)
    if not by_recipient:
        return []
    sweep_id = uuid.uuid4()
    with transaction.atomic():
        containers = [_container(recipient, items, day, sweep_id)
                      for recipient, items in by_recipient.items()]
        Delivery.objects.bulk_create(containers, ignore_conflicts=True)
        mine = list(Delivery.objects.filter(claimed_by=sweep_id).select_related("recipient"))
        for container in mine:
            Delivery.objects.filter(pk__in=[item.pk for item in by_recipient[
                container.recipient]]).update(bundled_in=container)
    ids = [container.pk for container in mine]
    if report is not None:
        report.to_send.extend(ids)
    return ids


def _container(recipient: User, items: list[Delivery], day: date,
               sweep_id: uuid.UUID) -> Delivery:
    lines = [_item(item) for item in items]
    digest = Reminder(
        recipient=recipient, kind=ReminderKind.DAILY_DIGEST, subject=recipient,
        occasion=day.isoformat(),
        describe=lambda: Message(title=digest_title(lines, day),
                                 sections=digest_sections(lines)),
        # Where a person reads them all: their notifications page (the admin's log of
        # everyone's is for administrators); a company's, its own site.
        link=site_link("exporter-home" if is_exporter(recipient) else "my-notifications"))
    rendered = render_reminder(digest, unsubscribe_link=unsubscribe_link(
        recipient, sorted({line["kind"] for line in lines})))
    return Delivery(
        recipient=recipient, kind=digest.kind, subject_type=ContentType.objects.get_for_model(
            User), subject_id=recipient.pk, occasion=digest.occasion, claimed_by=sweep_id,
        email_subject=rendered.subject[:300], body_text=rendered.text, body_html=rendered.html)


def manager_digest_reminders(on: date) -> Iterator[Reminder]:
    """One message per active manager: what went wrong since their last digest, and the work
    nobody is reminded of any more (unowned, or past every reminder)."""
    # A digest covers the days from the one its predecessor was for (its occasion, an ISO
    # date) up to the day before its own: whenever each was sent, no day is told twice.
    managers = active_managers().annotate(
        last_digest_for=Max("deliveries__occasion", filter=Q(
            deliveries__kind=ReminderKind.MANAGER_DIGEST, deliveries__occasion__lt=on.isoformat())))
    changes_since: dict[date, PortfolioChanges] = {}
    for manager in managers:
        since = (date.fromisoformat(manager.last_digest_for) if manager.last_digest_for
                 else on - timedelta(days=7))
        if since not in changes_since:
            changes_since[since] = PortfolioChanges.since(since, on)
        changes = changes_since[since].readable_by(manager)
        if not changes:
            continue

        def describe(changes: PortfolioChanges = changes, since: date = since) -> Message:
            return Message(
                title=_("Progress digest since %(date)s: %(counts)s") % {
                    "date": labels.day(since), "counts": changes.counts()},
                sections=changes.sections())

        yield Reminder(
            recipient=manager, kind=ReminderKind.MANAGER_DIGEST, subject=manager,
            occasion=on.isoformat(), describe=describe,
            link=site_link("admin:programs_milestone_changelist", query="?overdue=yes"))


def _latest_per_record(rows: QuerySet[Any]) -> list[Any]:
    return list({row.id: row for row in rows.order_by("history_date")}.values())


def past_owner_limit(on: date) -> QuerySet[Milestone]:
    """Open milestones overdue beyond the reminders their owner gets (each initiative's
    limit): the escalation carries them."""
    limits = {settings.REMINDER_OWNER_LIMIT, *Initiative.objects.exclude(
        reminder_owner_limit=None).values_list("reminder_owner_limit", flat=True)}
    return Milestone.objects.exclude(status__in=CLOSED_STATUSES).annotate(
        owner_limit=Coalesce("initiative__reminder_owner_limit",
                             Value(settings.REMINDER_OWNER_LIMIT)),
    ).filter(reduce(or_, (Q(owner_limit=limit, planned_due_on__lte=on - timedelta(
        days=1 + days_of_reminder(limit + 1))) for limit in limits)))


@dataclass
class PortfolioChanges:
    """What a manager needs to hear about since a date: milestones newly overdue, planned
    dates moved past their baseline, milestones or initiatives turned red, reports awaiting
    review; and, whatever the date, work nobody is reminded of."""

    newly_overdue: list[Milestone]
    # Historical rows (simple_history's models, untyped) of milestones and initiatives.
    slipped: list[Any]
    turned_red: list[Any]
    awaiting_review: list[ProgressReport]
    unowned_initiatives: list[Initiative]
    unowned_milestones: list[Milestone]
    escalated: list[Milestone]

    @classmethod
    def since(cls, since: date, on: date) -> Self:
        start = start_of(since)
        milestone_history = Milestone.history.model
        newly_overdue = list(Milestone.objects.filter(
            overdue_on(on), planned_due_on__gte=since,
        ).select_related("initiative").order_by("planned_due_on"))
        slipped = _latest_per_record(milestone_history.objects.filter(
            history_date__gte=start, history_type="~",
        ).annotate(previous_planned=previous_value(milestone_history, "planned_due_on")).filter(
            Q(planned_due_on__gt=F("previous_planned")), SLIPPED))
        turned_red: list[Any] = []
        for model in (Milestone, Initiative):
            history = model.history.model
            turned_red += _latest_per_record(history.objects.filter(
                history_date__gte=start, health=Health.RED,
            ).annotate(previous_health=previous_value(history, "health")).filter(
                Q(previous_health__isnull=True) | ~Q(previous_health=Health.RED)))
        awaiting_review = list(ProgressReport.objects.filter(
            status=ReportStatus.SUBMITTED, submitted_at__gte=start).select_related(
            "initiative").order_by("submitted_at"))
        return cls(
            newly_overdue, slipped, turned_red, awaiting_review,
            list(unowned_initiatives(Initiative.objects.all()).order_by("path")[:LIST_LIMIT]),
            list(unowned_milestones(Milestone.objects.all()).select_related(
                "initiative").order_by("planned_due_on", "pk")[:LIST_LIMIT]),
            list(past_owner_limit(on).select_related("initiative", "owner").order_by(
                "planned_due_on", "pk")[:LIST_LIMIT]))

    def readable_by(self, reader: User) -> Self:
        """These changes less the progress reports `reader` may not read (the report rule)."""
        if not self.awaiting_review:
            return self
        readable = set(progress_reports_readable_by(reader).filter(
            pk__in=[report.pk for report in self.awaiting_review]).values_list("pk", flat=True))
        return replace(self, awaiting_review=[
            report for report in self.awaiting_review if report.pk in readable])

    def _lists(self) -> tuple[list[Any], ...]:
        return (self.newly_overdue, self.slipped, self.turned_red, self.awaiting_review,
                self.unowned_initiatives, self.unowned_milestones, self.escalated)

    def __bool__(self) -> bool:
        return any(self._lists())

    def counts(self) -> str:
        return _(", ").join(f"{heading} {len(items)}" for heading, items in self.sections())

    def sections(self) -> list[Section]:
        """(heading, items) pairs, each item with its title, initiative, what to do, link."""
        def milestone_item(milestone: Milestone, title: str, action: str) -> DigestItem:
            return {"title": title, "initiative": in_language(milestone.initiative, "name"),
                    "action": action, "link": admin_link(milestone)}

        def history_item(row: Any, title: str) -> DigestItem:
            model = Milestone if hasattr(row, "title_ja") else Initiative
            return {"title": title, "initiative": "", "action": "",
                    "link": admin_link(model(pk=row.id))}

        sections = [
            (_("New overdue"), [milestone_item(m, _("%(title)s (due %(date)s)") % {
                "title": in_language(m, "title"), "date": labels.day(m.planned_due_on)},
                _("Ask the owner for a new date or completion.")) for m in self.newly_overdue]),
            (_("Slipped against baseline"), [history_item(row, _(
                "%(title)s (now due %(date)s, %(days)d days after its baseline)") % {
                "title": in_language(row, "title"), "date": labels.day(row.planned_due_on),
                "days": (row.planned_due_on - row.baseline_due_on).days})
                for row in self.slipped]),
            (_("Health turned red"), [history_item(row, in_language(
                row, "title" if hasattr(row, "title_ja") else "name"))
                for row in self.turned_red]),
            (_("Progress reports awaiting your review"), [{
                "title": " ".join((in_language(report.initiative, "name"),
                                   labels.quarter(report.period))),
                "initiative": "", "action": _("Approve it or return it with a reason."),
                "link": admin_link(report)} for report in self.awaiting_review]),
            (_("Unowned work: initiatives without an owner who can be reached"), [{
                "title": in_language(i, "name"), "initiative": i.code,
                "action": _("Give it an active owner."), "link": admin_link(i)}
                for i in self.unowned_initiatives]),
            (_("Unowned work: milestones nobody can be reminded of"), [milestone_item(
                m, in_language(m, "title"), _("Give it an active owner."))
                for m in self.unowned_milestones]),
            (_("Overdue past the owner's reminders"), [milestone_item(
                m, _("%(title)s (due %(date)s, owner %(owner)s)") % {
                    "title": in_language(m, "title"), "date": labels.day(m.planned_due_on),
                    "owner": m.owner.display_name},
                _("Decide with the owner: a new date, cancel, or another owner."))
                for m in self.escalated]),
        ]
        return [(heading, items) for heading, items in sections if items]
