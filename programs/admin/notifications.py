from typing import Any

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.admin_access import WrittenByServicesOnly

from ..models import Delivery, Notification, NotificationPreference, ReminderTime
from ..selectors.access import is_administrator, sees_internal_tracking_in_admin
from ..services.notifications import (
    CHOOSABLE_KINDS,
    KINDS_REACHING,
    notification_preference_set,
    reminder_time_set,
)
from .access import ReadForInternalRoles


class ReadOnlyLog(WrittenByServicesOnly, ReadForInternalRoles, admin.ModelAdmin):
    """Written by the reminder services only. Administrators read the whole log; everyone
    else reads what was sent to them."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_administrator(request.user):
            return queryset
        return queryset.filter(recipient=request.user)


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

    def get_readonly_fields(self, request, obj=None):
        # The digest's line is the title and link again, kept as JSON for the digest mail.
        return [name for name in super().get_readonly_fields(request, obj)
                if name != "digest_item"]

    def get_fields(self, request, obj=None):
        return [name for name in super().get_fields(request, obj) if name != "digest_item"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyLog):
    """The log. A person reads and marks their own on the page the header's bell opens
    (admin/notification_pages.py)."""

    list_display = ("created_at", "kind", "recipient", "title", "read_at")
    list_filter = ("kind", ("recipient", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("recipient",)
    search_fields = ("title", "body", "recipient__username")
    date_hierarchy = "created_at"


class OwnSettingsAdmin(admin.ModelAdmin):
    """A person's own reminder settings: everyone sees and changes only their own (an
    administrator sets another person's on that person's page); written by the services."""

    exclude = ("user",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    def has_module_permission(self, request):
        return sees_internal_tracking_in_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return obj is None or obj.user_id == request.user.pk

    has_change_permission = has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return True

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Any: a class built on the admin's form class, which mypy cannot take as a base.
        form: Any = super().get_form(request, obj, change=change, **kwargs)

        class OwnForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.instance.user = request.user  # validated as the person's own

        return OwnForm


@admin.register(NotificationPreference)
class MyNotificationPreferenceAdmin(OwnSettingsAdmin):
    list_display = ("kind", "enabled", "frequency")

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [(kind.value, kind.label) for kind in KINDS_REACHING.get(
                request.user.role, CHOOSABLE_KINDS)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        saved, created = notification_preference_set(
            user=request.user, kind=obj.kind, enabled=obj.enabled, frequency=obj.frequency)
        obj.pk, obj.set_before = saved.pk, not created

    def response_add(self, request, obj, post_url_continue=None):
        # "Added" for a kind set before would be wrong: the service updated that one.
        if obj.set_before:
            self.message_user(request, _("Your preference for “%(kind)s” was set already: it "
                                         "is updated.") % {"kind": obj.get_kind_display()})
            return HttpResponseRedirect(reverse("admin:programs_notificationpreference_changelist"))
        return super().response_add(request, obj, post_url_continue)

    def get_readonly_fields(self, request, obj=None):
        return ("kind",) if obj else ()


@admin.register(ReminderTime)
class MyReminderTimeAdmin(OwnSettingsAdmin):
    list_display = ("hour",)

    def save_model(self, request, obj, form, change):
        obj.pk = reminder_time_set(user=request.user, hour=obj.hour).pk
