from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.dates import check_date_in_range

from .choices import SupportKind, choice_constraint

if TYPE_CHECKING:
    from .geography import Country


class ProductCategory(models.Model):
    """The managed list of product categories exporters choose from (農産物, 水産物, ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name_ja


class SupportMeasure(models.Model):
    """A support measure offered to exporters (JETRO bases, subsidies, e-commerce corners...).

    No product category means it fits every category; no target market means every market.
    """

    code = models.CharField(_("code"), max_length=60, unique=True)
    initiative = models.ForeignKey(
        "programs.Initiative", verbose_name=_("initiative"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="support_measures",
    )
    provider = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("provider"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="support_measures",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SupportKind.choices)
    name_ja = models.CharField(_("name (Japanese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    # The strategy's own words about the measure (with its footnote marks, as typed);
    # `description_*` says in a sentence what it offers and to whom.
    summary_ja = models.TextField(_("summary (Japanese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    description_ja = models.TextField(
        _("short description (Japanese)"), blank=True,
        help_text=_("What the measure offers and to whom, in a sentence or two."))
    description_en = models.TextField(_("short description (English)"), blank=True)
    product_categories = models.ManyToManyField(
        ProductCategory, verbose_name=_("product categories"), blank=True,
        related_name="support_measures",
    )
    target_markets = models.ManyToManyField(
        "programs.Country", verbose_name=_("target markets"), blank=True,
        related_name="support_measures",
    )
    opens_on = models.DateField(_("application opens"), null=True, blank=True,
                                validators=[check_date_in_range])
    closes_on = models.DateField(_("application closes"), null=True, blank=True,
                                 validators=[check_date_in_range])
    url = models.URLField(_("URL"), blank=True)
    contact = models.TextField(
        _("contact"), blank=True,
        help_text=_("Where a company asks about the measure: office, telephone, e-mail."))
    source_quote = models.TextField(_("source quote"), blank=True)
    # Exporters see published measures only; publishing notifies the exporters it fits.
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support measure")
        verbose_name_plural = _("support measures")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(closes_on__isnull=True)
                | Q(closes_on__gte=F("opens_on")),
                name="support_measure_window_ordered",
            violation_error_message=_("The closing date cannot be before the opening date."),
            ),
            choice_constraint("kind", SupportKind, "support_measure_kind_valid"),
        ]

    # Not columns: a page of ranked measures lists its categories and markets on them
    # (programs.selectors.support.list_categories_and_markets).
    categories_listed: list[ProductCategory]
    markets_listed: list["Country"]

    def __str__(self):
        return self.name_ja
