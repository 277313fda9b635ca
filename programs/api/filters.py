"""FilterSets: the filters each list offers, named in the users' words."""

from typing import Any, TypeVar

import django_filters
from django import forms
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OPENAPI_TYPE_MAPPING, OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.models import Organisation
from tracker.dates import check_date_in_range

from ..models import (
    KPI,
    Country,
    CountryAction,
    CountryPlan,
    Health,
    Initiative,
    InitiativeStatus,
    Milestone,
    Notification,
    ProductCategory,
    ProgressReport,
    Project,
    ProjectPhase,
    Region,
    ReportStatus,
    StrategicField,
    SupportKind,
    SupportMeasure,
    WorkStatus,
)
from ..selectors.initiatives import initiative_subtree
from ..selectors.milestones import (
    PLACE_LOOKUPS,
    SLIPPED,
    in_place,
    overdue_count,
    overdue_on,
)
from ..selectors.support import fits_categories, fits_markets
from ..services.common import today

F = TypeVar("F", bound=django_filters.Filter)
M = TypeVar("M", bound=Model)


def sent_as(openapi_type: OpenApiTypes, filter_: F) -> F:
    """Document what a client sends to a filter that hands its method a record (a code or an
    id, not the record). The schema given replaces the derived one, label included."""
    schema = {**(OPENAPI_TYPE_MAPPING[openapi_type] or {}), "description": filter_.label}
    # Its hints cover classes and functions; its documentation decorates filters like this.
    return extend_schema_field(schema)(filter_)  # type: ignore[type-var]


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A record id: a positive integer that fits the database's id column."""

    field_class = forms.IntegerField  # type: ignore[assignment]  # NumberFilter's is a decimal

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class DateInRangeFilter(django_filters.DateFilter):
    """A date within the range every date of the tracker lies in (code date_out_of_range)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [check_date_in_range])
        super().__init__(*args, **kwargs)


class _TrueOrFalse(forms.NullBooleanField):
    """true or false (True/False, 1/0 too); empty: no filter; anything else refused. Django's
    own reads anything else as no filter at all, so `?overdue=maybe` listed everything."""

    widget = forms.TextInput  # the select Django gives reads any other word as empty
    default_error_messages = {"invalid": _("Give true or false.")}

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]  # None: no filter
        if value in (None, ""):
            return None
        if value in (True, "True", "true", "1"):
            return True
        if value in (False, "False", "false", "0"):
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class TrueOrFalseFilter(django_filters.BooleanFilter):
    field_class = _TrueOrFalse


class _CodeInAnyCase(django_filters.fields.ModelChoiceField):
    """A record by its code, as written in capitals or not (sg, SG)."""

    def to_python(self, value: Any) -> Any:
        return super().to_python(value.upper() if isinstance(value, str) else value)


class RecordFilter(django_filters.ModelChoiceFilter):
    """A record by its code or id; one that does not exist is named in the 400 (Django's
    message says only that the choice is not available)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {
            "invalid_choice": _("There is no “%(value)s”: check the code or id.")})
        super().__init__(*args, **kwargs)


class CodeInAnyCaseFilter(RecordFilter):
    field_class = _CodeInAnyCase


def _within(queryset: QuerySet[M], initiative: Initiative | None,
            lookup: str = "initiative") -> QuerySet[M]:
    """Rows of `initiative` or of any initiative below it."""
    if not initiative:
        return queryset
    return queryset.filter(**{f"{lookup}__in": initiative_subtree(initiative).values("pk")})


class PlaceFilterMixin(django_filters.FilterSet):
    """country / region / field through the initiative (and the project, for milestones)."""

    country = sent_as(OpenApiTypes.STR, RecordFilter(
        queryset=Country.objects.all(), to_field_name="iso2", method="filter_place",
        label=_("country (ISO code)")))
    region = sent_as(OpenApiTypes.STR, RecordFilter(
        queryset=Region.objects.all(), to_field_name="code", method="filter_place",
        label=_("region (code)")))
    field = sent_as(OpenApiTypes.STR, RecordFilter(
        queryset=StrategicField.objects.all(), to_field_name="code", method="filter_place",
        label=_("strategic field (code)")))

    place_paths: dict[str, tuple[str, ...]] = {}

    def filter_place(self, queryset: QuerySet[Any], name: str,
                     value: Country | Region | StrategicField) -> QuerySet[Any]:
        condition = Q()
        for path in self.place_paths[name]:
            condition |= Q(**{path: value})
        return queryset.filter(pk__in=queryset.model.objects.filter(condition).values("pk"))


