"""List filters for milestones: place (country, region, field) and schedule (overdue, slipped);
for progress reports: the period."""

from django.contrib import admin
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from ..models import Country, ProgressReport, Region, StrategicField
from ..reporting import labels
from ..selectors.milestones import SLIPPED, in_place, overdue_on
from ..services.common import today


class _PlaceFilter(admin.SimpleListFilter):
    """A milestone is in a place when its initiative or its project is."""

    model: type[Model]  # the place's model, set by each filter

    def lookups(self, request, model_admin):
        return [(str(obj.pk), str(obj)) for obj in self.model._default_manager.all()]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(in_place(self.parameter_name, self.value()))  # type: ignore[arg-type]


class CountryFilter(_PlaceFilter):
    title = _("country")
    parameter_name = "country"
    model = Country

    def lookups(self, request, model_admin):
        countries = Country.objects.filter(region__isnull=False).order_by("region__order", "iso2")
        return [(str(c.pk), str(c)) for c in countries]


class RegionFilter(_PlaceFilter):
    title = _("region")
    parameter_name = "region"
    model = Region


class StrategicFieldFilter(_PlaceFilter):
    title = _("strategic field")
    parameter_name = "field"
    model = StrategicField


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        overdue = overdue_on(today())
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


class SlippedFilter(admin.SimpleListFilter):
    title = _("slipped against baseline")
    parameter_name = "slipped"

    def lookups(self, request, model_admin):
        return [("yes", _("Slipped")), ("no", _("On baseline or earlier"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(SLIPPED)
        if self.value() == "no":
            return queryset.exclude(SLIPPED)
        return queryset


class PeriodFilter(admin.SimpleListFilter):
    """Progress reports by period, each named as staff name it (2026年度 第3四半期 (10–12月))."""

    title = _("period")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        periods = ProgressReport.objects.order_by("-period").values_list(
            "period", flat=True).distinct()
        return [(period, labels.quarter(period)) for period in periods]

    def queryset(self, request, queryset):
        return queryset if self.value() is None else queryset.filter(period=self.value())
