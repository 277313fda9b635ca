"""Progress reports: what a manager reads about the portfolio or one initiative, as of a day.

Every figure is computed by the database from the milestone tallies (programs.models.tally,
kept by triggers): the counts of each initiative and project, and of each initiative's months,
which the summary, the burn-up and the figures by initiative, region, country and field sum.
Only what depends on the report's date (overdue, due soon) is counted from the milestones,
through the open-work index; a handful of list queries add the rest. So a report runs the
same few queries whatever the number of milestones, and reads far fewer rows than there are.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple, Protocol, TypeAlias

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import display_name_of

from ..models import (
    KPI,
    Health,
    Initiative,
    InitiativeStatus,
    KPIDirection,
    Milestone,
    MilestoneMonthTally,
    MilestoneTally,
    TallySeries,
    WorkStatus,
)
from ..models.initiative import PATH_SEPARATOR
from ..models.milestone import OPEN_WORK, SLIP
from ..models.tally import HEALTH_COUNTS, NO_PROJECT, STATUS_COUNTS
from .history import previous_value, start_of
from .initiatives import initiative_subtree
from .milestones import SLIPPED, due_within, is_overdue, is_overdue_row, overdue_on
from .ownership import unowned_initiatives, unowned_milestones
from .report_figures import sums_by_initiative_and_place
from .staleness import stale_as_of, with_stale_reference

DUE_SOON_DAYS = 30
LIST_LIMIT = 100
# The timeline of an initiative's report: its milestones planned or committed within these
# months around the report date (and every overdue one), at most TIMELINE_LIMIT of them.
TIMELINE_MONTHS_BEFORE, TIMELINE_MONTHS_AFTER, TIMELINE_LIMIT = 6, 12, 40
# How close to the target the observed trend must come.
AT_RISK_SHARE = Decimal("0.9")
VERDICT_RULE = (
    "on_track: the observed yearly growth, continued to the target year, reaches the target; "
    "at_risk: it reaches at least 90% of the way; off_track: less. Without two measured values "
    "there is no trend and the verdict is no_trend.")

# The report is plain data (rendered as JSON, a PDF and a spreadsheet): its parts are dicts.
Row: TypeAlias = dict[str, Any]
# The counts of the milestones of each initiative that has some (its own, not its subtree's).
Groups: TypeAlias = list[Row]


@dataclass(frozen=True)
class Scope:
    """The milestones and initiatives a report covers: everything, or one subtree."""

    initiative: Initiative | None = None

    def initiatives(self) -> QuerySet[Initiative]:
        return initiative_subtree(self.initiative) if self.initiative else Initiative.objects.all()

    def milestones(self) -> QuerySet[Milestone]:
        return self._of_initiatives(Milestone.objects.all())

    def kpis(self) -> QuerySet[KPI]:
        return self._of_initiatives(KPI.objects.all())

    def tallies(self) -> QuerySet[MilestoneTally]:
        return self._of_initiatives(MilestoneTally.objects.all())

    def month_tallies(self) -> QuerySet[MilestoneMonthTally]:
        return self._of_initiatives(MilestoneMonthTally.objects.all())

    def _of_initiatives(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """`rows` (of a model with an initiative_id) of the initiatives in scope."""
        if self.initiative is None:
            return rows
        return rows.filter(initiative_id__in=self.initiatives().values("pk"))


# The counts of a group kept in its tally, and those that depend on the report's date.
_TALLY_SUMS = ("total", "slipped", "slip_days", "percent_sum", *STATUS_COUNTS, *HEALTH_COUNTS)
_DATED_SUMS = ("overdue", "due_soon")
_GROUP_SUMS = (*_TALLY_SUMS, *_DATED_SUMS)
# A figure by initiative or place -> the count of a group it sums.
PLACE_FIGURES = {"total": "total", "overdue": "overdue", "done": "status_done",
                 "red": "health_red", "slipped": "slipped"}


def _dated_counts(scope: Scope, as_of: date) -> QuerySet[Any]:
    """The counts that depend on the report's date, per initiative and project (as the
    tallies key them): the open milestones overdue or due soon, read from the open-work index,
    so as many rows as there are of those."""
    # Open work by the filter; the counts name only the indexed planned date (never empty), so
    # that PostgreSQL reads the index alone.
    return scope.milestones().filter(
        OPEN_WORK, planned_due_on__lte=as_of + timedelta(days=DUE_SOON_DAYS)).order_by().values(
        "initiative_id", project_key=Coalesce("project_id", NO_PROJECT)).annotate(
        overdue=Count("planned_due_on", filter=Q(planned_due_on__lt=as_of)),
        due_soon=Count("planned_due_on", filter=Q(planned_due_on__gte=as_of)))


def _counts(groups: Groups, slipped: list[Row]) -> Row:
    sums = {key: sum(row[key] for row in groups) for key in _GROUP_SUMS}
    total = sums["total"]
    return {
        "total": total,
        "by_status": {s: sums[f"status_{s}"] for s in WorkStatus.values},
        "by_health": {h: sums[f"health_{h}"] for h in Health.values},
        "percent_complete": round(sums["percent_sum"] / total, 1) if total else 0.0,
        "overdue": sums["overdue"],
        "due_soon": sums["due_soon"],
        # The slipped list is longest first.
        "slipped": {"count": sums["slipped"], "total_days": sums["slip_days"],
                    "worst_days": slipped[0]["slip_days"] if slipped else 0},
    }


def _milestone_rows(queryset: QuerySet[Milestone], as_of: date) -> list[Row]:
    # Read as values: a report shows three such lists, and model instances of the milestones,
    # their initiatives and owners cost more than the queries.
    rows = queryset.values_list(
        "id", "title_ja", "title_en", "initiative__code", "owner__last_name",
        "owner__first_name", "owner__username", "planned_due_on", "baseline_due_on", "status",
        "health")[:LIST_LIMIT]
    return [{
        "id": pk, "title_ja": title_ja, "title_en": title_en, "initiative": code,
        "owner": display_name_of(last_name, first_name, username),
        "planned_due_on": planned, "baseline_due_on": baseline, "status": status,
        "health": health,
        "days_overdue": (as_of - planned).days if is_overdue_row(status, planned, as_of) else 0,
        "slip_days": (planned - baseline).days,
    } for (pk, title_ja, title_en, code, last_name, first_name, username, planned, baseline,
           status, health) in rows]


def _tree_order(item: tuple[str, Row]) -> list[str]:
    return item[0].split(PATH_SEPARATOR)  # a parent before its children, siblings by code


def _by_place_and_initiative(scope: Scope, groups: Groups,
                             place_rows: list[Row]) -> dict[str, list[Row]]:
    """The summary figures for each region, country and field (`place_rows`), and for each
    initiative of the scope with milestones in its subtree (the sum of `groups`, one per
    initiative, over the subtree), in the tree's order."""
    places: dict[str, list[Row]] = {"region": [], "country": [], "field": []}
    for row in sorted(place_rows, key=lambda row: row["code"]):
        places[row["kind"]].append({
            "id": row["id"], "code": row["code"], "name_ja": row["name_ja"],
            "name_en": row["name_en"],
            **{figure: row[count] for figure, count in PLACE_FIGURES.items()}})
    initiatives: dict[str, Row] = {  # by path
        path: {"id": pk, "code": path.rsplit(PATH_SEPARATOR, 1)[-1], "name_ja": name_ja,
               "name_en": name_en, "depth": path.count(PATH_SEPARATOR),
               **dict.fromkeys(PLACE_FIGURES, 0)}
        for pk, path, name_ja, name_en in scope.initiatives().order_by().values_list(
            "pk", "path", "name_ja", "name_en")}
    path_of = {entry["id"]: path for path, entry in initiatives.items()}
    for group in groups:
        # The group's initiative and each of its ancestors within the scope.
        path = path_of.get(group["initiative_id"], "")
        while path:
            if path in initiatives:
                for figure, count in PLACE_FIGURES.items():
                    initiatives[path][figure] += group[count]
            path = path.rpartition(PATH_SEPARATOR)[0]
    top = min((entry["depth"] for entry in initiatives.values()), default=0)
    return {
        **places,
        "initiative": [entry | {"depth": entry["depth"] - top}
                       for path, entry in sorted(initiatives.items(), key=_tree_order)
                       if entry["total"]],
    }


