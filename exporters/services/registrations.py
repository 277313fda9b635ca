"""Writes for registered exporters: registration, e-mail confirmation, review, profile
changes."""

from collections.abc import Callable, Collection, Mapping
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import password_check
from accounts.sign_in import canonical_identity, identity_in_use
from programs.models import ReminderKind, WebhookEvent
from programs.selectors.access import can_review_exporters
from programs.services.common import reject_unknown_fields, save_with_history, today
from programs.services.reminders import Reminder, outbox_send_soon
from programs.services.webhooks import webhook_event_emit
from tracker.errors import Conflict

from ..models import ExporterProfile, ExporterStatus
from ..selectors import measures_fitting
from ..validators import normalise_corporate_number
from .notices import exporter_notify_newly_fitting

VERIFICATION_SALT = "exporter-email-verification"
# The registrations a reviewer may approve, and reject (a decision can be revisited).
APPROVABLE = (ExporterStatus.PENDING_APPROVAL, ExporterStatus.REJECTED)
REJECTABLE = (ExporterStatus.PENDING_APPROVAL, ExporterStatus.APPROVED)
PROFILE_FIELDS = ("company_name", "company_name_en", "prefecture", "contact_name",
                  "product_categories", "target_markets", "language")


def _account_message(user: User, occasion: str, title: Callable[[], str],
                     lines: Callable[[], list[str]], link: str = "") -> None:
    """An account message (confirmation link, review decision): always sent, logged once."""
    outbox_send_soon([Reminder(
        recipient=user, kind=ReminderKind.ACCOUNT, subject=user, occasion=occasion, link=link,
        describe=lambda: (str(title()), [str(line) for line in lines()]))])


def verification_token(profile: ExporterProfile) -> str:
    return signing.dumps({"profile": profile.pk, "email": profile.user.email},
                         salt=VERIFICATION_SALT)


def _send_verification(profile: ExporterProfile) -> None:
    link = f"{settings.SITE_URL}/exporters/verify/{verification_token(profile)}/"
    _account_message(
        profile.user, f"verify:{timezone.now().isoformat()}",
        lambda: _("Confirm your e-mail address for the food-export programme"),
        lambda: [_("Thank you for registering %(company)s.") % {
                     "company": profile.company_name_for_reader()},
                 _("Open this link within 3 days to confirm your e-mail address:")],
        link=link)


def _application_checks(corporate_number: str, email: str, consent: object, *,
                        password: str, user: User) -> None:
    """What an application needs beyond well-formed fields, for the API and the web form
    alike: the company's consent, a corporate number and address not yet registered, and a
    password the rules accept. Every reason at once, so that the company corrects them in
    one go."""
    errors: dict[str, ValidationError | list[ValidationError]] = {}
    try:
        password_check(password, user)
    except ValidationError as error:
        errors.update(error.error_dict)
    if consent is not True:
        errors["consent"] = ValidationError(
            _("Registration needs your consent to the terms of the programme."),
            code="consent_required")
    if ExporterProfile.objects.filter(corporate_number=corporate_number).exists():
        errors["corporate_number"] = ValidationError(
            _("This corporate number is already registered."), code="corporate_number_taken")
    if identity_in_use(email):
        errors["email"] = ValidationError(
            _("This e-mail address is already registered."), code="email_taken")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def exporter_register(*, data: Mapping[str, Any]) -> ExporterProfile:
    """A company applies: an account that cannot sign in yet, and a confirmation e-mail.
    `data["consent"]` must be True: the company agreed to how its data are used."""
    corporate_number = normalise_corporate_number(data["corporate_number"])
    # Stored as it is matched at sign-in (NFKC, lower case): full-width or upper-case
    # spellings of an address are the same address.
    email = canonical_identity(data["email"])
    user = User(username=email, email=email, role=Role.EXPORTER, is_staff=False,
                language=data.get("language") or "ja",
                last_name=data["contact_name"][:150])
    # Built before the password is checked, so that it is checked against the company too.
    profile = ExporterProfile(
        user=user, company_name=data["company_name"],
        company_name_en=data.get("company_name_en", ""), corporate_number=corporate_number,
        prefecture=data["prefecture"], contact_name=data["contact_name"],
        consented_at=timezone.now())
    _application_checks(corporate_number, email, data.get("consent"),
                        password=data["password"], user=user)
    user.set_password(data["password"])
    try:
        user.full_clean()
    except ValidationError as error:
        # The user name is the address: its errors are the address's, the field the company
        # sent.
        raise ValidationError({"email" if field == "username" else field: errors
                               for field, errors in error.error_dict.items()}) from error
    user.save()
    profile.user = user  # now with its id
    save_with_history(profile, by=user, related={
        "product_categories": data["product_categories"],
        "target_markets": data["target_markets"]})
    _send_verification(profile)
    return profile


def exporter_resend_verification(*, profile: ExporterProfile) -> None:
    """A new confirmation link, for an applicant who gave the right password before
    confirming (the sign-in page offers it; the old link stays valid until it expires)."""
    if profile.status == ExporterStatus.PENDING_VERIFICATION:
        _send_verification(profile)


