"""A person's own notifications and reminder preferences."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from tracker.errors import ServiceError

from ..models import Frequency, Notification, NotificationPreference, ReminderKind

# The kinds a person chooses for: not the daily digest (how the others arrive) nor account
# messages (confirmation links, approval decisions), which always go out.
CHOOSABLE_KINDS = [kind for kind in ReminderKind
                   if kind not in (ReminderKind.DAILY_DIGEST, ReminderKind.ACCOUNT)]


def notification_mark_read(*, notification: Notification, by: User) -> None:
    Notification.objects.filter(pk=notification.pk, recipient=by, read_at=None).update(
        read_at=timezone.now())


def notifications_mark_all_read(*, by: User) -> int:
    return Notification.objects.filter(recipient=by, read_at=None).update(read_at=timezone.now())


def preferences_of(user: User) -> list[NotificationPreference]:
    """Every choosable kind with the user's choice, defaults filled in."""
    chosen = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    return [chosen.get(kind) or NotificationPreference(user=user, kind=kind) for kind in
            CHOOSABLE_KINDS]


@transaction.atomic
def notification_preference_set(*, user: User, kind: str, enabled: bool | None = None,
                                frequency: str | None = None) -> NotificationPreference:
    if kind not in CHOOSABLE_KINDS:
        raise ServiceError({"kind": ServiceError(
            _("There is no reminder kind “%(kind)s”."), code="invalid_kind",
            params={"kind": kind})})
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=user, kind=kind)
    if enabled is not None:
        preference.enabled = enabled
    if frequency is not None:
        preference.frequency = Frequency(frequency)
    preference.full_clean()
    preference.save()
    return preference
