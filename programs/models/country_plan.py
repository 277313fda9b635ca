from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.dates import check_date_in_range

from .choices import WorkStatus, choice_constraint
from .milestone import DONE_HAS_COMPLETION_DATE
from .versioning import Versioned


class CountryPlan(models.Model):
    """One row of a regional table (主な国別アクションプラン・イメージ): a country, its promising
    fields (連携に向けた有望分野) and its actions (主なアクションの概要)."""

    initiative = models.ForeignKey(
        "programs.Initiative", verbose_name=_("regional strategy"), on_delete=models.PROTECT,
        related_name="country_plans",
    )
    country = models.OneToOneField(
        "programs.Country", verbose_name=_("country"), on_delete=models.PROTECT,
        related_name="plan",
    )
    fields = models.ManyToManyField(  # type: ignore[var-annotated]
        "programs.StrategicField", verbose_name=_("promising fields"),
        through="CountryPlanField", related_name="country_plans",
    )
    fields_quote = models.TextField(_("promising fields as written"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("country plan")
        verbose_name_plural = _("country plans")
        ordering = ["initiative__path", "id"]

    def __str__(self):
        return str(self.country)


class CountryPlanField(models.Model):
    plan = models.ForeignKey(CountryPlan, on_delete=models.CASCADE, related_name="plan_fields")
    field = models.ForeignKey(
        "programs.StrategicField", verbose_name=_("field"), on_delete=models.PROTECT,
        related_name="plan_fields",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Fields for which a master plan (MP) has been adopted, printed in red in the strategy.
    mp_adopted = models.BooleanField(_("MP adopted"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("promising field")
        verbose_name_plural = _("promising fields")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "field"], name="plan_field_once"),
        ]

    def __str__(self):
        return str(self.field)


class CountryAction(Versioned):
    """One action bullet of a country plan, tracked like a milestone."""

    plan = models.ForeignKey(
        CountryPlan, verbose_name=_("country plan"), on_delete=models.CASCADE,
        related_name="actions",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text_ja = models.TextField(_("action (Japanese)"))
    text_en = models.TextField(_("action (English)"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="country_actions",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.NOT_STARTED
    )
    due_on = models.DateField(_("due date"), null=True, blank=True,
                              validators=[check_date_in_range])
    completed_on = models.DateField(_("completion date"), null=True, blank=True,
                                    validators=[check_date_in_range])
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("country action")
        verbose_name_plural = _("country actions")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="country_action_order_once"),
            models.CheckConstraint(condition=DONE_HAS_COMPLETION_DATE,
                                   name="country_action_done_has_completion_date",
                                   violation_error_message=_(
                                       "A done action needs a completion date, and an open "
                                       "one none.")),
            models.CheckConstraint(condition=~Q(text_ja=""), name="country_action_has_text",
                                   violation_error_message=_("Enter the action's text.")),
            choice_constraint("status", WorkStatus, "country_action_status_valid"),
        ]

    def __str__(self):
        return self.text_ja[:60]
