"""Read serializers: what the API shows. Writes are validated by `inputs.py`."""

from django.utils import timezone
from rest_framework import serializers

from accounts.api.serializers import OrganisationBriefSerializer, UserBriefSerializer

from ..models import (
    KPI,
    Country,
    CountryAction,
    CountryPlan,
    CountryPlanField,
    Initiative,
    KPIMeasurement,
    Milestone,
    Notification,
    NotificationPreference,
    ProductCategory,
    ProgressReport,
    Project,
    Region,
    StatusUpdate,
    StrategicField,
    SupportMeasure,
)
from ..selectors.milestones import countries_of, is_overdue
from .report_schema import ReportFiguresField


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ("id", "code", "order", "name_ja", "name_en", "source_quote")


class CountrySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = Country
        fields = ("id", "iso2", "name_ja", "name_en", "region", "source_quote")


class StrategicFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = StrategicField
        fields = ("id", "code", "name_ja", "name_en", "variants", "source_quote")


class InitiativeBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Initiative
        fields = ("id", "code", "name_ja", "name_en")


class InitiativeSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)  # type: ignore[assignment, var-annotated]
    lead_organisation = OrganisationBriefSerializer(read_only=True, allow_null=True)
    owner = UserBriefSerializer(read_only=True, allow_null=True)
    members = UserBriefSerializer(many=True, read_only=True)
    health_set_by = UserBriefSerializer(read_only=True, allow_null=True)
    countries = serializers.SlugRelatedField(slug_field="iso2", many=True, read_only=True)  # type: ignore[var-annotated]
    fields = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)  # type: ignore[assignment, var-annotated]

    class Meta:
        model = Initiative
        fields = ("id", "code", "parent", "path", "depth", "name_ja", "name_en", "summary_ja",
                  "summary_en", "aliases", "lead_organisation", "owner", "members", "start_on",
                  "end_on", "status", "health", "health_note", "health_set_by", "health_set_at",
                  "countries", "fields", "reminder_due_soon_days", "reminder_stale_after_days",
                  "source_quote", "version", "created_at", "updated_at")


class ProjectSerializer(serializers.ModelSerializer):
    initiative = InitiativeBriefSerializer(read_only=True)
    countries = serializers.SlugRelatedField(slug_field="iso2", many=True, read_only=True)  # type: ignore[var-annotated]
    partners = OrganisationBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = ("id", "code", "initiative", "name_ja", "name_en", "summary_ja", "summary_en",
                  "theme_ja", "theme_en", "phase", "countries", "partners", "source_quote",
                  "version", "created_at", "updated_at")


class MilestoneSerializer(serializers.ModelSerializer):
    initiative = InitiativeBriefSerializer(read_only=True)
    project = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)  # type: ignore[var-annotated]
    owner = UserBriefSerializer(read_only=True)
    slip_days = serializers.IntegerField(read_only=True)
    is_overdue = serializers.SerializerMethodField()
    countries = serializers.SerializerMethodField(
        help_text="ISO codes of the countries the milestone is in (its initiative's and its "
                  "project's).")

    class Meta:
        model = Milestone
        fields = ("id", "initiative", "project", "countries", "title_ja", "title_en",
                  "description", "owner", "planned_due_on", "baseline_due_on", "slip_days",
                  "is_overdue", "status", "completed_on", "health", "percent_complete",
                  "version", "created_at", "updated_at")

    def get_is_overdue(self, milestone) -> bool:
        return is_overdue(milestone, timezone.localdate())

    def get_countries(self, milestone) -> list[str]:
        return countries_of([(milestone.id, milestone.initiative_id,
                              milestone.project_id)])[milestone.id]


class StatusUpdateSerializer(serializers.ModelSerializer):
    author = UserBriefSerializer(read_only=True)

    class Meta:
        model = StatusUpdate
        fields = ("id", "milestone", "initiative", "author", "reported_on", "summary", "risks",
                  "next_steps", "health", "version", "created_at")


