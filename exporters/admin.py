"""The registered exporters in the admin: the programme's officers review registrations; the
list exports to CSV or a spreadsheet. Publishing a support measure tells the exporters it
fits."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.admin import ExportActionMixin
from import_export.forms import SelectableFieldsExportForm

from accounts.admin_access import ReferenceAdmin
from accounts.admin_home import HomeItem, admin_url, home_section, listed_section
from programs.admin.reference import SupportMeasureAdmin
from programs.admin.saving import FormInputsHidden, ServiceErrorGuard
from programs.models import SupportMeasure
from programs.reporting.labels import day
from programs.selectors.access import can_read_exporters, can_review_exporters
from tracker.admin_tools import list_as_text

from .models import ExporterProfile, ExporterStatus
from .selectors import registrations_awaiting_review
from .services.closure import exporter_close
from .services.notices import support_measure_announce
from .services.registrations import APPROVABLE, REJECTABLE, exporter_approve, exporter_reject


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
        return super().media + forms.Media(js=("exporters/export_select_all.js",))


# The fields of ExporterReviewForm: the reviewer's, not the registration's.
REVIEWER_INPUTS = ("decision", "reason")


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
        decision = cleaned.get("decision")  # type: ignore[union-attr]
        allowed = {"approve": APPROVABLE, "reject": REJECTABLE}.get(decision)  # type: ignore[arg-type]
        if allowed and self.instance.status not in allowed:
            self.add_error("decision", forms.ValidationError(
                _("This registration is “%(status)s” and cannot be reviewed now."),
                code="invalid_transition",
                params={"status": self.instance.get_status_display()}))
        if decision == "reject" and not cleaned.get("reason", "").strip():  # type: ignore[union-attr]
            self.add_error("reason", forms.ValidationError(
                _("Give the applicant the reason for the rejection."), code="reason_required"))
        return cleaned


@admin.register(ExporterProfile)
class ExporterProfileAdmin(FormInputsHidden, ServiceErrorGuard, ExportActionMixin,
                           ReferenceAdmin):
    form_inputs = REVIEWER_INPUTS  # left out for an officer who may read but not review
    resource_classes = (ExporterResource,)
    export_form_class = ExportForm
    form = ExporterReviewForm
    list_display = ("company_name", "corporate_number", "prefecture", "status", "created_at",
                    "reviewed_at")
    list_filter = ("status", "prefecture", "product_categories", "target_markets",
                   ("closure_requested_at", admin.EmptyFieldListFilter))
    actions = ["close_accounts"]
    search_fields = ("company_name", "company_name_en", "corporate_number", "contact_name",
                     "user__email")
    date_hierarchy = "created_at"
    readonly_fields = ("company_name", "company_name_en", "corporate_number", "prefecture",
                       "contact_name", "email", "categories", "markets", "status",
                       "created_at", "email_verified_at", "reviewed_by", "reviewed_at",
                       "rejection_reason", "closure_requested_at", "closed_at")
    fieldsets = (
        (None, {"fields": ("company_name", "company_name_en", "corporate_number", "prefecture",
                           "contact_name", "email", "categories", "markets")}),
        (_("Review"), {"fields": ("status", "created_at", "email_verified_at", "reviewed_by",
                                  "reviewed_at", "rejection_reason", *REVIEWER_INPUTS)}),
        (_("Closure"), {"fields": ("closure_requested_at", "closed_at")}),
    )
    empty_value_display = "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related(
            "product_categories", "target_markets")

    @admin.display(description=_("e-mail"))
    def email(self, profile):
        return profile.user.email

    @admin.display(description=_("product categories"))
    def categories(self, profile):
        return list_as_text(profile.product_categories.all()) or self.get_empty_value_display()

    @admin.display(description=_("target markets"))
    def markets(self, profile):
        return list_as_text(profile.target_markets.all()) or self.get_empty_value_display()

    @admin.action(description=_("Close the selected accounts (at the company's request)"),
                  permissions=["change"])
    def close_accounts(self, request, queryset):
        """Each selected company that asked is closed and its personal data removed; one that
        did not ask, or is closed already, is named and left as it is."""
        closed = 0
        for profile in queryset:
            try:
                exporter_close(profile=profile, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                closed += 1
        if closed:
            self.message_user(request, _("Accounts closed: %(count)d") % {"count": closed},
                              messages.SUCCESS)

    def has_add_permission(self, request, obj=None):
        return False  # companies register themselves (and confirm their address)

    def has_module_permission(self, request):
        return request.user.is_staff and can_read_exporters(request.user)

    def has_view_permission(self, request, obj=None):
        return can_read_exporters(request.user)

    def has_change_permission(self, request, obj=None):
        return can_review_exporters(request.user)

    def has_export_permission(self, request):
        return can_read_exporters(request.user)

    def save_model(self, request, obj, form, change):
        # The form has checked the decision against the registration's status.
        decision = form.cleaned_data.get("decision")
        if decision == "approve":
            exporter_approve(profile=obj, by=request.user)
        elif decision == "reject":
            exporter_reject(profile=obj, by=request.user, reason=form.cleaned_data["reason"])

    def save_related(self, request, form, formsets, change):
        """The company's categories and markets are not the reviewer's to change."""


class SupportMeasureNotifyingAdmin(SupportMeasureAdmin):
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Once its categories and markets are saved: announce it to those it concerns.
        support_measure_announce(measure=form.instance, newly_published=(
            not change or "is_published" in form.changed_data))


admin.site.unregister(SupportMeasure)
admin.site.register(SupportMeasure, SupportMeasureNotifyingAdmin)


@home_section(order=10)
def registrations_to_review(request):
    """For those who review registrations (administrators, the programme's officers)."""
    if not can_review_exporters(request.user):
        return
    yield listed_section(
        "registrations", str(_("Exporter registrations awaiting review")),
        registrations_awaiting_review(request.user),
        lambda profile: HomeItem(
            label=profile.company_name,
            url=admin_url("exporters_exporterprofile_change", profile.pk),
            detail=_("registered %(date)s: approve or reject") % {
                "date": day(timezone.localdate(profile.created_at))}, tone="warning"),
        all_url=admin_url("exporters_exporterprofile_changelist",
                          status__exact=ExporterStatus.PENDING_APPROVAL),
        empty=_("No registration is waiting."))
