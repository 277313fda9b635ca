"""A company leaves the programme: it asks to close its account, an officer of the programme
confirms, and the personal data the tracker holds about it are removed. What stays is the
company's public identity (its names and 法人番号, as the national register publishes them)
and the registration's history: who registered, confirmed, approved or rejected, and closed,
and when."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import user_anonymise
from programs.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    ReminderTime,
)
from programs.selectors.access import can_review_exporters
from programs.services.common import save_with_history
from tracker.errors import Conflict

from ..models import ExporterProfile

# What a removed contact name reads as, in the profile and its history (the field is
# required, and the history must not keep the name).
REMOVED = "-"


@transaction.atomic
def exporter_request_closure(*, profile: ExporterProfile, by: User) -> ExporterProfile:
    """The company asks for its account to be closed; asking twice changes nothing."""
    if profile.user_id != by.pk:
        raise PermissionDenied
    locked = ExporterProfile.objects.select_for_update().get(pk=profile.pk)
    if locked.closure_requested_at is None:
        locked.closure_requested_at = timezone.now()
        save_with_history(locked, by=by, reason="closure requested")
    return locked


def _forget_messages(user: User) -> None:
    """The in-app notices go; the delivery log keeps when what kind of message was sent (its
    subject names the company or a measure), not the text addressed to the person."""
    Notification.objects.filter(recipient=user).delete()
    Delivery.objects.filter(recipient=user).exclude(
        status__in=(DeliveryStatus.SENT, DeliveryStatus.BUNDLED)).delete()
    Delivery.objects.filter(recipient=user).update(body_text="", body_html="", digest_item={})
    NotificationPreference.objects.filter(user=user).delete()
    ReminderTime.objects.filter(user=user).delete()


@transaction.atomic
def exporter_close(*, profile: ExporterProfile, by: User) -> ExporterProfile:
    """An officer of the programme confirms a company's request: the account closes and its
    personal data are removed or anonymised, in the history too; the history still says who
    approved what, and who closed it."""
    if not can_review_exporters(by):
        raise PermissionDenied(_("Only officers of the food-export programme close "
                                 "registrations."))
    locked = ExporterProfile.objects.select_for_update().select_related("user").get(
        pk=profile.pk)
    if locked.closure_requested_at is None or locked.closed_at is not None:
        raise Conflict(_("%(company)s has not asked to close its account, or it is closed "
                         "already."), code="closure_not_requested",
                       params={"company": locked.company_name})
    locked.contact_name = REMOVED
    locked.closed_at = timezone.now()
    save_with_history(locked, by=by, reason="account closed, personal data removed")
    locked.history.update(contact_name=REMOVED)
    _forget_messages(locked.user)
    user_anonymise(user=locked.user, by=by, reason="account closed at the company's request")
    return locked
