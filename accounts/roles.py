"""What a person's role alone says about them. The rules that also involve the domain (whose
work someone may change, which reports they read) are in programs.selectors.access, which
builds on these."""

from typing import TypeGuard

from django.db.models import QuerySet

from .models import AnyUser, Role, User

INTERNAL_ROLES = (Role.OFFICER, Role.MANAGER, Role.ADMINISTRATOR)

# A predicate that holds only for a signed-in person says so in its type (TypeGuard[User]),
# so that what follows it may use the person's id and role.


def is_administrator(user: AnyUser) -> TypeGuard[User]:
    return user.is_active and (user.is_superuser or user.role == Role.ADMINISTRATOR)


def sees_internal_tracking(user: AnyUser) -> TypeGuard[User]:
    return user.is_authenticated and user.is_active and (
        user.is_superuser or user.role in INTERNAL_ROLES
    )


def sees_internal_tracking_in_admin(user: AnyUser) -> bool:
    """The admin shows the tracking to the ministry's staff accounts."""
    return user.is_staff and sees_internal_tracking(user)


def is_exporter(user: AnyUser) -> TypeGuard[User]:
    """A registered company's account (never internal tracking)."""
    return user.is_authenticated and user.role == Role.EXPORTER


def ministry_people() -> QuerySet[User]:
    """Everyone inside the ministry, active or not (the people work can belong to)."""
    return User.objects.exclude(role=Role.EXPORTER)


def active_managers() -> QuerySet[User]:
    """The managers who review progress and receive the weekly digest."""
    return User.objects.filter(role=Role.MANAGER, is_active=True)
