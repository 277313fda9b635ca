"""What a person's role alone says about them. The rules that also involve the domain (whose
work someone may change, which reports they read) are in programs.selectors.access, which
builds on these."""

from .models import Role

INTERNAL_ROLES = (Role.OFFICER, Role.MANAGER, Role.ADMINISTRATOR)


def is_administrator(user):
    return user.is_active and (user.is_superuser or user.role == Role.ADMINISTRATOR)


def sees_internal_tracking(user):
    return user.is_authenticated and user.is_active and (
        user.is_superuser or user.role in INTERNAL_ROLES
    )


def sees_internal_tracking_in_admin(user):
    """The admin shows the tracking to the ministry's staff accounts."""
    return user.is_staff and sees_internal_tracking(user)
