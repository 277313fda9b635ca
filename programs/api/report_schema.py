"""The progress report's JSON as the OpenAPI schema states it: a component for every section
of `selectors.reports.progress_report`, so that generated clients read `report.kpis[0].verdict`
as a typed value, not an untyped object. Used for the schema only (the report is plain data
and rendered as it is); `tests/api/test_report_schema.py` checks real reports against it.

A quarterly progress report's `figures` are such a report, frozen when submitted (stored as
JSON, so its decimals are strings as in the live report)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Health, KPIDirection, KPIUnit, WorkStatus
from ..reporting.labels import VERDICTS


def _decimal(**kwargs) -> serializers.DecimalField:
    """A decimal as the API writes it: a string, as stored ("1.7000")."""
    return serializers.DecimalField(max_digits=None, decimal_places=None,
                                    coerce_to_string=True, **kwargs)


def _counts_of(name, choices, help_text):
    """A count per choice: {"green": 3, "amber": 1, "red": 0}."""
    return type(name, (serializers.Serializer,), {
        "__doc__": help_text,
        **{value: serializers.IntegerField(min_value=0) for value in choices},
    })


ReportStatusCountsSerializer = _counts_of(
    "ReportStatusCountsSerializer", WorkStatus.values, "Milestones in each status.")
ReportHealthCountsSerializer = _counts_of(
    "ReportHealthCountsSerializer", Health.values, "Milestones of each health.")


class ReportInitiativeSerializer(serializers.Serializer):
    """The initiative a report is about. (Not serializers.InitiativeBriefSerializer, which
    would import this module's users back: serializers.ProgressReportSerializer.)"""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name_ja = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)


class ReportSlipSerializer(serializers.Serializer):
    """Milestones planned later than their baseline."""

    count = serializers.IntegerField(min_value=0)
    total_days = serializers.IntegerField(min_value=0)
    worst_days = serializers.IntegerField(min_value=0)


class ReportMilestoneCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField(min_value=0)
    by_status = ReportStatusCountsSerializer()
    by_health = ReportHealthCountsSerializer()
    percent_complete = serializers.FloatField(help_text="Average completion, in percent.")
    overdue = serializers.IntegerField(min_value=0)
    due_soon = serializers.IntegerField(min_value=0, help_text="Due in the next 30 days.")
    slipped = ReportSlipSerializer()


class ReportMilestoneSerializer(serializers.Serializer):
    """A milestone in the overdue, due-soon and slipped lists."""

    id = serializers.IntegerField()
    title_ja = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    initiative = serializers.CharField(help_text="The initiative's code.")
    owner = serializers.CharField(help_text="The owner's name.")
    planned_due_on = serializers.DateField()
    baseline_due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=WorkStatus.choices)
    health = serializers.ChoiceField(choices=Health.choices)
    days_overdue = serializers.IntegerField(min_value=0)
    slip_days = serializers.IntegerField(
        help_text="Days planned later than the baseline (negative: earlier).")


class ReportBurnUpPointSerializer(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="YYYY-MM")
    planned = serializers.IntegerField(min_value=0, help_text="Planned by the month's end.")
    done = serializers.IntegerField(min_value=0, allow_null=True,
                                    help_text="Done by the month's end; null after as_of.")


class ReportTimelineMilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title_ja = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    planned_due_on = serializers.DateField()
    baseline_due_on = serializers.DateField()
    completed_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=WorkStatus.choices)
    overdue = serializers.BooleanField()
    days_overdue = serializers.IntegerField(min_value=0)
    slip_days = serializers.IntegerField(
        help_text="Days planned later than the baseline (negative: earlier).")


class ReportTimelineSerializer(serializers.Serializer):
    """An initiative's milestones on a time axis (null in the portfolio report)."""

    as_of = serializers.DateField()
    more = serializers.BooleanField(help_text="More milestones fall in the window than shown.")
    milestones = ReportTimelineMilestoneSerializer(many=True)


