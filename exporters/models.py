"""A company registered for the food-export programme, with the account it signs in with."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import User

from .prefectures import Prefecture
from .validators import validate_corporate_number


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
        related_name="exporters", db_table="accounts_exporterprofile_product_categories")
    target_markets = models.ManyToManyField(
        "programs.Country", verbose_name=_("target markets"), related_name="exporters",
        db_table="accounts_exporterprofile_target_markets")
    status = models.CharField(_("status"), max_length=30, choices=ExporterStatus.choices,
                              default=ExporterStatus.PENDING_VERIFICATION)
    consented_at = models.DateTimeField(_("consented at"))
    email_verified_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(User, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # When the company last opened its measures page, so that the next visit can mark what
    # is new; not a change of the profile, so kept out of its history.
    measures_seen_at = models.DateTimeField(_("measures last seen at"), null=True, blank=True)
    # The company asks to close its account; an officer of the programme confirms, and its
    # personal data are removed (exporters.services.closure).
    closure_requested_at = models.DateTimeField(_("closure requested at"), null=True,
                                                blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[product_categories, target_markets],
                                excluded_fields=["measures_seen_at"],
                                table_name="accounts_historicalexporterprofile")

    class Meta:
        # The table it had in accounts (and so do its many-to-many and history tables):
        # moving the model to this app moved no rows.
        db_table = "accounts_exporterprofile"
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

    def company_name_for_reader(self) -> str:
        """The English name for a reader of English, when the company gave one."""
        if self.company_name_en and translation.get_language() == "en":
            return self.company_name_en
        return self.company_name

    @property
    def is_approved(self):
        return self.status == ExporterStatus.APPROVED
