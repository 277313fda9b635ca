"""Which support measures fit a registered exporter, and which exporters a measure fits."""

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet

from accounts.models import AnyUser
from programs.models import SupportMeasure
from programs.selectors.access import sees_internal_tracking
from programs.selectors.support import Fit, fit_of, open_to, published_measures

from .models import ExporterProfile, ExporterStatus


def profile_scope(profile: ExporterProfile) -> tuple[set[str], set[str]]:
    return ({c.code for c in profile.product_categories.all()},
            {c.iso2 for c in profile.target_markets.all()})


def _profile_scope_in_one_query(profile: ExporterProfile) -> tuple[set[str], set[str]]:
    pairs = ExporterProfile.objects.filter(pk=profile.pk).values_list(
        "product_categories__code", "target_markets__iso2")
    return ({category for category, _market in pairs if category},
            {market for _category, market in pairs if market})


def measures_fitting(profile: ExporterProfile, *, on: date,
                     measures: Iterable[SupportMeasure] | None = None) -> list[Fit]:
    """The published measures that fit `profile`, best fit first."""
    categories, markets = _profile_scope_in_one_query(profile)
    if measures is None:
        measures = published_measures().filter(
            open_to(categories=categories, markets=markets, on=on))
    fits = [fit for measure in measures
            if (fit := fit_of(measure, categories=categories, markets=markets, on=on))]
    return sorted(fits, key=lambda fit: (-fit.score, fit.measure.code))


def exporters_visible_to(user: AnyUser) -> QuerySet[ExporterProfile]:
    """Registrations, as the review API lists them: to the ministry's people only."""
    if not sees_internal_tracking(user):
        return ExporterProfile.objects.none()
    return ExporterProfile.objects.select_related("user")


def approved_exporters() -> QuerySet[ExporterProfile]:
    return ExporterProfile.objects.filter(
        status=ExporterStatus.APPROVED, user__is_active=True).select_related(
        "user").prefetch_related("product_categories", "target_markets")


def exporters_fitting(measure: SupportMeasure, *,
                      on: date) -> list[tuple[ExporterProfile, Fit]]:
    """(profile, fit) for every approved exporter that `measure` fits."""
    pairs: list[tuple[ExporterProfile, Fit]] = []
    for profile in approved_exporters():
        categories, markets = profile_scope(profile)
        fit = fit_of(measure, categories=categories, markets=markets, on=on)
        if fit:
            pairs.append((profile, fit))
    return pairs
