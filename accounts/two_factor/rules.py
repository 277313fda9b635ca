"""Who is asked for a second factor.

Staff (officers, managers, administrators) are asked when STAFF_OTP_REQUIRED is on, and must
set up an authenticator if they have none. Anyone who has set one up is always asked: in
development staff may turn it on for themselves, and exporters may on their profile."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role

STAFF_ROLES = frozenset({Role.OFFICER, Role.MANAGER, Role.ADMINISTRATOR})


def is_staff_member(user):
    return user.role in STAFF_ROLES or user.is_staff or user.is_superuser


def has_authenticator(user):
    """Whether the user has set up (and confirmed) an authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_required(user):
    """Whether the user may not sign in without a second factor, set up or not."""
    return settings.STAFF_OTP_REQUIRED and is_staff_member(user)


def second_factor_needed(user):
    """Whether signing in as the user takes a code after the password."""
    return second_factor_required(user) or has_authenticator(user)


def second_factor_satisfied(request):
    """Whether the signed-in caller has given the second factor their account takes (an
    anonymous caller has nothing to give). Kept on the request: the admin asks several times
    per page."""
    satisfied = getattr(request, "_second_factor_satisfied", None)
    if satisfied is None:
        user = request.user
        satisfied = (not user.is_authenticated or _verified(user)
                     or not second_factor_needed(user))
        request._second_factor_satisfied = satisfied
    return satisfied


def forget_satisfied(request):
    """After a sign-in or a set-up within the request, ask again."""
    request.__dict__.pop("_second_factor_satisfied", None)


def _verified(user):
    # django_otp's middleware adds is_verified(); a user from elsewhere has given no code.
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
