"""Work nobody can be told about: the managers' digest and the progress report list it.

A person can be told when they exist, are active and have an e-mail address. A milestone is
unowned when neither its owner nor its initiative's owner can be; an active initiative when
its owner cannot be.
"""

from django.db.models import Q

from ..models import CLOSED_STATUSES, InitiativeStatus


def _unreachable(path):
    return (Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__is_active": False})
            | Q(**{f"{path}__email": ""}))


def unowned_initiatives(initiatives):
    return initiatives.filter(_unreachable("owner"), status=InitiativeStatus.ACTIVE)


def unowned_milestones(milestones):
    return milestones.exclude(status__in=CLOSED_STATUSES).filter(
        _unreachable("owner"), _unreachable("initiative__owner"))
