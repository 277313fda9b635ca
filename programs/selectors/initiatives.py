from django.db.models import Q, QuerySet

from ..models import Initiative
from ..models.initiative import PATH_SEPARATOR


def initiative_subtree(initiative: Initiative,
                       queryset: QuerySet[Initiative] | None = None) -> QuerySet[Initiative]:
    """`initiative` and all its descendants, found by their materialised path."""
    queryset = Initiative.objects.all() if queryset is None else queryset
    return queryset.filter(
        Q(pk=initiative.pk) | Q(path__startswith=initiative.path + PATH_SEPARATOR))