def _slipped(milestones: QuerySet[Milestone], as_of: date) -> list[Row]:
    """Milestones planned later than their baseline (selectors.milestones.SLIPPED), the
    longest slip first."""
    return _milestone_rows(milestones.filter(SLIPPED).order_by(
        SLIP.desc(), "planned_due_on", "id"), as_of)


def _timeline(scope: Scope, as_of: date) -> Row | None:
    """An initiative's milestones on a time axis: those planned or committed (baseline) within
    the months around `as_of`, and every overdue one, by planned date; `more`: there are
    others beyond TIMELINE_LIMIT. None for the portfolio, which is too large to draw."""
    if scope.initiative is None:
        return None
    return milestone_timeline(initiative=scope.initiative, as_of=as_of)


def milestone_timeline(*, initiative: Initiative, as_of: date) -> Row:
    """The timeline of `initiative` and the initiatives below it (see _timeline), for its
    report and its admin page; whoever asks checks can_read_report first."""
    scope = Scope(initiative)
    start = _month_start(as_of, TIMELINE_MONTHS_BEFORE)
    end = _month_start(as_of, -TIMELINE_MONTHS_AFTER - 1) - timedelta(days=1)
    milestones = list(scope.milestones().filter(
        Q(planned_due_on__range=(start, end)) | Q(baseline_due_on__range=(start, end))
        | overdue_on(as_of)).order_by("planned_due_on", "id").only(
        "title_ja", "title_en", "planned_due_on", "baseline_due_on", "completed_on",
        "status")[:TIMELINE_LIMIT + 1])
    return {"as_of": as_of, "more": len(milestones) > TIMELINE_LIMIT, "milestones": [{
        "id": m.id, "title_ja": m.title_ja, "title_en": m.title_en,
        "planned_due_on": m.planned_due_on, "baseline_due_on": m.baseline_due_on,
        "completed_on": m.completed_on, "status": m.status,
        "overdue": is_overdue(m, as_of),
        "days_overdue": (as_of - m.planned_due_on).days if is_overdue(m, as_of) else 0,
        "slip_days": m.slip_days,
    } for m in milestones[:TIMELINE_LIMIT]]}


