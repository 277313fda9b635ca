"""Write validation: the short, explicit list of what a client may send for each write.
Ownership, versions, status history and audit fields are never among them."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Organisation, User
from tracker.api.inputs import (
    ONE_LINE,
    CodeField,
    IdField,
    OneLineField,
    PlanningDateField,
    SelectedIdField,
    StrictBooleanField,
    StrictChoiceField,
    StrictDecimalField,
    StrictInput,
    WholeNumberField,
)

from ..models import (
    Country,
    Frequency,
    Health,
    Initiative,
    InitiativeStatus,
    Project,
    ProjectPhase,
    StrategicField,
    WorkStatus,
)
from ..models.initiative import REMINDER_DAYS_LEAST, REMINDER_DAYS_MOST
from ..models.progress_report import PERIOD_PATTERN
from ..selectors.access import initiatives_visible_to, projects_visible_to


def users():
    return User.objects.filter(is_active=True)


class MilestoneCreateInput(StrictInput):
    initiative = SelectedIdField(selector=initiatives_visible_to, model=Initiative)
    project = SelectedIdField(selector=projects_visible_to, model=Project, required=False,
                              allow_null=True)
    title_ja = OneLineField(max_length=300)
    title_en = OneLineField(max_length=300, required=False, allow_blank=True)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    owner = IdField(queryset=users())
    planned_due_on = PlanningDateField()
    baseline_due_on = PlanningDateField(required=False)
    health = StrictChoiceField(choices=Health.choices, required=False)
    percent_complete = WholeNumberField(min_value=0, max_value=100, required=False)


class MilestoneUpdateInput(MilestoneCreateInput):
    """PATCH a milestone; `status` moves are checked against the workflow by the service."""

    status = StrictChoiceField(choices=WorkStatus.choices, required=False)
    completed_on = PlanningDateField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("initiative")


class TransitionInput(StrictInput):
    to = StrictChoiceField(choices=WorkStatus.choices)
    completed_on = PlanningDateField(required=False, allow_null=True)


class StatusUpdateInput(StrictInput):
    reported_on = PlanningDateField(required=False)
    summary = serializers.CharField(max_length=10000)
    risks = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    next_steps = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    health = StrictChoiceField(choices=Health.choices, required=False)


class InitiativeUpdateInput(StrictInput):
    """What an initiative's owner may change (administrators also rename and move it)."""

    summary_ja = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    summary_en = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    status = StrictChoiceField(choices=InitiativeStatus.choices, required=False)
    start_on = PlanningDateField(required=False, allow_null=True)
    end_on = PlanningDateField(required=False, allow_null=True)
    members = IdField(queryset=users(), many=True, required=False)
    health = StrictChoiceField(choices=Health.choices, required=False)
    health_note = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    name_ja = OneLineField(max_length=300, required=False)
    name_en = OneLineField(max_length=300, required=False, allow_blank=True)
    parent = SelectedIdField(  # type: ignore[assignment]
        selector=initiatives_visible_to, model=Initiative, required=False, allow_null=True)
    lead_organisation = CodeField(
        slug_field="code", queryset=Organisation.objects.all(), required=False, allow_null=True)
    owner = IdField(queryset=users(), required=False,
                                               allow_null=True)
    countries = CodeField(slug_field="iso2", queryset=Country.objects.all(),
                                             many=True, required=False)
    fields = CodeField(slug_field="code",  # type: ignore[assignment]
                                          queryset=StrategicField.objects.all(), many=True,
                                          required=False)
    reminder_due_soon_days = serializers.ListField(
        child=WholeNumberField(min_value=REMINDER_DAYS_LEAST, max_value=REMINDER_DAYS_MOST),
        allow_empty=False, allow_null=True, required=False, max_length=10)
    reminder_stale_after_days = WholeNumberField(min_value=REMINDER_DAYS_LEAST,
                                                 max_value=REMINDER_DAYS_MOST,
                                                 allow_null=True, required=False)

    def validate(self, data):
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_on": serializers.ErrorDetail(
                    _("The end date is before the start date."), code="ends_before_start")})  # type: ignore[arg-type]
        return data


class InitiativeCreateInput(InitiativeUpdateInput):
    code = serializers.RegexField(r"^[A-Z0-9][A-Z0-9-]*$", max_length=60,
                                  validators=[ONE_LINE])
    name_ja = OneLineField(max_length=300)


class HealthInput(StrictInput):
    health = StrictChoiceField(choices=Health.choices)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ProjectUpdateInput(StrictInput):
    name_ja = OneLineField(max_length=300, required=False)
    name_en = OneLineField(max_length=300, required=False, allow_blank=True)
    summary_ja = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    summary_en = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    theme_ja = OneLineField(max_length=100, required=False, allow_blank=True)
    theme_en = OneLineField(max_length=100, required=False, allow_blank=True)
    phase = StrictChoiceField(choices=ProjectPhase.choices, required=False)
    countries = CodeField(slug_field="iso2", queryset=Country.objects.all(),
                                             many=True, required=False)
    partners = CodeField(slug_field="code",
                                            queryset=Organisation.objects.all(), many=True,
                                            required=False)


class ProjectCreateInput(ProjectUpdateInput):
    initiative = SelectedIdField(selector=initiatives_visible_to, model=Initiative)
    code = serializers.RegexField(r"^[A-Z0-9][A-Z0-9-]*$", max_length=60,
                                  validators=[ONE_LINE])
    name_ja = OneLineField(max_length=300)


class CountryActionUpdateInput(StrictInput):
    text_en = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    owner = IdField(queryset=users(), required=False,
                                               allow_null=True)
    status = StrictChoiceField(choices=WorkStatus.choices, required=False)
    due_on = PlanningDateField(required=False, allow_null=True)
    completed_on = PlanningDateField(required=False, allow_null=True)


class KPIMeasurementInput(StrictInput):
    period_on = PlanningDateField()
    value = StrictDecimalField(max_digits=20, decimal_places=4)
    source = serializers.CharField(max_length=5000, required=False, allow_blank=True)  # type: ignore[assignment]


class NotificationPreferenceInput(StrictInput):
    enabled = StrictBooleanField(required=False)
    frequency = StrictChoiceField(choices=Frequency.choices, required=False)


class ReminderHourInput(StrictInput):
    hour = WholeNumberField(min_value=0, max_value=23)


class ProgressReportCreateInput(StrictInput):
    initiative = SelectedIdField(selector=initiatives_visible_to, model=Initiative)
    period = serializers.RegexField(PERIOD_PATTERN, max_length=7, validators=[ONE_LINE],
                                    error_messages={"invalid": _("Give a period like 2026-Q3.")})


class ProgressReportUpdateInput(StrictInput):
    narrative = serializers.CharField(max_length=50000, allow_blank=True, required=False)
    refresh_figures = StrictBooleanField(required=False)


class ReturnInput(StrictInput):
    reason = serializers.CharField(max_length=5000)
