"""Tell exporters about the support measures that fit them: one e-mail and one in-app
notice per exporter and measure, ever (the delivery log's unique key sees to that)."""

from collections.abc import Collection

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from programs.models import ReminderKind, SupportMeasure, WebhookEvent
from programs.reporting.labels import in_language
from programs.selectors.support import Fit
from programs.services.common import today
from programs.services.reminders import Message, Reminder, SweepReport, outbox_send_soon
from programs.services.webhooks import webhook_event_emit

from ..cards import matched_names, without_footnote_marks
from ..models import ExporterProfile
from ..selectors import exporters_fitting, measures_fitting

# One occasion per measure and exporter: fitting again later is not news.
FITS_OCCASION = "fits"


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
            lines=[in_language(measure, "description")
                   or without_footnote_marks(in_language(measure, "summary"))
                   or in_language(measure, "name"),
                   *why_lines(fit), *filter(None, (measure.url, measure.contact))],
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


def support_measure_announce(*, measure: SupportMeasure, newly_published: bool) -> None:
    """After `measure` has been saved with its categories and markets: if it is published and
    that is new (a new measure, or switched to published), the `support_measure.published`
    webhook event, in the save's transaction; and, after commit, a notice to each approved
    exporter it fits (once per exporter and measure, ever)."""
    if measure.is_published and newly_published:
        webhook_event_emit(kind=WebhookEvent.SUPPORT_MEASURE_PUBLISHED, resource=measure)
    transaction.on_commit(lambda: support_measure_notify_exporters(measure))
