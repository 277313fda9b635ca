from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.dates import check_date_in_range

from .choices import KPIDirection, KPIUnit, choice_constraint
from .versioning import Versioned

AMOUNT: dict[str, Any] = {"max_digits": 20, "decimal_places": 4}


class KPI(models.Model):
    """A numeric target of the strategy. Values are Decimals in `unit` (e.g. 兆円)."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    initiative = models.ForeignKey(
        "programs.Initiative", verbose_name=_("initiative"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="kpis",
    )
    name_ja = models.CharField(_("name (Japanese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=40, choices=KPIUnit.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=KPIDirection.choices,
        default=KPIDirection.INCREASE,
    )
    baseline_value = models.DecimalField(_("baseline value"), null=True, blank=True, **AMOUNT)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(_("target value"), null=True, blank=True, **AMOUNT)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    source_quote = models.TextField(_("source quote"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True, baseline_year__isnull=True)
                | Q(baseline_value__isnull=False, baseline_year__isnull=False),
                name="kpi_baseline_value_and_year_together",
            violation_error_message=_("Enter the baseline value and its year together."),
            ),
            # A target may stand without a date (the text sets none for 1万者), but a target
            # year needs a value.
            models.CheckConstraint(
                condition=Q(target_year__isnull=True) | Q(target_value__isnull=False),
                name="kpi_target_year_has_value",
            violation_error_message=_("A target year needs a target value."),
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True) | Q(target_year__isnull=True)
                | Q(target_year__gte=F("baseline_year")),
                name="kpi_target_not_before_baseline",
            violation_error_message=_("The target year cannot be before the baseline year."),
            ),
            choice_constraint("unit", KPIUnit, "kpi_unit_valid"),
            choice_constraint("direction", KPIDirection, "kpi_direction_valid"),
        ]

    def __str__(self):
        return self.name_ja


class KPIMeasurement(Versioned):
    """A measured value of a KPI for the period ending on `period_on`."""

    kpi = models.ForeignKey(
        KPI, verbose_name=_("KPI"), on_delete=models.CASCADE, related_name="measurements"
    )
    period_on = models.DateField(_("period end"), validators=[check_date_in_range])
    value = models.DecimalField(_("value"), **AMOUNT)
    source = models.TextField(_("source"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KPI measurement")
        verbose_name_plural = _("KPI measurements")
        ordering = ["kpi", "period_on"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "period_on"], name="kpi_measurement_once"),
        ]

    def __str__(self):
        # 1.5, not 1.5000 (the field keeps four decimals); the unit is the KPI's.
        return f"{self.kpi} {date_format(self.period_on)}: {self.value.normalize():f}"
