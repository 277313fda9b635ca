"""Reminders, one job per module:

    reminder.py  what a reminder is (to whom, about what) and what it says, as values
    due.py       the rules: what falls due on a day, to whom (backoff, escalation, stand-ins)
    messages.py  the words: subject, text and HTML in the recipient's language
    outbox.py    claiming deliveries once, and asking for them to be sent
    digests.py   each person's daily e-mail and the managers' weekly one
    runs.py      the hourly sweep, the weekly digest run and the one-minute flush

Sending one delivery is `programs.services.deliveries`.
"""

from .due import reminders_due
from .outbox import SweepReport, outbox_nudge, outbox_send_soon
from .reminder import Message, Reminder
from .runs import manager_digest_sweep, outbox_flush, reminders_sweep

__all__ = ["Message", "Reminder", "SweepReport", "manager_digest_sweep", "outbox_flush",
           "outbox_nudge", "outbox_send_soon", "reminders_due", "reminders_sweep"]