def _health_changes(scope: Scope, since: date, as_of: date) -> list[Row]:
    """Milestones whose health changed between `since` and `as_of`, from their history."""
    history = Milestone.history.model
    rows = history.objects.filter(
        # A range on the indexed time itself (not on its date), so that the earliest rows
        # are read in order and the scan stops at the hundredth change.
        history_date__gte=start_of(since), history_date__lt=start_of(as_of + timedelta(1)),
    )
    if scope.initiative is not None:
        rows = rows.filter(initiative__in=scope.initiatives().values("pk"))
    rows = rows.annotate(previous_health=previous_value(history, "health")).exclude(
        previous_health=F("health")).exclude(previous_health__isnull=True).order_by(
        "history_date").values_list("id", "title_ja", "previous_health", "health",
                                    "history_date", "history_user_id")[:LIST_LIMIT]
    return [{"milestone": pk, "title_ja": title_ja, "from": before, "to": after,
             "on": timezone.localdate(moment), "by": by}
            for pk, title_ja, before, after, moment, by in rows]


def _stale_initiatives(scope: Scope, as_of: date) -> list[Row]:
    """Active initiatives stale on `as_of` (selectors.staleness: the reminders' rule, with
    each initiative's own threshold)."""
    rows = with_stale_reference(scope.initiatives().filter(status=InitiativeStatus.ACTIVE)
                                ).filter(stale_as_of(as_of)).order_by("path")[:LIST_LIMIT]
    return [{"id": i.id, "code": i.code, "name_ja": i.name_ja, "last_update": i.last_update}
            for i in rows]


