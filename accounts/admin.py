from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .admin_access import ReferenceAdmin
from .admin_home import HomeItem, admin_url, home_section, listed_section, moment
from .forms import UserAddForm, UserEditForm, UserPasswordSetForm
from .models import Organisation, User
from .roles import is_administrator
from .services import user_deactivate
from .sign_in import account_unlock_sign_in, locked_out_accounts


@admin.register(Organisation)
class OrganisationAdmin(ReferenceAdmin):
    list_display = ("code", "name_ja", "name_en", "abbreviation", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name_ja", "name_en", "abbreviation")


@admin.register(User)
class UserAdmin(ReferenceAdmin, DjangoUserAdmin, SimpleHistoryAdmin):
    """People. Apps above add what they keep per person (programs: notification
    preferences) by registering a subclass in its place."""

    list_display = ("username", "last_name", "first_name", "email", "role", "organisation",
                    "is_active")
    history_hidden_fields = ("password", "last_login")  # a hash, and every sign-in
    list_filter = ("role", "is_active", "organisation")
    list_select_related = ("organisation",)
    fieldsets = (  # type: ignore[misc]
        *DjangoUserAdmin.fieldsets,
        (_("Tracker"), {"fields": ("role", "organisation", "language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Tracker"), {"fields": ("role", "organisation", "language", "email")}),
    )
    form = UserEditForm
    add_form = UserAddForm
    change_password_form = UserPasswordSetForm
    actions = ("unlock_sign_in",)

    @admin.action(description=_("Unlock signing in (after too many wrong passwords)"),
                  permissions=("change",))
    def unlock_sign_in(self, request, queryset):
        for user in queryset:
            account_unlock_sign_in(user=user, by=request.user)
        self.message_user(request, ngettext(
            "Signing in is unlocked for %(count)d account.",
            "Signing in is unlocked for %(count)d accounts.",
            len(queryset)) % {"count": len(queryset)})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read only: no password line, whose "reset" button leads to a refusal.
        return [(name, {**options, "fields": [field for field in options["fields"]
                                             if field != "password"]})
                for name, options in fieldsets]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_deactivate(user=obj, by=request.user)


@home_section(order=30)
def locked_accounts(request):
    """For administrators: accounts locked out after too many wrong passwords, each a click
    from its page (where the unlock action is)."""
    if not is_administrator(request.user):
        return
    yield listed_section(
        "locked", str(_("Locked accounts")), locked_out_accounts(),
        lambda account: HomeItem(
            label=account.user.display_name if account.user else account.identity,
            url=admin_url("accounts_user_changelist", q=account.identity),
            detail=_("locked until %(time)s: unlock it from the list of people") % {
                "time": moment(account.until)},
            tone="alert"),
        empty=_("No account is locked."))
