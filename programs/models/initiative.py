from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.dates import check_date_in_range

from .choices import Health, InitiativeStatus, ProjectPhase, choice_constraint
from .encoding import UnicodeJSONEncoder
from .versioning import Versioned

CODE_PATTERN = r"^[A-Z0-9][A-Z0-9-]*$"
CODE_FORMAT_MESSAGE = _("Enter a code of capital letters, digits and hyphens.")


# An initiative's own reminder thresholds, in days (due soon, stale after): at most a year.
REMINDER_DAYS_LEAST, REMINDER_DAYS_MOST = 1, 365


def validate_reminder_days(value):
    """A non-empty list of whole days between REMINDER_DAYS_LEAST and REMINDER_DAYS_MOST."""
    if value is None:
        return
    if not isinstance(value, list) or not value or not all(
            isinstance(days, int) and not isinstance(days, bool)
            and REMINDER_DAYS_LEAST <= days <= REMINDER_DAYS_MOST for days in value):
        raise ValidationError(
            _("Give a list of whole days between %(least)d and %(most)d, e.g. [14, 7, 1]."),
            code="invalid_reminder_days",
            params={"least": REMINDER_DAYS_LEAST, "most": REMINDER_DAYS_MOST})


PATH_SEPARATOR = "/"


class Initiative(Versioned):
    """A commitment of the strategy, nested in a tree (AZEC 2.0 > POWERER Asia, ...).

    `path` is the chain of codes from the root ("TRUSTED-ECONOMIC-AREA/AZEC2/POWERER-ASIA");
    the initiative services keep it in step with `parent` so that a whole subtree is one
    indexed prefix query, which the reports need.
    """

    code = models.CharField(_("code"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent initiative"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    path = models.CharField(_("path"), max_length=600, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    name_ja = models.CharField(_("name (Japanese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    summary_ja = models.TextField(_("summary (Japanese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    aliases = models.JSONField(_("other names in the strategy"), default=list, blank=True,
                               encoder=UnicodeJSONEncoder)
    lead_organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("lead organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="led_initiatives",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="owned_initiatives",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("team members"), blank=True,
        related_name="member_initiatives",
    )
    start_on = models.DateField(_("start date"), null=True, blank=True,
                                validators=[check_date_in_range])
    end_on = models.DateField(_("end date"), null=True, blank=True,
                              validators=[check_date_in_range])
    status = models.CharField(
        _("status"), max_length=20, choices=InitiativeStatus.choices,
        default=InitiativeStatus.ACTIVE,
    )
    health = models.CharField(
        _("health"), max_length=10, choices=Health.choices, default=Health.GREEN
    )
    health_note = models.TextField(_("health explanation"), blank=True)
    health_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("health set by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    health_set_at = models.DateTimeField(_("health set at"), null=True, blank=True)
    countries = models.ManyToManyField(
        "programs.Country", verbose_name=_("countries"), blank=True, related_name="initiatives"
    )
    fields = models.ManyToManyField(
        "programs.StrategicField", verbose_name=_("strategic fields"), blank=True,
        related_name="initiatives",
    )
    source_quote = models.TextField(_("source quote"), blank=True)
    # Data, not a code in the program: whose officers approve or reject registered exporters.
    reviews_exporter_registrations = models.BooleanField(
        _("reviews exporter registrations"), default=False,
        help_text=_("Its owner and team members approve or reject the companies that "
                    "register for the food-export programme."))
    # Reminder thresholds for this initiative's milestones; empty: the site-wide settings.
    reminder_due_soon_days = models.JSONField(
        _("due-soon reminders (days before)"), null=True, blank=True,
        validators=[validate_reminder_days],
        help_text=_("For example [14, 7, 1]. Empty: the site-wide setting."))
    reminder_stale_after_days = models.PositiveSmallIntegerField(
        _("stale after (days without a status update)"), null=True, blank=True,
        validators=[MinValueValidator(REMINDER_DAYS_LEAST),
                    MaxValueValidator(REMINDER_DAYS_MOST)])
    reminder_owner_limit = models.PositiveSmallIntegerField(
        _("reminders to a milestone's owner before escalation carries it"), null=True,
        blank=True, help_text=_("Empty: the site-wide setting."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=CODE_PATTERN),
                                   name="initiative_code_format",
                                   violation_error_message=CODE_FORMAT_MESSAGE),
            models.CheckConstraint(condition=~Q(parent=F("id")),
                                   name="initiative_not_own_parent",
                                   violation_error_message=_(
                                       "An initiative cannot be its own parent.")),
            models.CheckConstraint(
                condition=Q(start_on__isnull=True) | Q(end_on__isnull=True)
                | Q(end_on__gte=F("start_on")),
                name="initiative_ends_after_start",
            violation_error_message=_("The end date cannot be before the start date."),
            ),
            # Amber and red must say why; the explanation is what a manager reads first.
            models.CheckConstraint(
                condition=Q(health=Health.GREEN) | ~Q(health_note=""),
                name="initiative_health_explained",
            violation_error_message=_("Amber or red health needs a note saying why."),
            ),
            choice_constraint("status", InitiativeStatus, "initiative_status_valid"),
            choice_constraint("health", Health, "initiative_health_valid"),
            models.CheckConstraint(
                condition=Q(reminder_stale_after_days__isnull=True)
                | Q(reminder_stale_after_days__gte=1),
                name="initiative_stale_after_positive",
            violation_error_message=_("Enter at least 1 day."),
            ),
            models.CheckConstraint(
                condition=Q(reminder_owner_limit__isnull=True) | Q(reminder_owner_limit__gte=1),
                name="initiative_owner_limit_positive",
            violation_error_message=_("Enter at least 1 reminder."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name_ja}"


class Project(Versioned):
    """A concrete project (案件) under an initiative, e.g. one GS subsidy project."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.PROTECT,
        related_name="projects",
    )
    name_ja = models.CharField(_("name (Japanese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    summary_ja = models.TextField(_("summary (Japanese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    theme_ja = models.CharField(_("theme (Japanese)"), max_length=100, blank=True)
    theme_en = models.CharField(_("theme (English)"), max_length=100, blank=True)
    phase = models.CharField(
        _("phase"), max_length=20, choices=ProjectPhase.choices,
        default=ProjectPhase.DEMONSTRATION,
    )
    countries = models.ManyToManyField(
        "programs.Country", verbose_name=_("countries"), blank=True, related_name="projects"
    )
    partners = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("partner organisations"), blank=True,
        related_name="partner_projects",
    )
    source_quote = models.TextField(_("source quote"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=CODE_PATTERN),
                                   name="project_code_format",
                                   violation_error_message=CODE_FORMAT_MESSAGE),
            choice_constraint("phase", ProjectPhase, "project_phase_valid"),
        ]

    def __str__(self):
        return f"{self.code} {self.name_ja}"
