"""Filters a person saves by name on a list, to reuse."""

from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from accounts.models import User
from tracker.errors import ServiceError
from tracker.text import validate_one_line

from ..models import SavedListFilter
from ..selectors.saved_filters import saved_filters_of

# Not filters: the page number and the admin's own markers.
NOT_FILTERS = ("p", "_changelist_filters", "e")


def _normalised(query: str) -> str:
    """The query string re-encoded from its parsed parameters: nothing but key=value pairs."""
    params = QueryDict(query, mutable=True)
    for name in NOT_FILTERS:
        params.pop(name, None)
    return params.urlencode()


@transaction.atomic
def saved_filter_save(*, user: User, path: str, name: str, query: str) -> SavedListFilter:
    """Save (or, under a name already used on this list, replace) `user`'s filters `query`
    of the list at `path`."""
    name = name.strip()
    if not name:
        raise ServiceError({"name": ServiceError(_("Give the filter a name."),
                                                 code="name_required")})
    validate_one_line(name)
    query = _normalised(query)
    if len(query) > SavedListFilter._meta.get_field("query").max_length:  # type: ignore[operator]
        raise ServiceError(_("These filters are too long to save."), code="filters_too_long")
    saved, _created = SavedListFilter.objects.update_or_create(
        user=user, path=path, name=name[:80], defaults={"query": query})
    return saved


@transaction.atomic
def saved_filter_delete(*, user: User, saved_filter_id: int) -> None:
    """Forget one of `user`'s own saved filters (another's id is simply not found)."""
    saved_filters_of(user).filter(pk=saved_filter_id).delete()
