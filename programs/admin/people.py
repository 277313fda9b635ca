"""The user admin (accounts) with what the domain keeps per person: notification
preferences."""

from django.contrib import admin

from accounts.admin import UserAdmin
from accounts.models import User
from tracker.admin_tools import RowsNamed

from ..models import NotificationPreference
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


admin.site.unregister(User)
admin.site.register(User, UserWithPreferencesAdmin)
