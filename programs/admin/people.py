"""The user admin (accounts) with what the domain keeps per person: notification
preferences; and the companies' accounts only for those who may read registrations."""

from django.contrib import admin

from accounts.admin import UserAdmin
from accounts.models import Role, User
from tracker.admin_tools import RowsNamed

from ..models import NotificationPreference
from ..selectors.access import can_read_exporters
from ..services.notifications import CHOOSABLE_KINDS


class NotificationPreferenceInline(RowsNamed, admin.TabularInline):
    model = NotificationPreference
    extra = 0
    fields = ("kind", "enabled", "frequency")

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [(kind.value, kind.label) for kind in CHOOSABLE_KINDS]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class UserWithPreferencesAdmin(UserAdmin):
    inlines = (*UserAdmin.inlines, NotificationPreferenceInline)

    def get_queryset(self, request):
        people = super().get_queryset(request)
        if can_read_exporters(request.user):
            return people
        # A company's account names its contact and address: personal data of the
        # registration, which only its readers see (an officer met them here).
        return people.exclude(role=Role.EXPORTER)


admin.site.unregister(User)
admin.site.register(User, UserWithPreferencesAdmin)
