"""What a reminder is and what it says: the values the rules (due.py) make and the words
(messages.py), the outbox and the digests read."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils.functional import Promise

from accounts.models import User

# A digest's line for one item: its kind, title, initiative, detail, action, link, urgency.
DigestItem = dict[str, Any]
# A digest's group: the kind's (lazily translated) label and its items.
Section = tuple[str | Promise, list[DigestItem]]


@dataclass(frozen=True)
class Message:
    """What a reminder says. `describe()` of a reminder returns one (or a (title, lines) pair,
    as account messages do). A digest's `sections` are (heading, items) pairs, each item a
    dict with its title, initiative, detail (e.g. a manager's reason), what to do and link."""

    title: str
    lines: list[str] = field(default_factory=list)
    initiative: str = ""
    detail: str = ""
    action: str = ""
    sections: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class Reminder:
    """Something one person should hear about on one occasion. `describe()` gives the
    Message, in whatever language is active when it is called. `recipient` None: nobody is
    left to tell (counted, and listed in the managers' digest). `urgency` orders a digest's
    items (higher first)."""

    recipient: User | None
    kind: str
    subject: Model
    occasion: str
    describe: Callable[[], Message | tuple[str, list[str]]]
    link: str = ""
    urgency: int = 0
