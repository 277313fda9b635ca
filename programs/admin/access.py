"""Role-based access for every admin page of the tracker, decided by the access selectors.

Officers change only the work of initiatives they own or belong to; on anything else the
change form is read-only and a POST is refused with 403 (Django admin does that when
`has_change_permission` is false). Managers get read-only pages throughout. History pages are
for reading: a POST to a historical version (a "revert") is refused for everyone, since it
would write without the services' checks.
"""

from django.contrib import admin
from django.utils.translation import pgettext_lazy

from accounts.admin_access import ReadForInternalRoles
from accounts.admin_access import ReferenceAdmin as AccountsReferenceAdmin
from accounts.admin_history import ReadableHistoryAdmin  # noqa: F401 (shared)
from tracker.admin_tools import OneLineCharFields, RowsNamed

from ..selectors.access import (
    does_initiative_work,
    initiatives_editable_by,
    sees_internal_tracking,
)
from .saving import OpenedVersionHidden

# The reasons the services record with a change, as its history shows them.
CHANGE_REASONS = {
    **ReadableHistoryAdmin.change_reasons,
    "submitted": pgettext_lazy("history", "Submitted"),
    "approved": pgettext_lazy("history", "Approved"),
    "returned": pgettext_lazy("history", "Returned for revision"),
}


def may_work_on(request, initiative):
    """Whether the signed-in person may change `initiative`'s work. Admin asks this many
    times per page (each inline, each permission check): read once per request. The services
    check again, exactly, when something is saved."""
    if not hasattr(request, "_editable_initiative_ids"):
        request._editable_initiative_ids = set(
            initiatives_editable_by(request.user).values_list("pk", flat=True))
    return initiative.pk in request._editable_initiative_ids


class ReferenceAdmin(AccountsReferenceAdmin):
    """Reference data of the domain (regions, fields...): administrators keep it."""

    change_reasons = CHANGE_REASONS


class WorkItemAdmin(OpenedVersionHidden, ReadForInternalRoles, ReadableHistoryAdmin):
    """A work item hanging off an initiative. `editable_by(user)` is the selector of the items
    `user` may change."""

    editable_by = None
    change_reasons = CHANGE_REASONS

    def has_add_permission(self, request, obj=None):
        return does_initiative_work(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return does_initiative_work(request.user)
        return type(self).editable_by(request.user).filter(pk=obj.pk).exists()  # type: ignore[misc]


class WorkItemInline(RowsNamed, OpenedVersionHidden, OneLineCharFields, admin.TabularInline):
    """An inline of work items under the initiative (or plan) `obj` they belong to."""

    extra = 0
    can_delete = False
    show_change_link = True

    def initiative_of(self, obj):
        return obj

    def has_view_permission(self, request, obj=None):
        return sees_internal_tracking(request.user)

    def _may_change(self, request, obj):
        return obj is not None and may_work_on(request, self.initiative_of(obj))

    def has_add_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False
