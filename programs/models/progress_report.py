import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import choice_constraint
from .encoding import UnicodeJSONEncoder
from .versioning import Versioned

# A quarter of this century: 2026-Q3.
PERIOD_PATTERN = r"^20[0-9]{2}-Q[1-4]$"


def period_bounds(period: object) -> tuple[date, date]:
    """First and last day of a quarter written "2026-Q3"."""
    if not isinstance(period, str) or not re.match(PERIOD_PATTERN, period):
        raise ValidationError({"period": ValidationError(
            gettext("Give the period as a year and quarter, e.g. 2026-Q3."),
            code="invalid_period")})
    year, quarter = int(period[:4]), int(period[-1])
    first_month = 3 * quarter - 2
    start = date(year, first_month, 1)
    end = date(year + (quarter == 4), 1 if quarter == 4 else first_month + 3, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def period_label(period: str) -> str:
    """A reporting period from its code, a calendar quarter ("2026-Q4", October to December),
    as staff name it: by the fiscal year that starts in April, 2026年度 第3四半期 (10–12月) /
    FY2026 Q3 (Oct–Dec)."""
    start, end = period_bounds(period)
    names = {"year": start.year if start.month >= 4 else start.year - 1,
             "quarter": (start.month - 4) % 12 // 3 + 1,
             "first_month": start.month, "last_month": end.month,
             "first_month_abbr": MONTHS_3[start.month].title(),
             "last_month_abbr": MONTHS_3[end.month].title()}
    # xgettext:no-python-format
    return gettext("FY%(year)d Q%(quarter)d (%(first_month_abbr)s–%(last_month_abbr)s)") % names


def recent_periods(day: date) -> list[str]:
    """The periods of the fiscal year (April to March) holding `day` and of the year before,
    up to `day`'s own, newest first: the periods a report may still be written for."""
    fiscal_year = day.year if day.month >= 4 else day.year - 1
    first = (fiscal_year - 1, 2)  # April of the year before: its calendar Q2
    year, quarter = day.year, (day.month - 1) // 3 + 1
    periods = []
    while (year, quarter) >= first:
        periods.append(f"{year}-Q{quarter}")
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return periods


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")


class ProgressReport(Versioned):
    """The periodic (quarterly) progress report of an initiative (四半期報告).

    An officer drafts it, pre-filled with the report figures as they stand that day (dated
    `figures_as_of`; taken again on submission), writes the narrative and submits it; a
    manager approves it or returns it with a reason. Once approved it is frozen: `figures` is
    a stored snapshot that later edits to milestones do not change.
    """

    initiative = models.ForeignKey("programs.Initiative", verbose_name=_("initiative"),
                                   on_delete=models.PROTECT, related_name="progress_reports")
    period = models.CharField(_("period"), max_length=7, help_text=_("For example 2026-Q3."))
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT)
    narrative = models.TextField(_("narrative"), blank=True)
    figures = models.JSONField(_("figures"), encoder=UnicodeJSONEncoder)
    figures_as_of = models.DateField(_("figures as of"))
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("prepared by"),
                                    on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period", "initiative__path"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "period"],
                                    name="progress_report_once_per_period"),
            models.CheckConstraint(condition=Q(period__regex=PERIOD_PATTERN),
                                   name="progress_report_period_format",
                                   violation_error_message=_(
                                       "Enter the period as a year and quarter, e.g. 2026-Q3.")),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.RETURNED) | ~Q(return_reason=""),
                name="progress_report_returned_has_reason",
                violation_error_message=_("A returned report needs a reason.")),
            models.CheckConstraint(
                condition=Q(status__in=[ReportStatus.DRAFT]) | Q(submitted_at__isnull=False),
                name="progress_report_submitted_has_time",
                violation_error_message=_("A submitted report needs the time it was submitted.")),
            choice_constraint("status", ReportStatus, "progress_report_status_valid"),
        ]

    def __str__(self):
        return f"{self.initiative.code} {period_label(self.period)}"
