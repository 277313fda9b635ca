"""List filters for milestones: quick ones at the top of the list (mine, overdue, due soon,
slipped, blocked), long ones (initiative, owner, place) as searchable drop-downs; for
progress reports: the period."""

from django.contrib import admin
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from ..models import Country, ProgressReport, Region, StrategicField, WorkStatus
from ..reporting import labels
from ..selectors.milestones import SLIPPED, due_within, in_place, overdue_on
from ..services.common import today

# A filter with this template is offered at the top of the list, not in the sidebar.
AT_THE_TOP = "admin/programs/filter_at_the_top.html"
# A filter with many choices: a drop-down with a search box (programs/list_filters.js).
DROPDOWN = "admin/programs/dropdown_filter.html"
DUE_SOON_DAYS = 14


class _PlaceFilter(admin.SimpleListFilter):
    """A milestone is in a place when its initiative or its project is."""

    model: type[Model]  # the place's model, set by each filter
    template = DROPDOWN

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


class RelatedDropdownFilter(admin.RelatedFieldListFilter):
    template = DROPDOWN


class OwnerFilter(admin.RelatedOnlyFieldListFilter):
    template = DROPDOWN


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"
    template = AT_THE_TOP

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        overdue = overdue_on(today())
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


class DueSoonFilter(admin.SimpleListFilter):
    title = _("due soon")
    parameter_name = "due_within"
    template = AT_THE_TOP

    def lookups(self, request, model_admin):
        return [(str(DUE_SOON_DAYS), _("Due in %(days)d days") % {"days": DUE_SOON_DAYS})]

    def queryset(self, request, queryset):
        if self.value() == str(DUE_SOON_DAYS):
            return queryset.filter(due_within(today(), DUE_SOON_DAYS))
        return queryset


class SlippedFilter(admin.SimpleListFilter):
    title = _("slipped against baseline")
    parameter_name = "slipped"
    template = AT_THE_TOP

    def lookups(self, request, model_admin):
        return [("yes", _("Slipped")), ("no", _("On baseline or earlier"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(SLIPPED)
        if self.value() == "no":
            return queryset.exclude(SLIPPED)
        return queryset


def quick_filters(user):
    """The filters at the top of the milestone list: (label, the query parameters)."""
    return [
        (_("Mine"), {"owner__id__exact": str(user.pk)}),
        (_("Overdue"), {"overdue": "yes"}),
        (_("Due in %(days)d days") % {"days": DUE_SOON_DAYS},
         {"due_within": str(DUE_SOON_DAYS)}),
        (_("Slipped"), {"slipped": "yes"}),
        (_("Blocked"), {"status__exact": WorkStatus.BLOCKED.value}),
    ]


def quick_filter_links(changelist, user):
    """Each quick filter as a link that turns it on (keeping the other filters) or, when it
    is on, off."""
    links = []
    for label, params in quick_filters(user):
        active = all(changelist.params.get(name) == value for name, value in params.items())
        url = (changelist.get_query_string(remove=list(params)) if active
               else changelist.get_query_string(new_params=params, remove=["p"]))
        links.append({"label": label, "url": url, "active": active})
    return links


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
