"""Progress reports: what a manager reads about the portfolio or one initiative, as of a day.

Every figure is computed by the database (aggregates and a handful of list queries), so a
report runs the same small number of queries whatever the number of milestones.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Avg, Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

from ..models import (
    CLOSED_STATUSES,
    KPI,
    Health,
    Initiative,
    InitiativeStatus,
    KPIDirection,
    Milestone,
    WorkStatus,
)
from .history import previous_value
from .initiatives import initiative_subtree
from .milestones import SLIPPED, overdue_on

DUE_SOON_DAYS = 30
STALE_AFTER_DAYS = 30
LIST_LIMIT = 100
# How close to the target the observed trend must come.
AT_RISK_SHARE = Decimal("0.9")
VERDICT_RULE = (
    "on_track: the observed yearly growth, continued to the target year, reaches the target; "
    "at_risk: it reaches at least 90% of the way; off_track: less. Without two measured values "
    "there is no trend and the verdict is no_trend.")


@dataclass(frozen=True)
class Scope:
    """The milestones and initiatives a report covers: everything, or one subtree."""

    initiative: Initiative | None = None

    def initiatives(self):
        return initiative_subtree(self.initiative) if self.initiative else Initiative.objects.all()

    def milestones(self):
        if self.initiative is None:
            return Milestone.objects.all()
        return Milestone.objects.filter(initiative__in=self.initiatives().values("pk"))

    def kpis(self):
        if self.initiative is None:
            return KPI.objects.all()
        return KPI.objects.filter(initiative__in=self.initiatives().values("pk"))


def _counts(milestones, as_of):
    """Every count of the summary in one aggregate query."""
    open_ = ~Q(status__in=CLOSED_STATUSES)
    due_soon = open_ & Q(planned_due_on__gte=as_of,
                         planned_due_on__lte=as_of + timedelta(days=DUE_SOON_DAYS))
    slip = F("planned_due_on") - F("baseline_due_on")
    figures = milestones.aggregate(
        total=Count("pk"),
        **{f"status_{s}": Count("pk", filter=Q(status=s)) for s in WorkStatus.values},
        **{f"health_{h}": Count("pk", filter=Q(health=h)) for h in Health.values},
        overdue=Count("pk", filter=overdue_on(as_of)),
        due_soon=Count("pk", filter=due_soon),
        slipped=Count("pk", filter=SLIPPED),
        percent_complete=Coalesce(Avg("percent_complete"), 0.0),
        slip_total=Sum(slip, filter=SLIPPED),
        slip_worst=Max(slip, filter=SLIPPED),
    )
    return {
        "total": figures["total"],
        "by_status": {s: figures[f"status_{s}"] for s in WorkStatus.values},
        "by_health": {h: figures[f"health_{h}"] for h in Health.values},
        "percent_complete": round(float(figures["percent_complete"]), 1),
        "overdue": figures["overdue"],
        "due_soon": figures["due_soon"],
        "slipped": {"count": figures["slipped"],
                    "total_days": _days(figures["slip_total"]),
                    "worst_days": _days(figures["slip_worst"])},
    }


def _days(value):
    """A date difference from the database (a timedelta, or a number of days on some)."""
    if value is None:
        return 0
    return value.days if isinstance(value, timedelta) else int(value)


def _milestone_rows(queryset, as_of):
    return [{
        "id": m.id, "title_ja": m.title_ja, "title_en": m.title_en,
        "initiative": m.initiative.code, "owner": m.owner.display_name,
        "planned_due_on": m.planned_due_on, "baseline_due_on": m.baseline_due_on,
        "status": m.status, "health": m.health,
        "days_overdue": max((as_of - m.planned_due_on).days, 0),
        "slip_days": m.slip_days,
    } for m in queryset.select_related("initiative", "owner")[:LIST_LIMIT]]


def _by_place(milestones, as_of, path, label_paths):
    """The summary counts for each region / country / field, one grouped query."""
    rows = milestones.filter(**{f"{path}__isnull": False}).values(path, *label_paths).annotate(
        total=Count("pk", distinct=True),
        overdue=Count("pk", filter=overdue_on(as_of), distinct=True),
        done=Count("pk", filter=Q(status=WorkStatus.DONE), distinct=True),
        red=Count("pk", filter=Q(health=Health.RED), distinct=True),
        slipped=Count("pk", filter=SLIPPED, distinct=True),
    ).order_by(path)
    return [{"code": row[path], "name_ja": row[label_paths[0]], "name_en": row[label_paths[1]],
             **{k: row[k] for k in ("total", "overdue", "done", "red", "slipped")}}
            for row in rows]


def _health_changes(scope, since, as_of):
    """Milestones whose health changed between `since` and `as_of`, from their history."""
    history = Milestone.history.model
    rows = history.objects.filter(
        id__in=scope.milestones().values("pk"), history_date__date__gte=since,
        history_date__date__lte=as_of,
    ).annotate(previous_health=previous_value(history, "health")).exclude(
        previous_health=F("health")).exclude(previous_health__isnull=True).order_by(
        "history_date")[:LIST_LIMIT]
    return [{"milestone": row.id, "title_ja": row.title_ja, "from": row.previous_health,
             "to": row.health, "on": row.history_date.date(),
             "by": row.history_user_id} for row in rows]


def _stale_initiatives(scope, as_of):
    cutoff = as_of - timedelta(days=STALE_AFTER_DAYS)
    rows = scope.initiatives().filter(status=InitiativeStatus.ACTIVE).annotate(
        last_update=Max("status_updates__reported_on")).filter(
        Q(last_update__lt=cutoff) | Q(last_update__isnull=True, created_at__date__lt=cutoff),
    ).order_by("path")[:LIST_LIMIT]
    return [{"id": i.id, "code": i.code, "name_ja": i.name_ja, "last_update": i.last_update}
            for i in rows]


BURN_UP_MONTHS = 18


def _month_start(day, months_back=0):
    month = day.month - 1 - months_back
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


def _burn_up(milestones, as_of):
    """Milestones planned (by their planned date) and done (by their completion date), summed
    month by month, over the months up to the report date and three after."""
    first, last = _month_start(as_of, BURN_UP_MONTHS - 1), _month_start(as_of, -3)
    before_planned = milestones.filter(planned_due_on__lt=first).count()
    before_done = milestones.filter(completed_on__lt=first).count()
    planned = dict(milestones.filter(planned_due_on__gte=first).annotate(
        month=TruncMonth("planned_due_on")).values("month").annotate(n=Count("pk")).values_list(
        "month", "n"))
    done = dict(milestones.filter(completed_on__gte=first, completed_on__lte=as_of).annotate(
        month=TruncMonth("completed_on")).values("month").annotate(n=Count("pk")).values_list(
        "month", "n"))
    points, month = [], first
    total_planned, total_done = before_planned, before_done
    while month <= last:
        total_planned += planned.get(month, 0)
        total_done += done.get(month, 0)
        points.append({"month": month.strftime("%Y-%m"), "planned": total_planned,
                       "done": total_done if month <= as_of else None})
        month = _month_start(month, -1)
    return points


def kpi_forecast(kpi, measurements, as_of):
    """Where a KPI stands and whether its observed trend reaches the target in time."""
    measured = [m for m in measurements if m.period_on <= as_of]
    latest = measured[-1] if measured else None
    latest_value = latest.value if latest else kpi.baseline_value
    latest_year = latest.period_on.year if latest else kpi.baseline_year
    result = {
        "id": kpi.id, "code": kpi.code, "name_ja": kpi.name_ja, "name_en": kpi.name_en,
        "unit": kpi.unit, "direction": kpi.direction,
        "baseline_value": kpi.baseline_value, "baseline_year": kpi.baseline_year,
        "latest_value": latest.value if latest else None,
        "latest_period": latest.period_on if latest else None,
        "target_value": kpi.target_value, "target_year": kpi.target_year,
        "percent_of_way": None, "required_annual_growth": None,
        "observed_annual_growth": None, "projected_value": None, "verdict": "no_trend",
        "verdict_rule": VERDICT_RULE,
        "measurements": [{"period_on": m.period_on, "value": m.value} for m in measured],
    }
    target = kpi.target_value
    if target is not None and kpi.baseline_value is not None and latest_value is not None \
            and target != kpi.baseline_value:
        result["percent_of_way"] = _round(
            (latest_value - kpi.baseline_value) / (target - kpi.baseline_value) * 100, 1)
    years_left = (kpi.target_year - latest_year) if kpi.target_year and latest_year else None
    if target and latest_value and years_left and years_left > 0 and latest_value > 0:
        result["required_annual_growth"] = _round(
            (float(target) / float(latest_value)) ** (1 / years_left) - 1, 4)
    if len(measured) >= 2 and measured[0].value > 0:
        first, last = measured[0], measured[-1]
        years = (last.period_on - first.period_on).days / 365.25
        if years > 0:
            growth = (float(last.value) / float(first.value)) ** (1 / years) - 1
            result["observed_annual_growth"] = _round(growth, 4)
            if target and years_left is not None:
                projected = float(last.value) * (1 + growth) ** max(years_left, 0)
                result["projected_value"] = _round(projected, 4)
                result["verdict"] = _verdict(kpi, Decimal(str(projected)), latest_value)
    return result


def _verdict(kpi, projected, latest_value):
    target, baseline = kpi.target_value, kpi.baseline_value
    if kpi.direction == KPIDirection.DECREASE:
        if projected <= target:
            return "on_track"
        start = baseline if baseline is not None else latest_value
        reached = (start - projected) / (start - target) if start != target else 0
        return "at_risk" if reached >= AT_RISK_SHARE else "off_track"
    if projected >= target:
        return "on_track"
    return "at_risk" if projected >= target * AT_RISK_SHARE else "off_track"


def _round(value, places):
    return round(float(value), places)


def progress_report(*, as_of, since=None, initiative=None):
    """The report data for the portfolio (initiative None) or one initiative's subtree."""
    scope = Scope(initiative)
    since = since or as_of - timedelta(days=30)
    milestones = scope.milestones()
    kpis = scope.kpis().prefetch_related("measurements").order_by("code")
    return {
        "as_of": as_of, "since": since,
        "initiative": ({"id": initiative.id, "code": initiative.code,
                        "name_ja": initiative.name_ja, "name_en": initiative.name_en}
                       if initiative else None),
        "milestones": _counts(milestones, as_of),
        "overdue": _milestone_rows(milestones.filter(overdue_on(as_of)).order_by(
            "planned_due_on", "id"), as_of),
        "due_soon": _milestone_rows(milestones.filter(
            ~Q(status__in=CLOSED_STATUSES), planned_due_on__gte=as_of,
            planned_due_on__lte=as_of + timedelta(days=DUE_SOON_DAYS)).order_by(
            "planned_due_on", "id"), as_of),
        "burn_up": _burn_up(milestones, as_of),
        "health_changes": _health_changes(scope, since, as_of),
        "stale_initiatives": _stale_initiatives(scope, as_of),
        "by_region": _by_place(milestones, as_of, "initiative__countries__region__code",
                               ("initiative__countries__region__name_ja",
                                "initiative__countries__region__name_en")),
        "by_country": _by_place(milestones, as_of, "initiative__countries__iso2",
                                ("initiative__countries__name_ja",
                                 "initiative__countries__name_en")),
        "by_field": _by_place(milestones, as_of, "initiative__fields__code",
                              ("initiative__fields__name_ja", "initiative__fields__name_en")),
        "kpis": [kpi_forecast(kpi, sorted(kpi.measurements.all(), key=lambda m: m.period_on),
                              as_of) for kpi in kpis],
    }
