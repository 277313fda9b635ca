"""Work nobody can be told about: the managers' digest and the progress report list it.

A person can be told when they exist, are active and have an e-mail address. A milestone is
unowned when neither its owner nor its initiative's owner can be; an active initiative when
its owner cannot be.
"""

from django.db.models import Q, QuerySet

from accounts.models import User

from ..models import CLOSED_STATUSES, Initiative, InitiativeStatus, Milestone


def _unreachable(path: str) -> Q:
    return Q(**{f"{path}__isnull": True}) | _unreachable_person(f"{path}__")


def _unreachable_person(prefix: str = "") -> Q:
    return Q(**{f"{prefix}is_active": False}) | Q(**{f"{prefix}email": ""})


def unowned_initiatives(initiatives: QuerySet[Initiative]) -> QuerySet[Initiative]:
    return initiatives.filter(_unreachable("owner"), status=InitiativeStatus.ACTIVE)


def unowned_milestones(milestones: QuerySet[Milestone]) -> QuerySet[Milestone]:
    # By the ids of the few people who cannot be told (a milestone always has an owner), so
    # that PostgreSQL reads their open work from the owner index rather than every open
    # milestone joined to its owner and initiative.
    unreachable = User.objects.filter(_unreachable_person())
    return milestones.exclude(status__in=CLOSED_STATUSES).filter(
        owner__in=unreachable,
        initiative__in=Initiative.objects.filter(Q(owner__isnull=True)
                                                 | Q(owner__in=unreachable)))
