from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import choice_constraint


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    STALE = "stale", _("No recent status update")
    REPORT_DUE = "report_due", _("Progress report due")
    REPORT_REVIEWED = "report_reviewed", _("Progress report approved or returned")
    MANAGER_DIGEST = "manager_digest", _("Manager digest")
    NEW_SUPPORT_MEASURE = "new_support_measure", _("New support measure for you")
    ACCOUNT = "account", _("Your account")
    DAILY_DIGEST = "daily_digest", _("Daily digest of reminders")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DAILY_DIGEST = "daily_digest", _("In one daily digest")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    # Handed to the mail server under a lease (REMINDER_SEND_LEASE_SECONDS), not yet marked
    # sent: the only state a message can be duplicated from (README, Reminders).
    SENDING = "sending", _("Handing over")
    SENT = "sent", _("Sent")
    BUNDLED = "bundled", _("Sent in a digest")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One reminder to one person about one thing on one occasion, claimed before it is sent.

    The unique constraint is what makes every reminder go out once: a second sweep, an
    overlapping sweep or a redelivered task finds the row already there and sends nothing.
    `occasion` names what triggered it (e.g. "2026-12-01:7": due date and threshold), so a new
    due date is a new occasion.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="deliveries",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE,
                                     verbose_name=_("about (type)"))
    subject_id = models.PositiveBigIntegerField(_("about (id)"))
    subject = GenericForeignKey("subject_type", "subject_id")
    occasion = models.CharField(_("occasion"), max_length=100)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices,
                                 default=Frequency.IMMEDIATE)
    # The sweep that claimed the row: after an INSERT … ON CONFLICT DO NOTHING, a sweep
    # dispatches exactly the rows carrying its own id.
    claimed_by = models.UUIDField(_("claimed by sweep"), db_index=True)
    email_subject = models.CharField(_("e-mail subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"))
    status = models.CharField(_("status"), max_length=20, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    bundled_in = models.ForeignKey(
        "self", verbose_name=_("sent in digest"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="bundled",
    )
    # Not sent before this moment: the recipient's reminder hour, or the next retry after a
    # temporary failure. Empty: at once.
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    # The digest's line for this item (title, initiative, what to do, link), in the
    # recipient's language, written when it is claimed.
    digest_item = models.JSONField(_("digest line"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "frequency"], name="delivery_status_freq"),
                   models.Index(fields=["status", "not_before"], name="delivery_status_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_type", "subject_id", "occasion"],
                name="delivery_once_per_occasion",
            ),
            choice_constraint("kind", ReminderKind, "delivery_kind_valid"),
            choice_constraint("status", DeliveryStatus, "delivery_status_valid"),
            choice_constraint("frequency", Frequency, "delivery_frequency_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}: {self.email_subject}"


class Notification(models.Model):
    """The in-app copy of a reminder, in the recipient's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    delivery = models.OneToOneField(Delivery, verbose_name=_("delivery"), null=True,
                                    blank=True, on_delete=models.SET_NULL,
                                    related_name="notification")
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    subject_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    """A person's choice for one kind of reminder; without a row: on, in the daily digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    enabled = models.BooleanField(_("on"), default=True)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices,
                                 default=Frequency.DAILY_DIGEST)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind"),
            choice_constraint("kind", ReminderKind, "preference_kind_valid"),
            choice_constraint("frequency", Frequency, "preference_frequency_valid"),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()}"


DEFAULT_REMINDER_HOUR = 8


class ReminderTime(models.Model):
    """The hour (in TIME_ZONE, Asia/Tokyo) a person's reminders of the day go out; without a
    row: 08:00."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="reminder_time")
    hour = models.PositiveSmallIntegerField(_("hour"), default=DEFAULT_REMINDER_HOUR,
                                            help_text=_("0 to 23, Japan time."))

    class Meta:
        verbose_name = _("reminder time")
        verbose_name_plural = _("reminder times")
        constraints = [models.CheckConstraint(condition=models.Q(hour__lte=23),
                                              name="reminder_hour_of_day",
                                              violation_error_message=_(
                                                  "Enter an hour from 0 to 23."))]

    def __str__(self):
        return f"{self.user}: {self.hour:02d}:00"