def _unowned(scope: Scope) -> dict[str, list[Row]]:
    """Initiatives and milestones without anyone who can be told (selectors.ownership)."""
    initiatives = unowned_initiatives(scope.initiatives()).order_by("path").values_list(
        "id", "code", "name_ja")[:LIST_LIMIT]
    milestones = unowned_milestones(scope.milestones()).order_by(
        "planned_due_on", "id").values_list("id", "title_ja", "planned_due_on")[:LIST_LIMIT]
    return {"initiatives": [{"id": pk, "code": code, "name_ja": name_ja}
                            for pk, code, name_ja in initiatives],
            "milestones": [{"id": pk, "title_ja": title_ja, "planned_due_on": planned}
                           for pk, title_ja, planned in milestones]}


BURN_UP_MONTHS = 18
DONE_LATER = "done_later"  # the burn-up's work done after the report date within its month


def _month_start(day: date, months_back: int = 0) -> date:
    month = day.month - 1 - months_back
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


def _burn_up_start(as_of: date) -> date:
    return _month_start(as_of, BURN_UP_MONTHS - 1)


def _burn_up(scope: Scope, as_of: date) -> list[Row]:
    """Milestones planned (by their planned date) and done (by their completion date), summed
    month by month, over the months up to the report date and three after: from 17 months
    before the report date, or from the first month anything is planned or done, if later."""
    first, last = _burn_up_start(as_of), _month_start(as_of, -3)
    tallied = scope.month_tallies().filter(month__lte=last).order_by().values(
        "series", "month").annotate(n=Sum("n")).values_list("series", "month", "n")
    # What was done after the report date, within its month, was not done by then.
    this_month = _month_start(as_of)
    done_later = scope.milestones().filter(
        completed_on__gt=as_of, completed_on__lt=_month_start(as_of, -1)).order_by().annotate(
        series=Value(DONE_LATER), month=Value(this_month)).values(
        "series", "month").annotate(n=Count("pk")).values_list("series", "month", "n")
    counts: dict[tuple[str, date], int] = defaultdict(int)
    before = dict.fromkeys(TallySeries.values, 0)  # the months before the first point
    for series, month, n in tallied.union(done_later, all=True):
        if series == DONE_LATER:
            counts[TallySeries.DONE, month] -= n
        elif month < first:
            before[series] += n
        else:
            counts[series, month] += n
    points: list[Row] = []
    month = first
    total_planned, total_done = before[TallySeries.PLANNED], before[TallySeries.DONE]
    while month <= last:
        total_planned += counts[TallySeries.PLANNED, month]
        total_done += counts[TallySeries.DONE, month]
        points.append({"month": month.strftime("%Y-%m"), "planned": total_planned,
                       "done": total_done if month <= as_of else None})
        month = _month_start(month, -1)
    # Months before any milestone, a flat line at zero, say nothing (the report's own month
    # and those after it stay, so that a report with nothing yet still has its axis).
    while (points[0]["month"] < this_month.strftime("%Y-%m") and not points[0]["planned"]
           and not points[0]["done"]):
        points.pop(0)
    return points


class Measured(Protocol):
    """A KPI's value for a period: a KPIMeasurement, or the pair read without one."""

    @property
    def period_on(self) -> date: ...

    @property
    def value(self) -> Decimal: ...


class _Measured(NamedTuple):
    period_on: date
    value: Decimal


