"""Tell exporters about the support measures that fit them: one e-mail and one in-app
notice per exporter and measure, ever (the delivery log's unique key sees to that)."""

from collections.abc import Collection

from django.conf import settings
from django.utils.translation import gettext as _

from programs.models import ReminderKind, SupportMeasure
from programs.selectors.support import Fit
from programs.services.common import today
from programs.services.reminders import Message, Reminder, SweepReport, outbox_send_soon
from programs.services.reminders.messages import in_language

from ..models import ExporterProfile
from ..selectors import exporters_fitting, measures_fitting

# One occasion per measure and exporter: fitting again later is not news.
FITS_OCCASION = "fits"


def matched_names(fit: Fit) -> tuple[list[str] | None, list[str] | None]:
    """The names, in the reader's language, of the company's categories and markets that the
    measure names (水産物, 加工食品; シンガポール); None where it is open to all."""
    measure = fit.measure
    categories = [in_language(category, "name") for category in measure.product_categories.all()
                  if category.code in fit.categories] if fit.categories else None
    markets = [in_language(country, "name") for country in measure.target_markets.all()
               if country.iso2 in fit.markets] if fit.markets else None
    return categories, markets


def why_lines(fit: Fit) -> list[str]:
    everything = _("all")
    # Translators: what separates the names of a list (Japanese: 、).
    separator = _(", ")
    categories, markets = matched_names(fit)
    return [
        _("Product categories: %(categories)s") % {
            "categories": separator.join(categories) if categories else everything},
        _("Markets: %(markets)s") % {
            "markets": separator.join(markets) if markets else everything},
    ]


def _notice(profile: ExporterProfile, fit: Fit) -> Reminder:
    measure = fit.measure
    return Reminder(
        recipient=profile.user, kind=ReminderKind.NEW_SUPPORT_MEASURE, subject=measure,
        occasion=FITS_OCCASION,
        describe=lambda: Message(
            title=_("A support measure for you: %(name)s") % {
                "name": in_language(measure, "name")},
            lines=[in_language(measure, "summary") or in_language(measure, "name"),
                   *why_lines(fit), measure.url],
            action=_("See whether it suits your company.")),
        link=f"{settings.SITE_URL}/exporters/",
    )


def support_measure_notify_exporters(measure: SupportMeasure) -> SweepReport:
    """After `measure` is published (or changed): notify each approved exporter it fits."""
    if not measure.is_published:
        return SweepReport(on=today())
    report: SweepReport = outbox_send_soon(
        _notice(profile, fit) for profile, fit in exporters_fitting(measure, on=today()))
    return report


def exporter_notify_newly_fitting(profile: ExporterProfile, *,
                                  fitted_before: Collection[int]) -> SweepReport:
    """After a profile change: notify `profile` of the measures that fit it now but did not
    before (`fitted_before`: their ids), unless it has heard of them already."""
    report: SweepReport = outbox_send_soon(
        _notice(profile, fit) for fit in measures_fitting(profile, on=today())
        if fit.measure.pk not in fitted_before)
    return report
