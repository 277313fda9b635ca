"""An exporter's page of fitting measures built straight from the fits: the companies' most
read page. Through FitSerializer and SupportMeasureSerializer a page of 50 costs more than
its query; built here, a fraction of it.

The output is FitSerializer's, field for field (tests/exporters/test_fit_rows.py holds the
two equal), and the schema still documents the serializer.
"""

from datetime import date

from programs.models import SupportMeasure
from programs.selectors.support import Fit, categories_of, markets_of

from ..cards import matched_names


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _measure(measure: SupportMeasure) -> dict:
    provider = measure.provider
    return {
        "id": measure.pk, "code": measure.code, "kind": measure.kind,
        "name_ja": measure.name_ja, "name_en": measure.name_en,
        "summary_ja": measure.summary_ja, "summary_en": measure.summary_en,
        "description_ja": measure.description_ja, "description_en": measure.description_en,
        "provider": provider and {
            "id": provider.pk, "code": provider.code, "name_ja": provider.name_ja,
            "name_en": provider.name_en, "abbreviation": provider.abbreviation},
        "product_categories": [
            {"code": category.code, "name_ja": category.name_ja, "name_en": category.name_en}
            for category in categories_of(measure)],
        "target_markets": [country.iso2 for country in markets_of(measure)],
        "opens_on": _day(measure.opens_on), "closes_on": _day(measure.closes_on),
        "url": measure.url, "contact": measure.contact, "source_quote": measure.source_quote,
        "is_published": measure.is_published,
    }


def fit_representations(fits: list[Fit]) -> list[dict]:
    """A page of fits (their measures' categories and markets prefetched) as the API shows
    them."""
    shown = []
    for fit in fits:
        category_names, market_names = matched_names(fit)
        shown.append({
            "measure": _measure(fit.measure), "score": fit.score,
            "matched_categories": list(fit.categories) if fit.categories else None,
            "matched_markets": list(fit.markets) if fit.markets else None,
            "matched_category_names": category_names, "matched_market_names": market_names,
            "window": fit.window})
    return shown
