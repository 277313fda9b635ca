"""A person's own notifications and reminder preferences, and the one-click unsubscribe."""

from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from tracker.errors import ServiceError

from ..models import (
    DEFAULT_REMINDER_HOUR,
    Frequency,
    Notification,
    NotificationPreference,
    ReminderKind,
    ReminderTime,
)

# The kinds a person chooses for: not the daily digest (how the others arrive) nor account
# messages (confirmation links, approval decisions), which always go out.
CHOOSABLE_KINDS = [kind for kind in ReminderKind
                   if kind not in (ReminderKind.DAILY_DIGEST, ReminderKind.ACCOUNT)]
# The kinds that ever reach a person of each role (administrators own work as officers do):
# offered where people set their own preferences in the admin.
OWNERS_KINDS = [ReminderKind.DUE_SOON, ReminderKind.OVERDUE, ReminderKind.STALE,
                ReminderKind.REPORT_DUE, ReminderKind.REPORT_REVIEWED]
KINDS_REACHING = {Role.OFFICER: OWNERS_KINDS, Role.ADMINISTRATOR: OWNERS_KINDS,
                  Role.MANAGER: [ReminderKind.MANAGER_DIGEST],
                  Role.EXPORTER: [ReminderKind.NEW_SUPPORT_MEASURE]}
# Messages that are one e-mail by nature; every other kind waits for the daily digest
# unless the person asks for single e-mails.
SINGLE_BY_DEFAULT = (ReminderKind.ACCOUNT, ReminderKind.MANAGER_DIGEST,
                     ReminderKind.DAILY_DIGEST)
UNSUBSCRIBE_SALT = "reminders-unsubscribe"


def default_frequency(kind: str) -> Frequency:
    return Frequency.IMMEDIATE if kind in SINGLE_BY_DEFAULT else Frequency.DAILY_DIGEST


def notification_mark_read(*, notification: Notification, by: User) -> None:
    Notification.objects.filter(pk=notification.pk, recipient=by, read_at=None).update(
        read_at=timezone.now())


def notifications_mark_all_read(*, by: User) -> int:
    return Notification.objects.filter(recipient=by, read_at=None).update(read_at=timezone.now())


def preferences_of(user: User) -> list[NotificationPreference]:
    """Every choosable kind with the user's choice, defaults filled in."""
    chosen = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    return [chosen.get(kind) or NotificationPreference(
        user=user, kind=kind, frequency=default_frequency(kind)) for kind in CHOOSABLE_KINDS]


def _check_kind(kind: str) -> None:
    if kind not in CHOOSABLE_KINDS:
        raise ServiceError({"kind": ServiceError(
            _("There is no reminder kind “%(kind)s”."), code="invalid_kind",
            params={"kind": kind})})


def _lock_person(user: User) -> None:
    """A person's preferences and hour are written one change at a time: their row is locked,
    since the preference itself may not exist yet (the API checks If-Match under this lock)."""
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


@transaction.atomic
def notification_preference_set(*, user: User, kind: str, enabled: bool | None = None,
                                frequency: str | None = None,
                                ) -> tuple[NotificationPreference, bool]:
    """Set `user`'s preference for `kind`; returns it and whether it is new (the first choice
    for that kind, rather than a change of one made before)."""
    _check_kind(kind)
    _lock_person(user)
    preference, created = NotificationPreference.objects.select_for_update().get_or_create(
        user=user, kind=kind, defaults={"frequency": default_frequency(kind)})
    if enabled is not None:
        preference.enabled = enabled
    if frequency is not None:
        preference.frequency = Frequency(frequency)
    preference.full_clean()
    preference.save()
    return preference, created


def reminder_hour_of(user: User) -> int:
    hour = ReminderTime.objects.filter(user=user).values_list("hour", flat=True).first()
    return DEFAULT_REMINDER_HOUR if hour is None else hour


@transaction.atomic
def reminder_time_set(*, user: User, hour: object) -> ReminderTime:
    """The hour (Japan time) the person's reminders of the day go out."""
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise ServiceError({"hour": ServiceError(
            _("Give an hour from 0 to 23."), code="invalid_hour")})
    _lock_person(user)
    reminder_time, _created = ReminderTime.objects.update_or_create(
        user=user, defaults={"hour": hour})
    return reminder_time


def unsubscribe_link(user: User, kinds: str | Iterable[str]) -> str:
    """A link that turns `kinds` (one kind or a list) off for `user` with one click, without
    signing in; "" for what cannot be turned off (account messages)."""
    chosen = [kinds] if isinstance(kinds, str) else list(kinds)
    chosen = [kind for kind in chosen if kind in CHOOSABLE_KINDS]
    if not chosen:
        return ""
    # Signed without a time: the same link in the header and the body, and it does not expire
    # (turning a kind off is all it can do).
    token = signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"user": user.pk, "kinds": chosen})
    return f"{settings.SITE_URL}{reverse('reminders-unsubscribe', args=[token])}"


def unsubscribe_token_read(token: str) -> tuple[int, list[str]]:
    """The (user id, kinds) a link names; ServiceError for a link that is not ours."""
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        raise ServiceError(_("This link is not valid."), code="invalid_link") from None
    return data["user"], [kind for kind in data["kinds"] if kind in CHOOSABLE_KINDS]


@transaction.atomic
def notifications_unsubscribe(*, user: User, kinds: Iterable[str]) -> None:
    for kind in kinds:
        notification_preference_set(user=user, kind=kind, enabled=False)
