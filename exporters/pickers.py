"""The category and market pickers of the exporter forms (profile, registration).

Markets are checkboxes grouped by region, each group a fieldset, with the current choice
written above them; a small script (static/exporters/market_picker.js) adds a filter box.
Without the script it is the same list of checkboxes, complete and usable. Japan is not
offered: it is where the companies export from, not to.

A country's region is the strategy's: one of its six regional tables, which the reports sum
by. Many of the largest food markets (China, Hong Kong, the United States …) are in no table,
so their region is empty; the picker shows them under areas of its own (PICKER_AREAS), or
beside the table whose area they are in (Kuwait under 中東), without touching the reports.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from programs.models import Country, ProductCategory, Region
from programs.reporting.labels import in_language

from .selectors import export_markets


@dataclass(frozen=True)
class PickerArea:
    """A group of the market picker that is not one of the strategy's regions."""

    code: str
    name_ja: str
    name_en: str


EAST_ASIA = PickerArea("EAST_ASIA", "東アジア", "East Asia")
NORTH_AMERICA = PickerArea("NORTH_AMERICA", "北米", "North America")
EUROPE = PickerArea("EUROPE", "欧州", "Europe")
PICKER_AREAS = (EAST_ASIA, NORTH_AMERICA, EUROPE)
# Where a country without a strategy region is shown: a picker area, or the code of the
# strategy region of its area (アジア大洋州 takes in Oceania, 中東 the Gulf and Iran).
AREA_OF_COUNTRY: dict[str, PickerArea | str] = {
    "CN": EAST_ASIA, "HK": EAST_ASIA, "TW": EAST_ASIA, "KR": EAST_ASIA, "MO": EAST_ASIA,
    "US": NORTH_AMERICA, "CA": NORTH_AMERICA,
    "GB": EUROPE, "FR": EUROPE, "DE": EUROPE, "IT": EUROPE, "NL": EUROPE, "ES": EUROPE,
    "BE": EUROPE, "CH": EUROPE, "RU": EUROPE, "UA": EUROPE,
    "AU": "ASIA_PACIFIC", "NZ": "ASIA_PACIFIC",
    "KW": "MIDDLE_EAST", "IR": "MIDDLE_EAST",
}
# The order of the groups, the largest food markets first; a region not named here follows
# in its own order, then whatever has no group (その他の国・地域).
GROUP_ORDER = ("EAST_ASIA", "ASIA_PACIFIC", "NORTH_AMERICA", "EUROPE", "SOUTHWEST_ASIA",
               "MIDDLE_EAST", "AFRICA", "CENTRAL_ASIA_CAUCASUS", "LATIN_AMERICA")


class MarketCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "exporters/widgets/market_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.search_text: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        # What the filter box matches: both names and the ISO code.
        option["attrs"]["data-search"] = self.search_text.get(str(value), "")
        return option

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["picked"] = [
            option["label"] for _group, options, _index in context["widget"]["optgroups"]
            for option in options if option["selected"]]
        return context


class MarketsField(forms.ModelMultipleChoiceField):
    """Export markets, at least one, offered grouped by region in the reader's language."""

    widget = MarketCheckboxes

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("target markets"))
        super().__init__(queryset=export_markets(), **kwargs)

    def countries(self) -> QuerySet[Country]:
        assert self.queryset is not None  # set in __init__
        return self.queryset

    def grouped_choices(self) -> list[tuple[str, list[tuple[str, str]]]]:
        regions = {country.region.code: country.region
                   for country in self.countries() if country.region is not None}
        by_group: dict[Region | PickerArea | None, list[Country]] = defaultdict(list)
        for country in self.countries():
            by_group[_group_of(country, regions)].append(country)

        def position(group: Region | PickerArea) -> tuple[int, int, str]:
            if group.code in GROUP_ORDER:
                return (GROUP_ORDER.index(group.code), 0, group.code)
            return (len(GROUP_ORDER), getattr(group, "order", 0), group.code)

        named = sorted((g for g in by_group if g is not None), key=position)
        groups: list[tuple[str, list[Country]]] = [
            (in_language(group, "name"), by_group[group]) for group in named]
        if by_group[None]:
            groups.append((str(_("Other countries and regions")), by_group[None]))
        name = "name_en" if get_language() == "en" else "name_ja"
        return [(title, [(str(c.pk), in_language(c, "name"))
                         for c in sorted(countries, key=lambda c: getattr(c, name) or c.name_ja)])
                for title, countries in groups]

    def get_bound_field(self, form, field_name):
        # Built when the form is shown, so the names follow the reader's language.
        self.widget.choices = self.grouped_choices()
        self.widget.search_text = {str(c.pk): f"{c.name_ja} {c.name_en} {c.iso2}"
                                   for c in self.countries()}
        return super().get_bound_field(form, field_name)


def _group_of(country: Country,
              regions: dict[str, Region]) -> Region | PickerArea | None:
    if country.region is not None:
        return country.region
    area = AREA_OF_COUNTRY.get(country.iso2)
    if isinstance(area, str):  # a strategy region's area: with that region, if it is offered
        return regions.get(area)
    return area


class CategoriesField(forms.ModelMultipleChoiceField):
    """Product categories, at least one, as a group of checkboxes under one legend."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("product categories"))
        super().__init__(queryset=ProductCategory.objects.order_by("order"), **kwargs)

    def label_from_instance(self, obj: ProductCategory) -> str:
        return in_language(obj, "name")
