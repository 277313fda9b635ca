"""Which support measures fit a company of given product categories and markets (the
exporters app asks this for its registered companies)."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ..models import Country, ProductCategory, SupportMeasure


@dataclass(frozen=True)
class Fit:
    """Why a measure fits: the exporter's categories and markets it names (None: it names
    none, so it is open to all), and whether it is open now, opens later or has no window."""

    measure: SupportMeasure
    categories: tuple[str, ...] | None
    markets: tuple[str, ...] | None
    window: str

    @property
    def score(self) -> int:
        # A measure aimed at what the company sells and where outranks one open to everyone.
        return (3 * len(self.categories or ()) + 3 * len(self.markets or ())
                + (1 if self.window != "upcoming" else 0))


def published_measures() -> QuerySet[SupportMeasure]:
    return SupportMeasure.objects.filter(is_published=True).select_related("provider")


def list_categories_and_markets(measures: Sequence[SupportMeasure]) -> None:
    """Lists each of `measures`' categories and markets on it (for categories_of and
    markets_of), read in one query for all: a page's prefetch of the two relations cost
    more than the query that ranks it."""
    listed: dict[int, tuple[list[ProductCategory], list[Country]]] = {
        measure.pk: ([], []) for measure in measures}
    categories = SupportMeasure.product_categories.through.objects.filter(
        supportmeasure_id__in=listed).values_list(
        "supportmeasure_id", Value("category"), "productcategory__code",
        "productcategory__name_ja", "productcategory__name_en", "productcategory__order")
    markets = SupportMeasure.target_markets.through.objects.filter(
        supportmeasure_id__in=listed).values_list(
        "supportmeasure_id", Value("market"), "country__iso2", "country__name_ja",
        "country__name_en", Value(0))
    for measure_id, kind, code, name_ja, name_en, order in sorted(
            categories.union(markets, all=True), key=lambda link: (link[5], link[2])):
        if kind == "category":
            listed[measure_id][0].append(ProductCategory(code=code, name_ja=name_ja,
                                                         name_en=name_en, order=order))
        else:
            listed[measure_id][1].append(Country(iso2=code, name_ja=name_ja, name_en=name_en))
    for measure in measures:
        measure.categories_listed, measure.markets_listed = listed[measure.pk]


def categories_of(measure: SupportMeasure) -> list[ProductCategory]:
    """`measure`'s product categories, in order: as list_categories_and_markets listed them,
    or read now."""
    listed = getattr(measure, "categories_listed", None)
    return listed if listed is not None else list(measure.product_categories.all())


def markets_of(measure: SupportMeasure) -> list[Country]:
    """`measure`'s target markets, in order: as list_categories_and_markets listed them, or
    read now."""
    listed = getattr(measure, "markets_listed", None)
    return listed if listed is not None else list(measure.target_markets.all())


def fit_of(measure: SupportMeasure, *, categories: Collection[str], markets: Collection[str],
           on: date) -> Fit | None:
    """How `measure` fits an exporter of `categories` for `markets` on day `on`, or None."""
    if measure.closes_on and measure.closes_on < on:
        return None
    measure_categories = [c.code for c in categories_of(measure)]
    measure_markets = [c.iso2 for c in markets_of(measure)]
    matched_categories = tuple(c for c in measure_categories if c in categories)
    matched_markets = tuple(m for m in measure_markets if m in markets)
    if (measure_categories and not matched_categories) or (
            measure_markets and not matched_markets):
        return None
    if measure.opens_on and measure.opens_on > on:
        window = "upcoming"
    elif measure.opens_on or measure.closes_on:
        window = "open"
    else:
        window = "always"
    return Fit(measure, matched_categories or None, matched_markets or None, window)


def _category_links() -> QuerySet[Any]:
    """The measure's (OuterRef) links to its product categories."""
    return SupportMeasure.product_categories.through.objects.filter(
        supportmeasure=OuterRef("pk"))


def _market_links() -> QuerySet[Any]:
    """The measure's (OuterRef) links to its target markets."""
    return SupportMeasure.target_markets.through.objects.filter(supportmeasure=OuterRef("pk"))


def _open_to_all_or_naming(links: QuerySet[Any], named: Q) -> Q:
    """Measures with none of `links` (open to all) or one matching `named`. IN over
    the link table, hashed once per query, not an EXISTS per measure: at thousands of
    measures the lists and their counts run three times faster."""
    return (~Q(pk__in=links.values("supportmeasure_id"))
            | Q(pk__in=links.filter(named).values("supportmeasure_id")))


def fits_categories(categories: Collection[str]) -> Q:
    """Measures that name no product category (open to all) or one of `categories`."""
    return _open_to_all_or_naming(SupportMeasure.product_categories.through.objects.all(),
                                  Q(productcategory__code__in=categories))


def fits_markets(markets: Collection[str]) -> Q:
    """Measures that name no target market (open to all) or one of `markets`."""
    return _open_to_all_or_naming(SupportMeasure.target_markets.through.objects.all(),
                                  Q(country__iso2__in=markets))


def open_to(*, categories: Collection[str], markets: Collection[str], on: date) -> Q:
    """fit_of's test in SQL (so only the measures that fit are loaded)."""
    return ((Q(closes_on__isnull=True) | Q(closes_on__gte=on))
            & fits_categories(categories) & fits_markets(markets))


def _how_many(links: QuerySet[Any]) -> Coalesce:
    """COUNT of `links` for the measure in hand (a correlated subquery), 0 when none."""
    return Coalesce(Subquery(links.order_by().values("supportmeasure").annotate(
        n=Count("pk")).values("n")), 0)


def _ids_of(*, categories: Collection[str], markets: Collection[str]) -> tuple[list[int],
                                                                               list[int]]:
    """The ids of the product categories and of the countries of these codes, in one query."""
    found = ProductCategory.objects.order_by().filter(code__in=categories).values_list(
        Value("category"), "pk").union(Country.objects.order_by().filter(
            iso2__in=markets).values_list(Value("market"), "pk"), all=True)
    return ([pk for kind, pk in found if kind == "category"],
            [pk for kind, pk in found if kind == "market"])


def measures_ranked_for(*, categories: Collection[str], markets: Collection[str],
                        on: date) -> QuerySet[SupportMeasure]:
    """The published measures that fit `categories` and `markets` on day `on`, annotated with
    `score` (Fit.score, computed in SQL), best fit first, then the nearest deadline (measures
    without one last), then code: ranked by the database, so a page reads only its rows."""
    # The codes as ids, read first: matched by code, the count joined each link to its
    # category (country) once per measure ranked, which was most of the ranking's time.
    category_ids, market_ids = _ids_of(categories=categories, markets=markets)
    score = (3 * _how_many(_category_links().filter(productcategory_id__in=category_ids))
             + 3 * _how_many(_market_links().filter(country_id__in=market_ids))
             + Case(When(opens_on__gt=on, then=Value(0)), default=Value(1)))
    return published_measures().filter(
        open_to(categories=categories, markets=markets, on=on)).annotate(
        score=score).order_by("-score", F("closes_on").asc(nulls_last=True), "code")
