from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export import fields, resources
from import_export.admin import ExportActionMixin
from import_export.forms import SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin

from programs.admin.access import ReferenceAdmin
from programs.admin.saving import ServiceErrorGuard
from programs.models import NotificationPreference
from programs.selectors.access import sees_internal_tracking
from programs.services.notifications import CHOOSABLE_KINDS

from .forms import UserPasswordSetForm
from .models import ExporterProfile, Organisation, User
from .services import (
    APPROVABLE,
    REJECTABLE,
    can_review_exporters,
    exporter_approve,
    exporter_reject,
    user_deactivate,
)
from .sign_in import account_unlock_sign_in


@admin.register(Organisation)
class OrganisationAdmin(ReferenceAdmin):
    list_display = ("code", "name_ja", "name_en", "abbreviation", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name_ja", "name_en", "abbreviation")


class NotificationPreferenceInline(admin.TabularInline):
    model = NotificationPreference
    extra = 0
    fields = ("kind", "enabled", "frequency")

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [(kind.value, kind.label) for kind in CHOOSABLE_KINDS]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_deactivate(user=obj, by=request.user)


class ExporterResource(resources.ModelResource):
    """The columns of the exporter list export (CSV, XLSX, …)."""

    email = fields.Field(attribute="user__email", column_name="email")
    product_categories = fields.Field(column_name="product_categories")
    target_markets = fields.Field(column_name="target_markets")

    class Meta:
        model = ExporterProfile
        fields = ("company_name", "company_name_en", "corporate_number", "prefecture",
                  "contact_name", "email", "product_categories", "target_markets", "status",
                  "created_at", "reviewed_at")
        export_order = fields

    def dehydrate_product_categories(self, profile):
        return " ".join(c.code for c in profile.product_categories.all())

    def dehydrate_target_markets(self, profile):
        return " ".join(c.iso2 for c in profile.target_markets.all())


class ExportForm(SelectableFieldsExportForm):
    """django-import-export's export form, with its "Select all" box working under the
    Content-Security-Policy (no inline event handlers)."""

    @property
    def media(self):
        return super().media + forms.Media(js=("accounts/export_select_all.js",))


class ExporterReviewForm(forms.ModelForm):
    """The reviewer decides; everything else on the registration is the company's."""

    decision = forms.ChoiceField(label=_("decision"), required=False, choices=[
        ("", "—"), ("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("reason for rejection (sent to the applicant)"),
                             required=False, widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = ExporterProfile
        fields = ()

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        allowed = {"approve": APPROVABLE, "reject": REJECTABLE}.get(decision)
        if allowed and self.instance.status not in allowed:
            self.add_error("decision", forms.ValidationError(
                _("This registration is “%(status)s” and cannot be reviewed now."),
                code="invalid_transition",
                params={"status": self.instance.get_status_display()}))
        if decision == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", forms.ValidationError(
                _("Give the applicant the reason for the rejection."), code="reason_required"))
        return cleaned


@admin.register(ExporterProfile)
class ExporterProfileAdmin(ServiceErrorGuard, ExportActionMixin, ReferenceAdmin):
    resource_classes = (ExporterResource,)
    export_form_class = ExportForm
    form = ExporterReviewForm
    list_display = ("company_name", "corporate_number", "prefecture", "status", "created_at",
                    "reviewed_at")
    list_filter = ("status", "prefecture", "product_categories", "target_markets")
    search_fields = ("company_name", "company_name_en", "corporate_number", "contact_name",
                     "user__email")
    date_hierarchy = "created_at"
    readonly_fields = ("company_name", "company_name_en", "corporate_number", "prefecture",
                       "contact_name", "email", "categories", "markets", "status",
                       "created_at", "email_verified_at", "reviewed_by", "reviewed_at",
                       "rejection_reason")
    fieldsets = (
        (None, {"fields": ("company_name", "company_name_en", "corporate_number", "prefecture",
                           "contact_name", "email", "categories", "markets")}),
        (_("Review"), {"fields": ("status", "created_at", "email_verified_at", "reviewed_by",
                                  "reviewed_at", "rejection_reason", "decision", "reason")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related(
            "product_categories", "target_markets")

    @admin.display(description=_("e-mail"))
    def email(self, profile):
        return profile.user.email

    @admin.display(description=_("product categories"))
    def categories(self, profile):
        return ", ".join(str(c) for c in profile.product_categories.all())

    @admin.display(description=_("target markets"))
    def markets(self, profile):
        return ", ".join(str(c) for c in profile.target_markets.all())

    def has_add_permission(self, request, obj=None):
        return False  # companies register themselves (and confirm their address)

    def has_change_permission(self, request, obj=None):
        return can_review_exporters(request.user)

    def has_export_permission(self, request):
        return sees_internal_tracking(request.user)

    def save_model(self, request, obj, form, change):
        # The form has checked the decision against the registration's status.
        decision = form.cleaned_data.get("decision")
        if decision == "approve":
            exporter_approve(profile=obj, by=request.user)
        elif decision == "reject":
            exporter_reject(profile=obj, by=request.user, reason=form.cleaned_data["reason"])

    def save_related(self, request, form, formsets, change):
        """The company's categories and markets are not the reviewer's to change."""
