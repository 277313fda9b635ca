from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .prefectures import Prefecture
from .validators import validate_corporate_number


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry or bureau")
    AGENCY = "agency", _("Government agency")
    FINANCIAL = "financial", _("Public financial institution")
    INTERNATIONAL = "international", _("International body")
    RESEARCH = "research", _("Research institute")
    BUSINESS_GROUP = "business_group", _("Business federation")
    COMPANY = "company", _("Company")


class Role(models.TextChoices):
    OFFICER = "officer", _("Programme officer")
    MANAGER = "manager", _("Manager")
    EXPORTER = "exporter", _("Registered exporter")
    ADMINISTRATOR = "administrator", _("Administrator")


class Language(models.TextChoices):
    JA = "ja", _("Japanese")
    EN = "en", _("English")


class Organisation(models.Model):
    """A ministry, bureau, agency, international body or company named in the strategy."""

    Kind = OrganisationKind

    code = models.SlugField(_("code"), max_length=40, unique=True, allow_unicode=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    source_quote = models.TextField(_("source quote"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.name_ja} ({self.abbreviation})" if self.abbreviation else self.name_ja


class User(AbstractUser):
    """A person who signs in. What they may see and change follows from `role`."""

    Role = Role

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="members",
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.JA
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
        ]

    @property
    def display_name(self):
        """Family name first, as names are written in Japanese."""
        return f"{self.last_name} {self.first_name}".strip() or self.username


class ExporterStatus(models.TextChoices):
    PENDING_VERIFICATION = "pending_verification", _("E-mail not yet confirmed")
    PENDING_APPROVAL = "pending_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ExporterProfile(models.Model):
    """A company registered for the food-export programme (日本の食輸出1万者支援プログラム)."""

    user = models.OneToOneField(User, verbose_name=_("account"), on_delete=models.CASCADE,
                                related_name="exporter_profile")
    company_name = models.CharField(_("company name"), max_length=200)
    company_name_en = models.CharField(_("company name (English)"), max_length=200, blank=True)
    corporate_number = models.CharField(_("corporate number (法人番号)"), max_length=13,
                                        unique=True, validators=[validate_corporate_number])
    prefecture = models.CharField(_("prefecture"), max_length=2, choices=Prefecture.choices)
    contact_name = models.CharField(_("contact person"), max_length=100)
    product_categories = models.ManyToManyField(
        "programs.ProductCategory", verbose_name=_("product categories"),
        related_name="exporters")
    target_markets = models.ManyToManyField(
        "programs.Country", verbose_name=_("target markets"), related_name="exporters")
    status = models.CharField(_("status"), max_length=30, choices=ExporterStatus.choices,
                              default=ExporterStatus.PENDING_VERIFICATION)
    consented_at = models.DateTimeField(_("consented at"))
    email_verified_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(User, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[product_categories, target_markets])

    class Meta:
        verbose_name = _("registered exporter")
        verbose_name_plural = _("registered exporters")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(corporate_number__regex=r"^[0-9]{13}$"),
                                   name="exporter_corporate_number_13_digits"),
            models.CheckConstraint(condition=models.Q(status__in=ExporterStatus.values),
                                   name="exporter_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status=ExporterStatus.REJECTED)
                | ~models.Q(rejection_reason=""),
                name="exporter_rejection_has_reason"),
        ]

    def __str__(self):
        return f"{self.company_name} ({self.corporate_number})"

    @property
    def is_approved(self):
        return self.status == ExporterStatus.APPROVED