class KPIMeasurementSerializer(serializers.ModelSerializer):
    recorded_by = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = KPIMeasurement
        fields = ("id", "kpi", "period_on", "value", "source", "recorded_by", "version",
                  "created_at")


class KPISerializer(serializers.ModelSerializer):
    initiative = InitiativeBriefSerializer(read_only=True, allow_null=True)
    measurements = KPIMeasurementSerializer(many=True, read_only=True)

    class Meta:
        model = KPI
        fields = ("id", "code", "initiative", "name_ja", "name_en", "unit", "direction",
                  "baseline_value", "baseline_year", "target_value", "target_year",
                  "source_quote", "measurements")


class CountryPlanFieldSerializer(serializers.ModelSerializer):
    field = StrategicFieldSerializer(read_only=True)

    class Meta:
        model = CountryPlanField
        fields = ("field", "mp_adopted")


class CountryActionSerializer(serializers.ModelSerializer):
    owner = UserBriefSerializer(read_only=True, allow_null=True)
    country = serializers.CharField(source="plan.country.iso2", read_only=True)

    class Meta:
        model = CountryAction
        fields = ("id", "plan", "country", "order", "text_ja", "text_en", "owner", "status",
                  "due_on", "completed_on", "version", "updated_at")


class CountryPlanSerializer(serializers.ModelSerializer):
    country = CountrySerializer(read_only=True)
    initiative = InitiativeBriefSerializer(read_only=True)
    fields = CountryPlanFieldSerializer(source="plan_fields", many=True, read_only=True)  # type: ignore[assignment]
    actions = CountryActionSerializer(many=True, read_only=True)

    class Meta:
        model = CountryPlan
        fields = ("id", "country", "initiative", "fields_quote", "fields", "actions")


class ProductCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductCategory
        fields = ("code", "name_ja", "name_en")


class SupportMeasureSerializer(serializers.ModelSerializer):
    provider = OrganisationBriefSerializer(read_only=True, allow_null=True)
    product_categories = ProductCategorySerializer(many=True, read_only=True)
    target_markets = serializers.SlugRelatedField(slug_field="iso2", many=True, read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = SupportMeasure
        fields = ("id", "code", "kind", "name_ja", "name_en", "summary_ja", "summary_en",
                  "description_ja", "description_en", "provider", "product_categories",
                  "target_markets", "opens_on", "closes_on", "url", "contact", "source_quote",
                  "is_published")


class NotificationSerializer(serializers.ModelSerializer):
    subject_type = serializers.CharField(source="subject_type.model", read_only=True)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ("id", "kind", "title", "body", "subject_type", "subject_id", "created_at",
                  "read_at", "is_read")

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class NotificationPreferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = NotificationPreference
        fields = ("kind", "enabled", "frequency")


class ReminderHourSerializer(serializers.Serializer):
    hour = serializers.IntegerField(min_value=0, max_value=23)
    time_zone = serializers.CharField()


class ProgressReportSerializer(serializers.ModelSerializer):
    initiative = InitiativeBriefSerializer(read_only=True)
    figures = ReportFiguresField(read_only=True)
    prepared_by = UserBriefSerializer(read_only=True)
    submitted_by = UserBriefSerializer(read_only=True, allow_null=True)
    reviewed_by = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ProgressReport
        fields = ("id", "initiative", "period", "status", "narrative", "figures",
                  "figures_as_of", "prepared_by", "submitted_by", "submitted_at",
                  "reviewed_by", "reviewed_at", "return_reason", "version", "created_at",
                  "updated_at")


class ProgressReportListSerializer(ProgressReportSerializer):
    """The list leaves out the figures, which can be large."""

    class Meta(ProgressReportSerializer.Meta):
        fields = tuple(f for f in ProgressReportSerializer.Meta.fields if f != "figures")  # type: ignore[assignment]
