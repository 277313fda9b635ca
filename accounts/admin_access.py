"""Admin access decided by role alone (accounts.roles), for reference data: everyone inside
the ministry reads, administrators write. The domain's finer rules (whose work an officer may
change) are in programs.admin.access, which builds on these."""

from django.core.exceptions import PermissionDenied
from django.db.models import Model

from tracker.admin_tools import OneLineCharFields

from .admin_history import ReadableHistoryAdmin
from .roles import is_administrator, sees_internal_tracking, sees_internal_tracking_in_admin


class WrittenByAdministrators:
    """Only administrators add, change and delete."""

    def has_add_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user)


class AdministratorsOnly(WrittenByAdministrators):
    """Pages only administrators see and use (the webhook endpoints and their log)."""

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)


class WrittenByServicesOnly:
    """A log the services write: read in the admin, never added to or changed there. Put it
    before the access mixin, whose add and change rules it overrides."""

    model: type[Model]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class ReadForInternalRoles(WrittenByAdministrators, OneLineCharFields):
    """Everyone inside the ministry reads; only administrators write."""

    def has_module_permission(self, request):
        return sees_internal_tracking_in_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return sees_internal_tracking(request.user)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]


class ReferenceAdmin(ReadForInternalRoles, ReadableHistoryAdmin):
    """Reference data (regions, fields, organisations...): administrators keep it."""
