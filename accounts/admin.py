from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from programs.admin.access import ReferenceAdmin

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(ReferenceAdmin):
    list_display = ("code", "name_ja", "name_en", "abbreviation", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name_ja", "name_en", "abbreviation")


@admin.register(User)
class UserAdmin(ReferenceAdmin, DjangoUserAdmin, SimpleHistoryAdmin):
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
