"""Roll-ups of the milestones that the reports sum instead of the milestones themselves.

Kept by database triggers (migration 0015), row by row, in the transaction that writes the
milestone: every path that writes milestones (the services, the admin, imports, bulk updates,
the load generator, a raw UPDATE) keeps them exact by construction, which no call in the
services could promise. They hold only what does not depend on the report's date; what does
(overdue, due soon) is counted from the open-work indexes.

Keys are plain integers, not foreign keys: a tally goes when its count falls to zero, and an
initiative or project deleted has taken its milestones, and so its tallies, with it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Health, WorkStatus

# The PostgreSQL setting that idles the tallies' triggers for one transaction while the load
# generator writes in bulk (tally_sql.tallies_suspended).
SUSPENDED = "tracker.tallies_suspended"
# project_key of the milestones without a project (a key must not be NULL to be upserted).
NO_PROJECT = 0
# The tally's count columns, named as the reports name the counts.
STATUS_COUNTS = tuple(f"status_{status}" for status in WorkStatus.values)
HEALTH_COUNTS = tuple(f"health_{health}" for health in Health.values)


class MilestoneTally(models.Model):
    """The counts of the milestones of one initiative and project (NO_PROJECT: none)."""

    initiative_id = models.BigIntegerField()
    project_key = models.BigIntegerField()
    total = models.IntegerField(default=0)
    status_not_started = models.IntegerField(default=0)
    status_in_progress = models.IntegerField(default=0)
    status_blocked = models.IntegerField(default=0)
    status_done = models.IntegerField(default=0)
    status_cancelled = models.IntegerField(default=0)
    health_green = models.IntegerField(default=0)
    health_amber = models.IntegerField(default=0)
    health_red = models.IntegerField(default=0)
    slipped = models.IntegerField(default=0)  # planned later than the baseline
    slip_days = models.IntegerField(default=0)  # their days of slip, summed
    percent_sum = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("milestone tally")
        constraints = [models.UniqueConstraint(fields=["initiative_id", "project_key"],
                                               name="milestone_tally_key")]

    def __str__(self):
        return f"{self.initiative_id}/{self.project_key}: {self.total}"


class TallySeries(models.TextChoices):
    PLANNED = "planned", _("Planned")  # by planned date
    DONE = "done", _("Done")  # by completion date


class MilestoneMonthTally(models.Model):
    """How many milestones of an initiative are planned, or were done, in a month (the
    burn-up's points)."""

    initiative_id = models.BigIntegerField()
    series = models.CharField(max_length=10, choices=TallySeries.choices)
    month = models.DateField()  # its first day
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("milestone month tally")
        constraints = [models.UniqueConstraint(fields=["initiative_id", "series", "month"],
                                               name="milestone_month_tally_key")]

    def __str__(self):
        return f"{self.initiative_id} {self.series} {self.month:%Y-%m}: {self.n}"


class TallyPlace(models.TextChoices):
    """The places the open-work tally counts in, as the lists filter by them
    (selectors.milestones.PLACE_LOOKUPS), and the whole portfolio."""

    ALL = "all", _("All")  # place_id NO_PLACE
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    FIELD = "field", _("Strategic field")


NO_PLACE = 0  # the place_id of TallyPlace.ALL


class OpenMilestoneTally(models.Model):
    """How many open milestones (neither done nor cancelled) in a place are planned for a day:
    "overdue in a region" is a sum over the days before today, however many milestones there
    are. A milestone counts once in each of its countries, their regions and its initiative's
    strategic fields, and once in ALL. A count that falls to zero keeps its row (a day's
    rows are bounded by the places), so a trigger never deletes one another is adding to."""

    place_kind = models.CharField(max_length=10, choices=TallyPlace.choices)
    place_id = models.BigIntegerField()
    planned_due_on = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("open milestone tally")
        constraints = [models.UniqueConstraint(
            fields=["place_kind", "place_id", "planned_due_on"],
            name="open_milestone_tally_key")]

    def __str__(self):
        return f"{self.place_kind} {self.place_id} {self.planned_due_on}: {self.n}"
