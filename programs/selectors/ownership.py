"""Work nobody can be told about: the managers' digest and the progress report list it.

A person can be told when they exist, are active and have an e-mail address. A milestone is
unowned when neither its owner nor its initiative's owner can be; an active initiative when
its owner cannot be.
"""

from django.db.models import Q, QuerySet

from ..models import CLOSED_STATUSES, Initiative, InitiativeStatus, Milestone


def _unreachable(path: str) -> Q:
    return (Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__is_active": False})
            | Q(**{f"{path}__email": ""}))


def unowned_initiatives(initiatives: QuerySet[Initiative]) -> QuerySet[Initiative]:
    return initiatives.filter(_unreachable("owner"), status=InitiativeStatus.ACTIVE)


def unowned_milestones(milestones: QuerySet[Milestone]) -> QuerySet[Milestone]:
    return milestones.exclude(status__in=CLOSED_STATUSES).filter(
        _unreachable("owner"), _unreachable("initiative__owner"))
