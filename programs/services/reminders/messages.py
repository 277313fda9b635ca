"""The words of a reminder: its subject line, text and HTML, in the recipient's language.

Every word is the recipient's: the template's, the titles' (`title_en`/`name_en` for English
readers, the Japanese one when there is no English one) and the dates'. The plain-text part
is plain text (nothing HTML-escaped); the HTML part escapes everything it quotes.
"""


import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.roles import is_exporter
from tracker.text import one_line

from ...models import Milestone, ReminderKind, WorkStatus
from ...reporting import labels
from ...reporting.labels import in_language
from .reminder import DigestItem, Message, Reminder, Section

# The order of a digest's groups: the most urgent first.
KIND_ORDER = (ReminderKind.OVERDUE, ReminderKind.DUE_SOON, ReminderKind.STALE,
              ReminderKind.REPORT_DUE, ReminderKind.REPORT_REVIEWED,
              ReminderKind.NEW_SUPPORT_MEASURE, ReminderKind.MANAGER_DIGEST,
              ReminderKind.ACCOUNT)


# The kinds whose lines are sentences, not a list of facts.
SENTENCE_KINDS = (ReminderKind.ACCOUNT, ReminderKind.REPORT_REVIEWED)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    digest_item: DigestItem
    note: str  # what the in-app notification says: the mail's message (reminders/_message.txt)
    # without its greeting, signature and unsubscribe link


def site_link(viewname: str, *args: object, query: str = "") -> str:
    """An absolute link for an e-mail (the admin's path is configurable: ADMIN_URL)."""
    return f"{settings.SITE_URL}{reverse(viewname, args=args)}{query}"


@functools.cache
def _admin_changelist(app_label: str, model_name: str | None) -> str:
    return reverse(f"admin:{app_label}_{model_name}_changelist")


def admin_link(obj: Model) -> str:
    # An object's admin page is <its changelist>/<pk>/change/; one reverse() per model, not
    # per reminder (a sweep builds thousands).
    meta = obj._meta
    return (f"{settings.SITE_URL}{_admin_changelist(meta.app_label, meta.model_name)}"
            f"{obj.pk}/change/")


def milestone_lines(milestone: Milestone) -> list[str]:
    return [
        _("Milestone: %(title)s") % {"title": in_language(milestone, "title")},
        _("Initiative: %(name)s") % {"name": in_language(milestone.initiative, "name")},
        _("Planned due date: %(date)s") % {"date": labels.day(milestone.planned_due_on)},
        _("Status: %(status)s") % {"status": WorkStatus(milestone.status).label},
    ]


def _described(reminder: Reminder) -> Message:
    described = reminder.describe()
    return described if isinstance(described, Message) else Message(*described)


def render_reminder(reminder: Reminder, *, unsubscribe_link: str = "") -> Rendered:
    """Subject, text, HTML and digest line of `reminder` in its recipient's language. The
    subject is one line whatever the titles in it hold."""
    recipient = reminder.recipient
    assert recipient is not None  # the outbox drops reminders nobody can be told first
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        message = _described(reminder)
        subject = one_line(message.title)
        context = {"recipient_name": recipient.display_name, "lines": message.lines,
                   "sections": message.sections, "link": reminder.link, "subject": subject,
                   "language": recipient.language, "unsubscribe_link": unsubscribe_link,
                   # An account's message and a report's review are sentences, read as
                   # paragraphs; a reminder's lines are facts (milestone, initiative, date),
                   # listed.
                   "as_paragraphs": reminder.kind in SENTENCE_KINDS,
                   # A registered company has no notification preferences to point at: its
                   # mails end with the programme and whom to write to instead.
                   "programme_contact": (settings.EXPORTER_CONTACT_EMAIL
                                         if is_exporter(recipient) else "")}
        item = {"kind": reminder.kind, "title": subject, "initiative": message.initiative,
                "detail": message.detail, "action": message.action, "link": reminder.link,
                "urgency": reminder.urgency}
        return Rendered(subject, render_to_string("reminders/email.txt", context),
                        render_to_string("reminders/email.html", context), item,
                        note=render_to_string("reminders/_message.txt", context).strip())


def digest_sections(items: Sequence[DigestItem]) -> list[Section]:
    """A digest's items grouped by kind in KIND_ORDER, the most urgent first in each group."""
    return [(ReminderKind(kind).label, sorted(group, key=lambda item: -item["urgency"]))
            for kind, group in _grouped(items)]


def digest_title(items: Sequence[DigestItem], on: date) -> str:
    """What is in a digest, in its subject: the one item's own title, or the count per kind."""
    if len(items) == 1:
        title: str = items[0]["title"]
        return title
    counts = _(", ").join(f"{ReminderKind(kind).label} {len(group)}"
                          for kind, group in _grouped(items))
    return _("%(count)d reminders for %(date)s: %(counts)s") % {
        "count": len(items), "date": labels.day(on), "counts": counts}


def _grouped(items: Sequence[DigestItem]) -> list[tuple[str, list[DigestItem]]]:
    by_kind: dict[str, list[DigestItem]] = {}
    for item in items:
        by_kind.setdefault(item["kind"], []).append(item)
    return [(kind, by_kind[kind]) for kind in KIND_ORDER if kind in by_kind]
