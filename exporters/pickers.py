"""The category and market pickers of the exporter forms (profile, registration).

Markets are checkboxes grouped by region, each group a fieldset, with the current choice
written above them; a small script (static/exporters/market_picker.js) adds a filter box.
Without the script it is the same list of checkboxes, complete and usable. Japan is not
offered: it is where the companies export from, not to.
"""

from collections import defaultdict
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from programs.models import Country, ProductCategory, Region
from programs.services.reminders.messages import in_language

HOME_COUNTRY = "JP"


def export_markets() -> QuerySet[Country]:
    return Country.objects.exclude(iso2=HOME_COUNTRY).select_related("region")


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
        by_region: dict[Region | None, list[Country]] = defaultdict(list)
        for country in self.countries():
            by_region[country.region].append(country)
        name = "name_en" if get_language() == "en" else "name_ja"
        regions = sorted((r for r in by_region if r is not None), key=lambda r: (r.order, r.code))
        groups: list[tuple[str, list[Country]]] = [
            (in_language(region, "name"), by_region[region]) for region in regions]
        if by_region[None]:
            groups.append((str(_("Other countries and regions")), by_region[None]))
        return [(title, [(str(c.pk), in_language(c, "name"))
                         for c in sorted(countries, key=lambda c: getattr(c, name) or c.name_ja)])
                for title, countries in groups]

    def get_bound_field(self, form, field_name):
        # Built when the form is shown, so the names follow the reader's language.
        self.widget.choices = self.grouped_choices()
        self.widget.search_text = {str(c.pk): f"{c.name_ja} {c.name_en} {c.iso2}"
                                   for c in self.countries()}
        return super().get_bound_field(form, field_name)


class CategoriesField(forms.ModelMultipleChoiceField):
    """Product categories, at least one, as a group of checkboxes under one legend."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("product categories"))
        super().__init__(queryset=ProductCategory.objects.order_by("order"), **kwargs)

    def label_from_instance(self, obj: ProductCategory) -> str:
        return in_language(obj, "name")
