from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import choice_constraint


class WebhookEvent(models.TextChoices):
    MILESTONE_CHANGED = "milestone.changed", _("Milestone changed")
    MILESTONE_STATUS_CHANGED = "milestone.status_changed", _("Milestone status changed")
    MILESTONE_OVERDUE = "milestone.overdue", _("Milestone overdue")
    REPORT_SUBMITTED = "progress_report.submitted", _("Progress report submitted")
    REPORT_APPROVED = "progress_report.approved", _("Progress report approved")
    REPORT_RETURNED = "progress_report.returned", _("Progress report returned")
    EXPORTER_REGISTERED = "exporter.registered", _("Exporter registered")
    EXPORTER_APPROVED = "exporter.approved", _("Exporter approved")
    SUPPORT_MEASURE_PUBLISHED = "support_measure.published", _("Support measure published")
    # Sent by "send test event" only; no endpoint subscribes to it.
    PING = "ping", _("Test event")


SUBSCRIBABLE_EVENTS = [event for event in WebhookEvent if event != WebhookEvent.PING]


class WebhookEndpoint(models.Model):
    """A URL of an organisation's system that is told, signed, of the events it chose.

    The payload shows each resource as the API shows it to `owner`: an event about something
    the owner may not see is not sent to this endpoint at all.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="webhook_endpoints")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
        related_name="webhook_endpoints",
        help_text=_("The account whose view of the data the payloads show."))
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    # Shown once, when created or rotated; the receiver keeps it to check signatures.
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["organisation", "id"]

    def __str__(self):
        return f"{self.organisation}: {self.url}"


class WebhookDeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Handing over")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one endpoint: written in the transaction of the change it reports (the
    outbox), sent after commit, retried with backoff until it is answered 2xx or a day has
    passed. `event_id` is the same on every attempt, for the receiver to drop repeats."""

    endpoint = models.ForeignKey(WebhookEndpoint, verbose_name=_("endpoint"),
                                 on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(_("event id"))
    event_type = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    # What makes an event happen once (e.g. a milestone overdue since one due date); empty:
    # every emission is its own event.
    once_key = models.CharField(_("once key"), max_length=120, blank=True)
    # The exact bytes sent on every attempt (the signature covers them).
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=20, choices=WebhookDeliveryStatus.choices,
                              default=WebhookDeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last response code"), null=True,
                                                        blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "not_before"], name="webhook_delivery_due")]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"],
                                    name="webhook_delivery_once_per_event"),
            models.UniqueConstraint(fields=["endpoint", "event_type", "once_key"],
                                    condition=~models.Q(once_key=""),
                                    name="webhook_delivery_once_per_key"),
            choice_constraint("status", WebhookDeliveryStatus, "webhook_delivery_status_valid"),
            choice_constraint("event_type", WebhookEvent, "webhook_delivery_event_valid"),
        ]

    def __str__(self):
        return f"{self.event_type} → {self.endpoint.url}"


class WebhookAttempt(models.Model):
    """One try at a delivery: what the receiver answered (or why there was no answer)."""

    delivery = models.ForeignKey(WebhookDelivery, verbose_name=_("delivery"),
                                 on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("at"))
    status_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    response_excerpt = models.TextField(_("response (start)"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["delivery", "at", "id"]

    def __str__(self):
        return f"{self.delivery_id} @ {self.at:%Y-%m-%d %H:%M:%S}: {self.status_code or self.error}"
