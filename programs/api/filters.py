"""FilterSets: the filters each list offers, named in the users' words."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracker.api.inputs import check_date_in_range

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
from ..selectors.milestones import SLIPPED, in_place, overdue_on
from ..selectors.support import fits_categories, fits_markets
from ..services.common import today


class IdFilter(django_filters.NumberFilter):
    """A record id: a positive integer that fits the database's id column."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class DateInRangeFilter(django_filters.DateFilter):
    """A date within the range every date of the tracker lies in (code date_out_of_range)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [check_date_in_range])
        super().__init__(*args, **kwargs)


def _within(queryset, initiative, lookup="initiative"):
    """Rows of `initiative` or of any initiative below it."""
    if not initiative:
        return queryset
    return queryset.filter(**{f"{lookup}__in": initiative_subtree(initiative).values("pk")})


class PlaceFilterMixin(django_filters.FilterSet):
    """country / region / field through the initiative (and the project, for milestones)."""

    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(), to_field_name="iso2", method="filter_place",
        label=_("country (ISO code)"))
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), to_field_name="code", method="filter_place",
        label=_("region (code)"))
    field = django_filters.ModelChoiceFilter(
        queryset=StrategicField.objects.all(), to_field_name="code", method="filter_place",
        label=_("strategic field (code)"))

    place_paths = {}

    # The hints document what a client sends (a code); the filter hands over the record.
    def filter_place(self, queryset, name, value: str):
        condition = Q()
        for path in self.place_paths[name]:
            condition |= Q(**{path: value})
        return queryset.filter(pk__in=queryset.model.objects.filter(condition).values("pk"))


class MilestoneFilter(PlaceFilterMixin):
    status = django_filters.MultipleChoiceFilter(choices=WorkStatus.choices)
    health = django_filters.MultipleChoiceFilter(choices=Health.choices)
    owner = IdFilter(field_name="owner_id")
    initiative = django_filters.ModelChoiceFilter(
        queryset=Initiative.objects.all(), method="filter_initiative",
        label=_("initiative (id), with the initiatives below it"))
    project = IdFilter(field_name="project_id")
    due_before = DateInRangeFilter(field_name="planned_due_on", lookup_expr="lte")
    due_after = DateInRangeFilter(field_name="planned_due_on", lookup_expr="gte")
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    slipped = django_filters.BooleanFilter(method="filter_slipped")

    class Meta:
        model = Milestone
        fields = ()

    def filter_place(self, queryset, name, value: str):
        return queryset.filter(in_place(name, value))

    def filter_initiative(self, queryset, name, value: int):
        return _within(queryset, value)

    def filter_overdue(self, queryset, name, value):
        overdue = overdue_on(today())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_slipped(self, queryset, name, value):
        return queryset.filter(SLIPPED) if value else queryset.exclude(SLIPPED)


class InitiativeFilter(PlaceFilterMixin):
    parent = IdFilter(field_name="parent_id")
    root = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull",
                                        label=_("top-level initiatives only"))
    descendants_of = django_filters.ModelChoiceFilter(
        queryset=Initiative.objects.all(), method="filter_descendants",
        label=_("initiatives below this one (id)"))
    status = django_filters.MultipleChoiceFilter(choices=InitiativeStatus.choices)
    health = django_filters.MultipleChoiceFilter(choices=Health.choices)
    owner = IdFilter(field_name="owner_id")
    code = django_filters.CharFilter(field_name="code")

    place_paths = {"country": ("countries",), "region": ("countries__region",),
                   "field": ("fields",)}

    class Meta:
        model = Initiative
        fields = ()

    def filter_descendants(self, queryset, name, value: int):
        return _within(queryset, value, lookup="pk").exclude(pk=value.pk)


class ProjectFilter(PlaceFilterMixin):
    initiative = django_filters.ModelChoiceFilter(
        queryset=Initiative.objects.all(), method="filter_initiative",
        label=_("initiative (id), with the initiatives below it"))
    phase = django_filters.MultipleChoiceFilter(choices=ProjectPhase.choices)

    place_paths = {"country": ("countries",), "region": ("countries__region",),
                   "field": ("initiative__fields",)}

    class Meta:
        model = Project
        fields = ()

    def filter_initiative(self, queryset, name, value: int):
        return _within(queryset, value)


class CountryFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code")
    in_regional_tables = django_filters.BooleanFilter(
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
    initiative = django_filters.ModelChoiceFilter(
        queryset=Initiative.objects.all(), method="filter_initiative",
        label=_("initiative (id), with the initiatives below it"))

    class Meta:
        model = KPI
        fields = ("unit", "direction")

    def filter_initiative(self, queryset, name, value: int):
        return _within(queryset, value)


class SupportMeasureFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=SupportKind.choices)
    provider = django_filters.CharFilter(field_name="provider__code",
                                         label=_("provider (organisation code)"))
    product_category = django_filters.CharFilter(method="filter_product_category",
                                                 label=_("product category (code)"))
    category = django_filters.CharFilter(method="filter_product_category",
                                         label=_("product category (code)"))
    open_now = django_filters.BooleanFilter(method="filter_open_now",
                                            label=_("only measures open for applications today"))
    market = django_filters.CharFilter(method="filter_market",
                                       label=_("target market (ISO code)"))

    class Meta:
        model = SupportMeasure
        fields = ()

    # A measure with no categories (or markets) listed fits every category (or market).
    def filter_product_category(self, queryset, name, value):
        return queryset.filter(fits_categories([value]))

    def filter_open_now(self, queryset, name, value):
        on = today()
        open_now = (Q(opens_on__isnull=True) | Q(opens_on__lte=on)) & (
            Q(closes_on__isnull=True) | Q(closes_on__gte=on))
        return queryset.filter(open_now) if value else queryset.exclude(open_now)

    def filter_market(self, queryset, name, value):
        return queryset.filter(fits_markets([value.upper()]))


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull",
                                          label=_("only unread notifications"))

    class Meta:
        model = Notification
        fields = ("kind",)


class ProgressReportFilter(django_filters.FilterSet):
    initiative = django_filters.ModelChoiceFilter(
        queryset=Initiative.objects.all(), method="filter_initiative",
        label=_("initiative (id), with the initiatives below it"))
    status = django_filters.MultipleChoiceFilter(choices=ReportStatus.choices)
    period = django_filters.CharFilter()

    class Meta:
        model = ProgressReport
        fields = ()

    def filter_initiative(self, queryset, name, value: int):
        return _within(queryset, value)
