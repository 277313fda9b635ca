"""When a company last looked at its measures, so that the page can mark what is new."""

from datetime import datetime

from django.db import transaction

from ..models import ExporterProfile


@transaction.atomic
def exporter_record_measures_visit(*, profile: ExporterProfile,
                                   at: datetime) -> datetime | None:
    """Record a visit to the measures page at `at`; return the visit before it (None: the
    first). An update of the one column: a visit is not a change of the profile, and leaves
    its history and `updated_at` alone."""
    previous: datetime | None = ExporterProfile.objects.select_for_update().filter(
        pk=profile.pk).values_list("measures_seen_at", flat=True).get()
    ExporterProfile.objects.filter(pk=profile.pk).update(measures_seen_at=at)
    profile.measures_seen_at = at
    return previous