class MilestoneFilter(PlaceFilterMixin):
    status = django_filters.MultipleChoiceFilter(choices=WorkStatus.choices)
    health = django_filters.MultipleChoiceFilter(choices=Health.choices)
    owner = IdFilter(field_name="owner_id")
    initiative = sent_as(OpenApiTypes.INT, RecordFilter(
        queryset=Initiative.objects.all(), method="filter_initiative",
        label=_("initiative (id), with the initiatives below it")))
    project = IdFilter(field_name="project_id")
    due_before = DateInRangeFilter(field_name="planned_due_on", lookup_expr="lte")
    due_after = DateInRangeFilter(field_name="planned_due_on", lookup_expr="gte")
    overdue = TrueOrFalseFilter(method="filter_overdue")
    slipped = TrueOrFalseFilter(method="filter_slipped")

    class Meta:
        model = Milestone
        fields = ()

    def filter_place(self, queryset: QuerySet[Milestone], name: str,
                     value: Country | Region | StrategicField) -> QuerySet[Milestone]:
        return queryset.filter(in_place(name, value))

    def filter_initiative(self, queryset: QuerySet[Milestone], name: str,
                          value: Initiative) -> QuerySet[Milestone]:
        return _within(queryset, value)

    def filter_overdue(self, queryset: QuerySet[Milestone], name: str,
                       value: bool) -> QuerySet[Milestone]:
        overdue = overdue_on(today())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_slipped(self, queryset: QuerySet[Milestone], name: str,
                       value: bool) -> QuerySet[Milestone]:
        return queryset.filter(SLIPPED) if value else queryset.exclude(SLIPPED)

    def tallied_count(self, *, searched: bool) -> int | None:
        """How many milestones these filters select, from the open-work tally, when they ask
        only what it counts: overdue work, anywhere or in one place, not searched (None:
        they ask more, and the list counts its rows). "Overdue in a region" then costs the
        same however many milestones there are. The tally counts every milestone: the list is
        for those who see them all (milestones_visible_to)."""
        given = {name for name, value in self.form.cleaned_data.items()
                 if value not in (None, "", [])}
        places = given & PLACE_LOOKUPS.keys()
        if (searched or self.form.cleaned_data.get("overdue") is not True
                or given - places != {"overdue"} or len(places) > 1):
            return None
        place = self.form.cleaned_data[places.pop()] if places else None
        return overdue_count(today(), place)


class InitiativeFilter(PlaceFilterMixin):
    parent = IdFilter(field_name="parent_id")
    root = TrueOrFalseFilter(field_name="parent", lookup_expr="isnull",
                                        label=_("top-level initiatives only"))
    descendants_of = sent_as(OpenApiTypes.INT, RecordFilter(
        queryset=Initiative.objects.all(), method="filter_descendants",
        label=_("initiatives below this one (id)")))
    status = django_filters.MultipleChoiceFilter(choices=InitiativeStatus.choices)
    health = django_filters.MultipleChoiceFilter(choices=Health.choices)
    owner = IdFilter(field_name="owner_id")
    code = django_filters.CharFilter(field_name="code")

    place_paths = {"country": ("countries",), "region": ("countries__region",),
                   "field": ("fields",)}

    class Meta:
        model = Initiative
        fields = ()

    def filter_descendants(self, queryset: QuerySet[Initiative], name: str,
                           value: Initiative) -> QuerySet[Initiative]:
        return _within(queryset, value, lookup="pk").exclude(pk=value.pk)


class ProjectFilter(PlaceFilterMixin):
    initiative = sent_as(OpenApiTypes.INT, RecordFilter(
        queryset=Initiative.objects.all(), method="filter_initiative",
        label=_("initiative (id), with the initiatives below it")))
    phase = django_filters.MultipleChoiceFilter(choices=ProjectPhase.choices)

    place_paths = {"country": ("countries",), "region": ("countries__region",),
                   "field": ("initiative__fields",)}

    class Meta:
        model = Project
        fields = ()

    def filter_initiative(self, queryset: QuerySet[M], name: str,
                          value: Initiative) -> QuerySet[M]:
        return _within(queryset, value)


class CountryFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code")
    in_regional_tables = TrueOrFalseFilter(
        field_name="region", lookup_expr="isnull", exclude=True,
        label=_("only the countries of the six regional tables"))

    class Meta:
        model = Country
        fields = ()


class CountryPlanFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="country__region__code")
    country = django_filters.CharFilter(field_name="country__iso2")
    field = django_filters.CharFilter(field_name="fields__code", distinct=True)

    class Meta:
        model = CountryPlan
        fields = ()


class CountryActionFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="plan__country__region__code")
    country = django_filters.CharFilter(field_name="plan__country__iso2")
    status = django_filters.MultipleChoiceFilter(choices=WorkStatus.choices)
    owner = IdFilter(field_name="owner_id")

    class Meta:
        model = CountryAction
        fields = ()


class KPIFilter(django_filters.FilterSet):
    initiative = sent_as(OpenApiTypes.INT, RecordFilter(
        queryset=Initiative.objects.all(), method="filter_initiative",
        label=_("initiative (id), with the initiatives below it")))

    class Meta:
        model = KPI
        fields = ("unit", "direction")

    def filter_initiative(self, queryset: QuerySet[M], name: str,
                          value: Initiative) -> QuerySet[M]:
        return _within(queryset, value)


class SupportMeasureFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=SupportKind.choices)
    provider = sent_as(OpenApiTypes.STR, RecordFilter(
        field_name="provider", queryset=Organisation.objects.all(), to_field_name="code",
        label=_("provider (organisation code)")))
    product_category = sent_as(OpenApiTypes.STR, RecordFilter(
        queryset=ProductCategory.objects.all(), to_field_name="code",
        method="filter_product_category", label=_("product category (code)")))
    category = sent_as(OpenApiTypes.STR, RecordFilter(
        queryset=ProductCategory.objects.all(), to_field_name="code",
        method="filter_product_category", label=_("product category (code)")))
    open_now = TrueOrFalseFilter(method="filter_open_now",
                                 label=_("only measures open for applications today"))
    market = sent_as(OpenApiTypes.STR, CodeInAnyCaseFilter(
        queryset=Country.objects.all(), to_field_name="iso2", method="filter_market",
        label=_("target market (ISO code)")))

    class Meta:
        model = SupportMeasure
        fields = ()

    # A measure with no categories (or markets) listed fits every category (or market).
    def filter_product_category(self, queryset: QuerySet[SupportMeasure], name: str,
                                value: ProductCategory) -> QuerySet[SupportMeasure]:
        return queryset.filter(fits_categories([value.code]))

    def filter_open_now(self, queryset: QuerySet[SupportMeasure], name: str,
                        value: bool) -> QuerySet[SupportMeasure]:
        on = today()
        open_now = (Q(opens_on__isnull=True) | Q(opens_on__lte=on)) & (
            Q(closes_on__isnull=True) | Q(closes_on__gte=on))
        return queryset.filter(open_now) if value else queryset.exclude(open_now)

    def filter_market(self, queryset: QuerySet[SupportMeasure], name: str,
                      value: Country) -> QuerySet[SupportMeasure]:
        return queryset.filter(fits_markets([value.iso2]))


class NotificationFilter(django_filters.FilterSet):
    unread = TrueOrFalseFilter(field_name="read_at", lookup_expr="isnull",
                                          label=_("only unread notifications"))

    class Meta:
        model = Notification
        fields = ("kind",)


class ProgressReportFilter(django_filters.FilterSet):
    initiative = sent_as(OpenApiTypes.INT, RecordFilter(
        queryset=Initiative.objects.all(), method="filter_initiative",
        label=_("initiative (id), with the initiatives below it")))
    status = django_filters.MultipleChoiceFilter(choices=ReportStatus.choices)
    period = django_filters.CharFilter()

    class Meta:
        model = ProgressReport
        fields = ()

    def filter_initiative(self, queryset: QuerySet[M], name: str,
                          value: Initiative) -> QuerySet[M]:
        return _within(queryset, value)
