"""Which support measures fit a registered exporter, and which exporters a measure fits."""

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet

from accounts.models import AnyUser
from programs.models import Notification, ReminderKind, SupportMeasure
from programs.selectors.access import can_review_exporters, notifications_visible_to
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
    """The published measures that fit `profile`, best fit first, then the nearest deadline
    (measures without one last)."""
    categories, markets = _profile_scope_in_one_query(profile)
    if measures is None:
        measures = published_measures().filter(
            open_to(categories=categories, markets=markets, on=on))
    fits = [fit for measure in measures
            if (fit := fit_of(measure, categories=categories, markets=markets, on=on))]
    return sorted(fits, key=lambda fit: (-fit.score, fit.measure.closes_on or date.max,
                                         fit.measure.code))


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


def registrations_awaiting_review(user: AnyUser) -> QuerySet[ExporterProfile]:
    """Registrations with a confirmed address that wait for a reviewer's decision, the
    oldest first; none for someone who does not review them."""
    if not can_review_exporters(user):
        return ExporterProfile.objects.none()
    return ExporterProfile.objects.filter(
        status=ExporterStatus.PENDING_APPROVAL).order_by("created_at", "id")


def measure_notices_received(profile: ExporterProfile, *,
                             limit: int = 20) -> QuerySet[Notification]:
    """The notices of fitting measures the company has received, newest first."""
    return notifications_visible_to(profile.user).filter(
        kind=ReminderKind.NEW_SUPPORT_MEASURE)[:limit]