# `from` is a Python keyword: the fields are given as a dict.
ReportHealthChangeSerializer = type("ReportHealthChangeSerializer", (serializers.Serializer,), {
    "__doc__": "A milestone whose health changed between since and as_of.",
    "milestone": serializers.IntegerField(help_text="The milestone's id."),
    "title_ja": serializers.CharField(),
    "from": serializers.ChoiceField(choices=Health.choices),
    "to": serializers.ChoiceField(choices=Health.choices),
    "on": serializers.DateField(),
    "by": serializers.IntegerField(allow_null=True, help_text="The id of who changed it."),
})


class ReportStaleInitiativeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name_ja = serializers.CharField()
    last_update = serializers.DateField(allow_null=True,
                                        help_text="The latest status update's date.")


class ReportUnownedInitiativeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name_ja = serializers.CharField()


class ReportUnownedMilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title_ja = serializers.CharField()
    planned_due_on = serializers.DateField()


class ReportUnownedSerializer(serializers.Serializer):
    """Work nobody who can be told is responsible for."""

    initiatives = ReportUnownedInitiativeSerializer(many=True)
    milestones = ReportUnownedMilestoneSerializer(many=True)


class ReportPlaceFiguresSerializer(serializers.Serializer):
    """The figures of a region, country or strategic field."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name_ja = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    total = serializers.IntegerField(min_value=0)
    overdue = serializers.IntegerField(min_value=0)
    done = serializers.IntegerField(min_value=0)
    red = serializers.IntegerField(min_value=0)
    slipped = serializers.IntegerField(min_value=0)


class ReportInitiativeFiguresSerializer(ReportPlaceFiguresSerializer):
    """The figures of an initiative over its subtree, in the tree's order."""

    depth = serializers.IntegerField(min_value=0, help_text="Below the report's top level.")


class ReportKPIMeasurementSerializer(serializers.Serializer):
    period_on = serializers.DateField()
    value = _decimal()


class ReportKPISerializer(serializers.Serializer):
    """A KPI against its target, with the verdict of its observed trend."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name_ja = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    unit = serializers.ChoiceField(choices=KPIUnit.choices)
    direction = serializers.ChoiceField(choices=KPIDirection.choices)
    baseline_value = _decimal(allow_null=True)
    baseline_year = serializers.IntegerField(allow_null=True)
    latest_value = _decimal(allow_null=True)
    latest_period = serializers.DateField(allow_null=True)
    target_value = _decimal(allow_null=True)
    target_year = serializers.IntegerField(allow_null=True)
    percent_of_way = serializers.FloatField(allow_null=True)
    required_annual_growth = serializers.FloatField(allow_null=True,
                                                    help_text="A share: 0.241 is 24.1 %.")
    observed_annual_growth = serializers.FloatField(allow_null=True)
    projected_value = serializers.FloatField(allow_null=True)
    verdict = serializers.ChoiceField(choices=list(VERDICTS))  # KPIVerdictEnum
    verdict_rule = serializers.CharField()
    measurements = ReportKPIMeasurementSerializer(many=True)


class ReportSerializer(serializers.Serializer):
    """The progress report of the portfolio (initiative null) or of one initiative's subtree,
    as of a day."""

    as_of = serializers.DateField()
    since = serializers.DateField(help_text="Start of health_changes.")
    initiative = ReportInitiativeSerializer(allow_null=True)
    milestones = ReportMilestoneCountsSerializer()
    overdue = ReportMilestoneSerializer(many=True)
    due_soon = ReportMilestoneSerializer(many=True)
    slipped = ReportMilestoneSerializer(many=True, help_text="The longest slip first.")
    burn_up = ReportBurnUpPointSerializer(many=True)
    timeline = ReportTimelineSerializer(allow_null=True)
    health_changes = ReportHealthChangeSerializer(many=True)
    stale_initiatives = ReportStaleInitiativeSerializer(many=True)
    unowned = ReportUnownedSerializer()
    by_region = ReportPlaceFiguresSerializer(many=True)
    by_country = ReportPlaceFiguresSerializer(many=True)
    by_field = ReportPlaceFiguresSerializer(many=True)
    by_initiative = ReportInitiativeFiguresSerializer(many=True)
    kpis = ReportKPISerializer(many=True)


@extend_schema_field(ReportSerializer)
class ReportFiguresField(serializers.JSONField):
    """A progress report's figures: the report as of its figures_as_of, stored as it was
    (frozen once approved)."""