def kpi_forecast(kpi: KPI, measurements: Sequence[Measured], as_of: date) -> Row:
    """Where a KPI stands and whether its observed trend reaches the target in time."""
    measured = [m for m in measurements if m.period_on <= as_of]
    latest = measured[-1] if measured else None
    latest_value = latest.value if latest else kpi.baseline_value
    latest_year = latest.period_on.year if latest else kpi.baseline_year
    result: Row = {
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
                result["verdict"] = _verdict(kpi, target, Decimal(str(projected)), last.value)
    return result


def _verdict(kpi: KPI, target: Decimal, projected: Decimal, latest_value: Decimal) -> str:
    baseline = kpi.baseline_value
    if kpi.direction == KPIDirection.DECREASE:
        if projected <= target:
            return "on_track"
        start = baseline if baseline is not None else latest_value
        reached = (start - projected) / (start - target) if start != target else 0
        return "at_risk" if reached >= AT_RISK_SHARE else "off_track"
    if projected >= target:
        return "on_track"
    return "at_risk" if projected >= target * AT_RISK_SHARE else "off_track"


def _round(value: float | Decimal, places: int) -> float:
    return round(float(value), places)


def _kpis_with_measurements(scope: Scope) -> list[tuple[KPI, list[Measured]]]:
    """The scope's KPIs by code, each with its measurements by date, in one query (the
    measurements as plain pairs: a model instance each costs ten times as much, and a
    portfolio holds thousands)."""
    fields = [field.attname for field in KPI._meta.concrete_fields]
    rows = scope.kpis().order_by("code", "measurements__period_on").values_list(
        *fields, "measurements__period_on", "measurements__value")
    pk_at = fields.index(KPI._meta.pk.attname)
    kpis: dict[int, tuple[KPI, list[Measured]]] = {}
    for *values, period_on, value in rows:
        if (pk := values[pk_at]) not in kpis:
            kpis[pk] = (KPI(**dict(zip(fields, values, strict=True))), [])
        if period_on is not None:
            kpis[pk][1].append(_Measured(period_on, value))
    return list(kpis.values())


def progress_report(*, as_of: date, since: date | None = None,
                    initiative: Initiative | None = None) -> Row:
    """The report data for the portfolio (initiative None) or one initiative's subtree."""
    scope = Scope(initiative)
    since = since or as_of - timedelta(days=30)
    milestones = scope.milestones()
    groups, place_rows = sums_by_initiative_and_place(
        scope.tallies().values("initiative_id", "project_key", *_TALLY_SUMS), _TALLY_SUMS,
        _dated_counts(scope, as_of), _DATED_SUMS, place_sums=tuple(PLACE_FIGURES.values()))
    places = _by_place_and_initiative(scope, groups, place_rows)
    slipped = _slipped(milestones, as_of)
    return {
        "as_of": as_of, "since": since,
        "initiative": ({"id": initiative.id, "code": initiative.code,
                        "name_ja": initiative.name_ja, "name_en": initiative.name_en}
                       if initiative else None),
        "milestones": _counts(groups, slipped),
        "overdue": _milestone_rows(milestones.filter(overdue_on(as_of)).order_by(
            "planned_due_on", "id"), as_of),
        "due_soon": _milestone_rows(milestones.filter(due_within(as_of, DUE_SOON_DAYS)).order_by(
            "planned_due_on", "id"), as_of),
        "slipped": slipped,
        "burn_up": _burn_up(scope, as_of),
        "timeline": _timeline(scope, as_of),
        "health_changes": _health_changes(scope, since, as_of),
        "stale_initiatives": _stale_initiatives(scope, as_of),
        "unowned": _unowned(scope),
        "by_region": places["region"],
        "by_country": places["country"],
        "by_field": places["field"],
        "by_initiative": places["initiative"],
        "kpis": kpi_forecasts(as_of=as_of, initiative=initiative),
    }


def kpi_forecasts(*, as_of: date, initiative: Initiative | None = None) -> list[Row]:
    """Every KPI of the portfolio (or of one initiative's subtree) with its forecast."""
    return [kpi_forecast(kpi, measurements, as_of)
            for kpi, measurements in _kpis_with_measurements(Scope(initiative))]
