from django.db.models import QuerySet

from accounts.models import AnyUser

from ..models import SavedListFilter


def saved_filters_of(user: AnyUser, path: str | None = None) -> QuerySet[SavedListFilter]:
    """`user`'s own saved filters (of the list at `path`), by name."""
    if not user.is_authenticated:
        return SavedListFilter.objects.none()
    saved = SavedListFilter.objects.filter(user=user)
    return saved if path is None else saved.filter(path=path)
