"""The rules: which reminders fall due on a day, and to whom.

Overdue and stale reminders back off: on the first day, every REMINDER_OVERDUE_REPEAT_DAYS
(7) days for the first REMINDER_BACKOFF_AFTER_DAYS (30), then every
REMINDER_BACKOFF_REPEAT_DAYS (30). The milestone's owner hears the first
REMINDER_OWNER_LIMIT (6, or the initiative's own limit); the initiative's owner is copied on
overdue work after REMINDER_OVERDUE_ESCALATE_AFTER_DAYS and carries it once the owner's are
used up, for as many again; after that the managers' weekly digest lists it.

Nothing goes nowhere: a reminder whose addressee is inactive, has no e-mail address or does
not exist goes to the next person up (the initiative's owner); with nobody left it is
counted as unaddressed, and the managers' digest lists the work as unowned.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import TypeGuard, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Min, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User

from ...models import (
    CLOSED_STATUSES,
    Initiative,
    InitiativeStatus,
    Milestone,
    ProgressReport,
    ReminderKind,
    ReportStatus,
    StatusUpdate,
    WorkStatus,
)
from ...models.progress_report import period_bounds
from ...reporting import labels
from ...reporting.labels import in_language
from ...selectors.access import ministry_people
from ...selectors.staleness import (
    may_be_stale_since,
    stale_after_days,
    stale_thresholds,
    with_stale_reference,
)
from .messages import admin_link, milestone_lines, site_link
from .reminder import Message, Reminder

BATCH_SIZE = 1000

_Row = TypeVar("_Row", bound=Model)
_Milestone = TypeVar("_Milestone", bound=Milestone)


def reachable(person: User | None) -> TypeGuard[User]:
    """Whether `person` can be told anything: exists, active, with an e-mail address."""
    return person is not None and person.is_active and bool(person.email)


def owner_limit(initiative: Initiative) -> int:
    return initiative.reminder_owner_limit or settings.REMINDER_OWNER_LIMIT


def reminder_number(days_since_first: int) -> int | None:
    """Which reminder (1, 2, …) falls `days_since_first` days after the first one, or None:
    every REPEAT days within the first BACKOFF_AFTER days, then every BACKOFF_REPEAT days."""
    step = settings.REMINDER_OVERDUE_REPEAT_DAYS
    last_weekly = (settings.REMINDER_BACKOFF_AFTER_DAYS - 1) // step * step
    if days_since_first < 0:
        return None
    if days_since_first <= last_weekly:
        return None if days_since_first % step else days_since_first // step + 1
    later, rest = divmod(days_since_first - last_weekly, settings.REMINDER_BACKOFF_REPEAT_DAYS)
    return None if rest else last_weekly // step + 1 + later


def reminder_offsets(longest: int) -> list[int]:
    """The days after the first on which a reminder falls, up to `longest` days."""
    return [offset for offset in range(longest + 1) if reminder_number(offset) is not None]


def days_of_reminder(number: int) -> int:
    """The days after the first on which reminder `number` falls (its inverse)."""
    offset = 0
    while reminder_number(offset) != number:
        offset += 1
    return offset


def _addressees(number: int, *, owner: User | None, head: User | None, limit: int,
                copy_head: bool) -> list[tuple[User, str]]:
    """Who hears reminder `number` about work of `owner` under initiative owner `head`, with
    why when it is not the owner: [(person, reason)]. Empty: nobody is left."""
    if head is not None and owner is not None and head.pk == owner.pk:
        head = None  # nobody above the owner but the managers' digest
    if number <= limit:
        if reachable(owner):
            people = [(owner, "")]
        elif reachable(head):
            return [(head, "stand_in")]
        else:
            return []
        if copy_head and reachable(head):
            people.append((head, "copied"))
        return people
    if number <= 2 * limit and reachable(head):
        return [(head, "carried")]
    return []


def _reason_line(reason: str, milestone: Milestone) -> str | None:
    owner = milestone.owner.display_name
    return {
        "copied": _("You receive this as the owner of the initiative (owner of the "
                    "milestone: %(owner)s).") % {"owner": owner},
        "stand_in": _("You receive this as the owner of the initiative: the milestone's owner "
                      "(%(owner)s) cannot be reached.") % {"owner": owner},
        "carried": _("You receive this as the owner of the initiative: %(owner)s has been "
                     "reminded the most times they are.") % {"owner": owner},
    }.get(reason)


def _in_batches(queryset: QuerySet[_Row]) -> Iterator[_Row]:
    """The rows of `queryset` in primary-key order, BATCH_SIZE at a time. Their ids first,
    unordered, so that the database finds them through whatever index the filter can use
    (walking the primary key in order, it would read every row to find the few due); then
    each batch by id."""
    ids = sorted(queryset.order_by().values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        yield from queryset.filter(pk__in=ids[start:start + BATCH_SIZE]).order_by("pk")


def _open_milestones() -> QuerySet[Milestone]:
    return Milestone.objects.exclude(status__in=CLOSED_STATUSES)


class _Shared:
    """The people and initiatives the sweep's milestones point at. They are few and each is
    shared by many milestones, so they are read once, not once per milestone."""

    def __init__(self) -> None:
        self.people = {user.pk: user for user in ministry_people()}
        self.initiatives = {initiative.pk: initiative
                            for initiative in Initiative.objects.select_related("owner")}

    def attach(self, milestones: Iterable[_Milestone]) -> Iterator[_Milestone]:
        """Yield `milestones` with their owner and initiative set from the shared copies."""
        for milestone in milestones:
            if owner := self.people.get(milestone.owner_id):
                Milestone.owner.field.set_cached_value(milestone, owner)
            if initiative := self.initiatives.get(milestone.initiative_id):
                Milestone.initiative.field.set_cached_value(milestone, initiative)
            yield milestone


def _milestone_reminders(milestone: Milestone, *, kind: str, number: int, occasion: str,
                         title: Callable[[], str], action: Callable[[], str], urgency: int,
                         copy_head: bool = False) -> Iterator[Reminder]:
    initiative = milestone.initiative
    addressees: Sequence[tuple[User | None, str]] = _addressees(
        number, owner=milestone.owner, head=initiative.owner, limit=owner_limit(initiative),
        copy_head=copy_head)
    if not addressees and number <= 2 * owner_limit(initiative):
        addressees = [(None, "")]
    for recipient, reason in addressees:
        def describe(reason: str = reason) -> Message:
            return Message(
                title=title(), initiative=in_language(milestone.initiative, "name"),
                action=action(), lines=[*milestone_lines(milestone), action(),
                                        *filter(None, [_reason_line(reason, milestone)])])

        yield Reminder(recipient=recipient, kind=kind, subject=milestone, occasion=occasion,
                       describe=describe, link=admin_link(milestone), urgency=urgency)


def _due_soon(on: date, shared: _Shared) -> Iterator[Reminder]:
    # Lists of days (a JSON field); the exclude leaves no None.
    overrides = cast(dict[int, list[int]], dict(Initiative.objects.exclude(
        reminder_due_soon_days=None).values_list("pk", "reminder_due_soon_days")))
    every_threshold = set(settings.REMINDER_DUE_SOON_DAYS).union(*overrides.values())
    due_dates = [on + timedelta(days=days) for days in every_threshold]
    for milestone in shared.attach(_in_batches(
            _open_milestones().filter(planned_due_on__in=due_dates))):
        days = (milestone.planned_due_on - on).days
        if days not in overrides.get(milestone.initiative_id, settings.REMINDER_DUE_SOON_DAYS):
            continue

        def title(m: Milestone = milestone, d: int = days) -> str:
            return ngettext(
                "Due in %(days)d day: %(title)s", "Due in %(days)d days: %(title)s", d) % {
                "days": d, "title": in_language(m, "title")}

        yield from _milestone_reminders(
            milestone, kind=ReminderKind.DUE_SOON, number=1,
            occasion=f"{milestone.planned_due_on.isoformat()}:{days}", title=title,
            action=lambda: _("Finish it, or move its planned date and say why."),
            urgency=-days)


def _overdue(on: date, shared: _Shared) -> Iterator[Reminder]:
    earliest = _open_milestones().aggregate(earliest=Min("planned_due_on"))["earliest"]
    longest = (on - earliest).days if earliest else -1
    due_dates = [on - timedelta(days=1 + offset) for offset in reminder_offsets(longest - 1)]
    for milestone in shared.attach(_in_batches(
            _open_milestones().filter(planned_due_on__in=due_dates))):
        days = (on - milestone.planned_due_on).days
        number = reminder_number(days - 1)
        if number is None:
            continue

        def title(m: Milestone = milestone, d: int = days) -> str:
            return ngettext(
                "Overdue by %(days)d day: %(title)s", "Overdue by %(days)d days: %(title)s",
                d) % {"days": d, "title": in_language(m, "title")}

        yield from _milestone_reminders(
            milestone, kind=ReminderKind.OVERDUE, number=number,
            occasion=f"{milestone.planned_due_on.isoformat()}:{days}", title=title,
            action=lambda: _("Mark it done, or set a new planned date and say why."),
            urgency=days,
            copy_head=days > settings.REMINDER_OVERDUE_ESCALATE_AFTER_DAYS)


def _earliest_reference() -> date | None:
    """The earliest day a stale reminder can count from."""
    created = Milestone.objects.filter(status=WorkStatus.IN_PROGRESS).aggregate(
        earliest=Min("created_at"))["earliest"]
    updated = StatusUpdate.objects.aggregate(earliest=Min("reported_on"))["earliest"]
    initiative = Initiative.objects.aggregate(earliest=Min("created_at"))["earliest"]
    return min([day for day in (created and timezone.localdate(created), updated,
                                initiative and timezone.localdate(initiative)) if day],
               default=None)


def _stale_dates(on: date) -> set[date]:
    """The references (last update or creation days) a stale reminder can fall on today."""
    earliest = _earliest_reference()
    if earliest is None:
        return set()
    longest = (on - earliest).days
    return {on - timedelta(days=threshold + offset) for threshold in stale_thresholds()
            for offset in reminder_offsets(longest - threshold)}


def _stale_number(reference: date, on: date, threshold: int) -> int | None:
    return reminder_number((on - reference).days - threshold)


def _stale(on: date, shared: _Shared) -> Iterator[Reminder]:
    """In-progress milestones and active initiatives with no status update for too long
    (selectors.staleness), on the backoff schedule from the day they went stale."""
    stale_dates = _stale_dates(on)
    milestones = with_stale_reference(
        _open_milestones().filter(may_be_stale_since(stale_dates),
                                  status=WorkStatus.IN_PROGRESS),
        initiative_path="initiative__",
    ).filter(stale_since__in=stale_dates)
    for milestone in shared.attach(_in_batches(milestones)):
        reference = milestone.last_update or timezone.localdate(milestone.created_at)
        number = _stale_number(reference, on, stale_after_days(milestone.initiative))
        if number is None:
            continue
        days = (on - reference).days

        def title(m: Milestone = milestone, d: int = days) -> str:
            return _("No status update for %(days)d days: %(title)s") % {
                "days": d, "title": in_language(m, "title")}

        yield from _milestone_reminders(
            milestone, kind=ReminderKind.STALE, number=number,
            occasion=f"{reference.isoformat()}:{days}", title=title,
            action=lambda: _("Add a status update."), urgency=days)
    initiatives = with_stale_reference(Initiative.objects.filter(
        status=InitiativeStatus.ACTIVE).select_related("owner")).filter(
        stale_since__in=stale_dates)
    for initiative in _in_batches(initiatives):
        reference = initiative.last_update or timezone.localdate(initiative.created_at)
        number = _stale_number(reference, on, stale_after_days(initiative))
        if number is None or number > owner_limit(initiative):
            continue
        days = (on - reference).days

        def describe(i: Initiative = initiative, d: int = days) -> Message:
            return Message(
                title=_("No status update for %(days)d days: %(name)s") % {
                    "days": d, "name": in_language(i, "name")},
                initiative=in_language(i, "name"), action=_("Add a status update."),
                lines=[_("Initiative: %(name)s") % {"name": in_language(i, "name")},
                       _("Health: %(health)s") % {"health": i.get_health_display()},
                       _("Add a status update.")])

        yield Reminder(
            recipient=initiative.owner if reachable(initiative.owner) else None,
            kind=ReminderKind.STALE, subject=initiative,
            occasion=f"{reference.isoformat()}:{days}", describe=describe,
            link=admin_link(initiative), urgency=days)


def previous_quarter(on: date) -> tuple[str, date]:
    """The last quarter that ended before `on`, as "2026-Q3", and its last day."""
    quarter = (on.month - 1) // 3  # quarters fully before this month's quarter: 0..3
    year, quarter = (on.year, quarter) if quarter else (on.year - 1, 4)
    period = f"{year}-Q{quarter}"
    return period, period_bounds(period)[1]


def _reports_due(on: date) -> Iterator[Reminder]:
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
        status=InitiativeStatus.ACTIVE, created_at__date__lte=quarter_end,
    ).exclude(pk__in=done).select_related("owner")
    for initiative in _in_batches(initiatives):
        def describe(i: Initiative = initiative) -> Message:
            return Message(
                title=_("Progress report %(period)s due %(date)s: %(name)s") % {
                    "period": labels.quarter(period), "date": labels.day(due_on),
                    "name": in_language(i, "name")},
                initiative=in_language(i, "name"),
                action=_("Write the narrative and submit the report for %(period)s.") % {
                    "period": labels.quarter(period)},
                lines=[_("Initiative: %(name)s") % {"name": in_language(i, "name")},
                       _("Write the narrative and submit the report for %(period)s.") % {
                           "period": labels.quarter(period)}])

        yield Reminder(
            recipient=initiative.owner if reachable(initiative.owner) else None,
            kind=ReminderKind.REPORT_DUE, subject=initiative, occasion=f"{period}:{days_left}",
            describe=describe,
            link=site_link("admin:programs_progressreport_changelist",
                           query=f"?q={initiative.code}"),
            urgency=-days_left)


def reminders_due(on: date) -> Iterator[Reminder]:
    """Every reminder that falls due on `on` (before preferences and earlier claims)."""
    shared = _Shared()
    yield from _due_soon(on, shared)
    yield from _overdue(on, shared)
    yield from _stale(on, shared)
    yield from _reports_due(on)
