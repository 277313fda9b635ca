from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.dates import check_date_in_range

from .choices import CLOSED_STATUSES, Health, WorkStatus, choice_constraint
from .versioning import Versioned

# A closed item must say when it was done; an open one must not claim a completion date.
DONE_HAS_COMPLETION_DATE = (
    Q(status=WorkStatus.DONE, completed_on__isnull=False)
    | (~Q(status=WorkStatus.DONE) & Q(completed_on__isnull=True))
)
# Open work: what the overdue and due-soon lists, an owner's open work and the reminder sweep
# ask for. The selectors write it the same way (NOT status IN ...), so that PostgreSQL
# matches their conditions to the partial indexes below.
OPEN_WORK = ~Q(status__in=CLOSED_STATUSES)
# How far a milestone's planned date has moved past its baseline, and the milestones it has.
SLIP = F("planned_due_on") - F("baseline_due_on")
SLIPPED_WORK = Q(planned_due_on__gt=F("baseline_due_on"))


class Milestone(Versioned):
    """A dated deliverable of an initiative (optionally of one of its projects).

    Slip is `planned_due_on - baseline_due_on`: the baseline is the date first committed to,
    the planned date is today's expectation.
    """

    initiative = models.ForeignKey(
        "programs.Initiative", verbose_name=_("initiative"), on_delete=models.PROTECT,
        related_name="milestones",
    )
    project = models.ForeignKey(
        "programs.Project", verbose_name=_("project"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="milestones",
    )
    title_ja = models.CharField(_("title (Japanese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
        related_name="milestones",
    )
    planned_due_on = models.DateField(_("planned due date"), validators=[check_date_in_range])
    baseline_due_on = models.DateField(_("baseline due date"), validators=[check_date_in_range])
    status = models.CharField(
        _("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.NOT_STARTED
    )
    completed_on = models.DateField(_("completion date"), null=True, blank=True,
                                    validators=[check_date_in_range])
    health = models.CharField(
        _("health"), max_length=10, choices=Health.choices, default=Health.GREEN
    )
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["planned_due_on", "id"]
        indexes = [
            models.Index(fields=["status", "planned_due_on"], name="milestone_status_due"),
            models.Index(fields=["owner", "status"], name="milestone_owner_status"),
            # The reminder sweep's stale candidates: work in progress created on given days.
            models.Index(fields=["status", "created_at"], name="milestone_status_created"),
            # The lists' default order, so that a page is read in order and not sorted.
            models.Index(fields=["planned_due_on", "id"], name="milestone_due"),
            # Partial: only the open milestones, a fraction of all once the years go by.
            models.Index(fields=["planned_due_on", "id"], condition=OPEN_WORK,
                         name="milestone_open_due"),
            # The same covering the initiative, the project and the baseline, so that counting
            # the open work of a place (overdue in a region) or the slipped open work reads the
            # index alone, not the table (PostgreSQL).
            models.Index(fields=["planned_due_on"], condition=OPEN_WORK,
                         include=["initiative", "project", "baseline_due_on"],
                         name="milestone_open_due_place"),
            models.Index(fields=["owner", "planned_due_on", "id"], condition=OPEN_WORK,
                         name="milestone_open_owner_due"),
            # The longest slips first (the reports' slipped list), over the slipped only: the
            # expression is the one the selectors order by, so the planner can match it.
            models.Index(SLIP.desc(), "planned_due_on", "id", condition=SLIPPED_WORK,
                         name="milestone_slip"),
            # The reports' burn-up: what was done after the report date within its month.
            models.Index(fields=["completed_on"], condition=Q(completed_on__isnull=False),
                         name="milestone_completed"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(percent_complete__lte=100),
                                   name="milestone_percent_at_most_100",
                                   violation_error_message=_("A percentage is at most 100.")),
            models.CheckConstraint(condition=DONE_HAS_COMPLETION_DATE,
                                   name="milestone_done_has_completion_date",
                                   violation_error_message=_(
                                       "A done milestone needs a completion date, and an open "
                                       "one none.")),
            models.CheckConstraint(
                condition=~Q(status=WorkStatus.DONE) | Q(percent_complete=100),
                name="milestone_done_is_complete",
            violation_error_message=_("A done milestone is 100 %% complete."),
            ),
            choice_constraint("status", WorkStatus, "milestone_status_valid"),
            choice_constraint("health", Health, "milestone_health_valid"),
        ]

    def __str__(self):
        return self.title_ja

    @property
    def slip_days(self):
        return (self.planned_due_on - self.baseline_due_on).days


class StatusUpdate(Versioned):
    """A dated narrative on a milestone or on an initiative, by its author."""

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="status_updates",
    )
    initiative = models.ForeignKey(
        "programs.Initiative", verbose_name=_("initiative"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="status_updates",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
        related_name="status_updates",
    )
    reported_on = models.DateField(_("report date"), validators=[check_date_in_range])
    summary = models.TextField(_("summary"))
    risks = models.TextField(_("risks"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    health = models.CharField(_("health at the time"), max_length=10, choices=Health.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["milestone", "-reported_on"], name="update_milestone_date"),
            models.Index(fields=["initiative", "-reported_on"], name="update_initiative_date"),
            # The reminder sweep's stale candidates: the updates made on the days it asks for.
            models.Index(fields=["reported_on"], name="update_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(milestone__isnull=False, initiative__isnull=True)
                | Q(milestone__isnull=True, initiative__isnull=False),
                name="status_update_has_one_subject",
            violation_error_message=_("A status update is about one milestone or one initiative."),
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="status_update_has_summary",
                                   violation_error_message=_("Enter a summary.")),
            choice_constraint("health", Health, "status_update_health_valid"),
        ]

    def __str__(self):
        # The date as the reader's language writes it: 2026年12月2日, Dec. 2, 2026.
        return f"{date_format(self.reported_on)} {self.summary[:40]}"
