"""List filters for milestones: place (country, region, field) and schedule (overdue, slipped)."""

from django.contrib import admin
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from ..models import Country, Region, StrategicField
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