@transaction.atomic
def exporter_verify_email(*, token: str) -> ExporterProfile:
    """The applicant opened the link: their address is confirmed, the review can start."""
    try:
        payload = signing.loads(token, salt=VERIFICATION_SALT,
                                max_age=settings.EXPORTER_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError({"token": ValidationError(
            _("This link has expired. Register again or ask us to resend it."),
            code="token_expired")}) from error
    except signing.BadSignature as error:
        raise ValidationError({"token": ValidationError(
            _("This link is not valid."), code="token_invalid")}) from error
    profile = ExporterProfile.objects.select_for_update().select_related("user").filter(
        pk=payload["profile"], user__email=payload["email"]).first()
    if profile is None:
        raise ValidationError({"token": ValidationError(
            _("This link is not valid."), code="token_invalid")})
    if profile.status == ExporterStatus.PENDING_VERIFICATION:
        profile.status = ExporterStatus.PENDING_APPROVAL
        profile.email_verified_at = timezone.now()
        save_with_history(profile, by=profile.user)
        # Registered: the address is confirmed and the registration awaits review.
        webhook_event_emit(kind=WebhookEvent.EXPORTER_REGISTERED, resource=profile)
    return profile


def _review(profile: ExporterProfile, by: User,
            expected: Collection[str]) -> ExporterProfile:
    if not can_review_exporters(by):
        raise PermissionDenied(_("Only officers of the food-export programme review "
                                 "registrations."))
    locked = ExporterProfile.objects.select_for_update().select_related("user").get(
        pk=profile.pk)
    if locked.status not in expected:
        raise Conflict(
            _("This registration is “%(status)s” and cannot be reviewed now."),
            code="invalid_transition", params={"status": locked.get_status_display()})
    return locked


@transaction.atomic
def exporter_approve(*, profile: ExporterProfile, by: User) -> ExporterProfile:
    locked = _review(profile, by, APPROVABLE)
    locked.status, locked.rejection_reason = ExporterStatus.APPROVED, ""
    locked.reviewed_by, locked.reviewed_at = by, timezone.now()
    save_with_history(locked, by=by)
    webhook_event_emit(kind=WebhookEvent.EXPORTER_APPROVED, resource=locked)
    fitting = len(measures_fitting(locked, on=today()))
    # One message, not one per measure: the page lists them; later ones are announced singly.
    _account_message(
        locked.user, f"approved:{locked.reviewed_at.isoformat()}",
        lambda: _("Your registration for the food-export programme is approved"),
        lambda: [_("%(company)s can now sign in and see the support measures that fit it.")
                 % {"company": locked.company_name_for_reader()},
                 _("Support measures that fit your company today: %(count)d") % {
                     "count": fitting}],
        link=f"{settings.SITE_URL}/exporters/")
    return locked


@transaction.atomic
def exporter_reject(*, profile: ExporterProfile, by: User,
                    reason: str | None) -> ExporterProfile:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(
            _("Give the applicant the reason for the rejection."), code="reason_required")})
    locked = _review(profile, by, REJECTABLE)
    locked.status, locked.rejection_reason = ExporterStatus.REJECTED, reason
    locked.reviewed_by, locked.reviewed_at = by, timezone.now()
    save_with_history(locked, by=by)
    _account_message(
        locked.user, f"rejected:{locked.reviewed_at.isoformat()}",
        lambda: _("Your registration for the food-export programme was not approved"),
        lambda: [_("We have reviewed the registration of %(company)s for the food-export "
                   "programme and could not approve it.")
                 % {"company": locked.company_name_for_reader()},
                 _("Reason: %(reason)s") % {"reason": reason},
                 _("To ask about the decision, write to the programme at %(contact)s.")
                 % {"contact": settings.EXPORTER_CONTACT_EMAIL}])
    return locked


@transaction.atomic
def exporter_update_profile(*, profile: ExporterProfile, by: User,
                            data: Mapping[str, Any]) -> ExporterProfile:
    """The company keeps its own profile; the corporate number is not theirs to change."""
    if profile.user_id != by.pk:
        raise PermissionDenied
    locked = ExporterProfile.objects.select_for_update().get(pk=profile.pk)
    fitted_before = {fit.measure.pk for fit in measures_fitting(locked, on=today())}
    reject_unknown_fields(data, PROFILE_FIELDS)
    related = {k: data[k] for k in ("product_categories", "target_markets") if k in data}
    if "language" in data:
        by.language = data["language"]
        by.save(update_fields=["language"])
    for field in ("company_name", "company_name_en", "prefecture", "contact_name"):
        if field in data:
            setattr(locked, field, data[field])
    save_with_history(locked, by=by, related=related)
    if related and locked.is_approved:
        transaction.on_commit(lambda: exporter_notify_newly_fitting(
            locked, fitted_before=fitted_before))
    return locked
