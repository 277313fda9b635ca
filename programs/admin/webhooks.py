"""Webhooks in the admin, for administrators only: endpoints (registered through the
services; the secret shown once), their delivery log with response codes, failed deliveries
by the status filter, and the actions "send test event" and "rotate the secret"."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_access import AdministratorsOnly, WrittenByServicesOnly
from tracker.errors import ServiceError

from ..models import (
    SUBSCRIBABLE_EVENTS,
    WebhookAttempt,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
)
from ..services.webhooks import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_send_test,
    webhook_endpoint_update,
    webhook_target,
)
from .saving import ServiceErrorGuard


def https_by_default(db_field, **kwargs):
    """A URL typed without a scheme is read as https:// (the only scheme allowed in
    production), as Django 6 will by default."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class WebhookEndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("events"), widget=forms.CheckboxSelectMultiple,
        choices=[(event.value, event.label) for event in SUBSCRIBABLE_EVENTS])

    class Meta:
        model = WebhookEndpoint
        fields = ("organisation", "owner", "url", "description", "events", "is_active")
        formfield_callback = https_by_default

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].label = capfirst(self.fields["events"].label)

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            webhook_target(url)  # the SSRF rules, shown next to the field
        except ServiceError as refused:
            raise forms.ValidationError(refused.error_dict["url"]) from refused
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(AdministratorsOnly, ServiceErrorGuard, admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("url", "organisation", "owner", "is_active", "event_list", "delivery_log",
                    "failed")
    list_filter = ("is_active", "organisation")
    list_select_related = ("organisation", "owner")
    search_fields = ("url", "description", "organisation__code", "organisation__name_ja")
    actions = ("send_test_event", "rotate_secret")

    def get_queryset(self, request):
        # Counted in the list's one query, not once per row.
        return super().get_queryset(request).annotate(failed_count=Count(
            "deliveries", filter=Q(deliveries__status=WebhookDeliveryStatus.FAILED)))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("events"))
    def event_list(self, endpoint):
        return ", ".join(endpoint.events)

    @admin.display(description=_("delivery log"))
    def delivery_log(self, endpoint):
        if endpoint.pk is None:
            return "—"
        return format_html('<a href="{}?endpoint__id__exact={}">{}</a>',
                           reverse("admin:programs_webhookdelivery_changelist"), endpoint.pk,
                           _("Deliveries and response codes"))

    @admin.display(description=_("failed deliveries"), ordering="failed_count")
    def failed(self, endpoint):
        count = getattr(endpoint, "failed_count", 0)
        if not count:
            return "0"
        return format_html('<a href="{}?endpoint__id__exact={}&amp;status__exact=failed">{}</a>',
                           reverse("admin:programs_webhookdelivery_changelist"), endpoint.pk,
                           count)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data
                if name != "organisation"}
        if change:
            webhook_endpoint_update(endpoint=obj, by=request.user, data=data)
            return
        created = webhook_endpoint_create(by=request.user,
                                          organisation=form.cleaned_data["organisation"],
                                          data=data)
        obj.pk, obj.secret = created.pk, created.secret
        self._show_secret(request, created)

    def save_related(self, request, form, formsets, change):
        pass  # the delivery log is read only; the service saved the endpoint

    def delete_model(self, request, obj):
        webhook_endpoint_delete(endpoint=obj, by=request.user)

    def get_readonly_fields(self, request, obj=None):
        # An endpoint stays with the organisation it was registered for.
        return ("organisation", "delivery_log", "failed") if obj else ()

    def _show_secret(self, request, endpoint):
        messages.warning(request, format_html(
            gettext("Signing secret of {url}, shown only now: <code>{secret}</code>. Give it "
                    "to the receiver to check the Tracker-Signature header."),
            url=endpoint.url, secret=endpoint.secret))

    @admin.action(description=_("Send test event"))
    def send_test_event(self, request, queryset):
        for endpoint in queryset:
            webhook_endpoint_send_test(endpoint=endpoint, by=request.user)
        count = len(queryset)
        self.message_user(request, ngettext(
            "A test event was queued for %(count)d endpoint: see its delivery log.",
            "A test event was queued for %(count)d endpoints: see their delivery logs.",
            count) % {"count": count})

    @admin.action(description=_("Rotate the signing secret"))
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            self._show_secret(request, webhook_endpoint_rotate_secret(endpoint=endpoint,
                                                                      by=request.user))


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ("at", "status_code", "error", "response_excerpt", "duration_ms")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(WrittenByServicesOnly, AdministratorsOnly, admin.ModelAdmin):
    """The delivery log, written by the webhook services only. Failed deliveries (filter by
    status) show their last answer and error."""

    list_display = ("created_at", "event_type", "endpoint", "status", "attempts",
                    "last_status_code", "last_error", "sent_at")
    list_filter = ("status", "event_type", "endpoint")
    list_select_related = ("endpoint",)
    search_fields = ("event_id", "endpoint__url", "last_error")
    date_hierarchy = "created_at"
    inlines = (AttemptInline,)
