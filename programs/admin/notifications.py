from django.contrib import admin

from ..models import Delivery, Notification
from ..selectors.access import is_administrator
from .access import ReadForInternalRoles


class ReadOnlyLog(ReadForInternalRoles, admin.ModelAdmin):
    """Written by the reminder services only. Administrators read the whole log; everyone
    else reads what was sent to them."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_administrator(request.user):
            return queryset
        return queryset.filter(recipient=request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyLog):
    # Failed deliveries (filter by status) show why, for an administrator to act on.
    list_display = ("created_at", "kind", "recipient", "email_subject", "status", "frequency",
                    "attempts", "sent_at", "last_error")
    list_filter = ("status", "kind", "frequency", ("recipient", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("recipient",)
    search_fields = ("email_subject", "occasion", "recipient__username", "recipient__email",
                     "last_error")
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyLog):
    list_display = ("created_at", "kind", "recipient", "title", "read_at")
    list_filter = ("kind", ("recipient", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("recipient",)
    search_fields = ("title", "body", "recipient__username")
    date_hierarchy = "created_at"
