from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from programs.admin.access import ReferenceAdmin
from programs.models import NotificationPreference

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(ReferenceAdmin):
    list_display = ("code", "name_ja", "name_en", "abbreviation", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name_ja", "name_en", "abbreviation")


class NotificationPreferenceInline(admin.TabularInline):
    model = NotificationPreference
    extra = 0
    fields = ("kind", "enabled", "frequency")


@admin.register(User)
class UserAdmin(ReferenceAdmin, DjangoUserAdmin, SimpleHistoryAdmin):
    inlines = (NotificationPreferenceInline,)
    list_display = ("username", "last_name", "first_name", "email", "role", "organisation",
                    "is_active")
    list_filter = ("role", "is_active", "organisation")
    list_select_related = ("organisation",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Tracker"), {"fields": ("role", "organisation", "language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Tracker"), {"fields": ("role", "organisation", "language", "email")}),
    )
