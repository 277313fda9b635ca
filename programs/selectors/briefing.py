"""What the briefing deck shows beyond the progress report: a slide per pillar (its status,
figures, next milestones and KPIs) and the worst slips.

A pillar is a top-level initiative of the portfolio, or a sub-initiative of the reported
initiative, with everything below it; the reported initiative's own milestones and KPIs (not
in a sub-initiative) make a slide of their own. Five queries, whatever the number of
initiatives and milestones."""

from datetime import date
from typing import Any, TypeAlias

from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import Coalesce, RowNumber

from ..models import CLOSED_STATUSES, Health, Initiative, Milestone
from ..models.initiative import PATH_SEPARATOR
from .milestones import SLIPPED, overdue_on
from .reports import Scope

Row: TypeAlias = dict[str, Any]
NEXT_MILESTONES = 4  # on a pillar's slide
TOP_SLIPS = 5  # on the summary slide


def _pillar_code(path: str, root: Initiative | None) -> str:
    """The code of the pillar an initiative (by its path) belongs to."""
    codes = path.split(PATH_SEPARATOR)
    depth = root.depth + 1 if root else 0
    return codes[min(depth, len(codes) - 1)]


def _figures(milestones: QuerySet[Milestone], as_of: date) -> dict[int, Row]:
    """Per initiative: milestones by health, done, overdue, still to come, completion."""
    open_ = ~Q(status__in=CLOSED_STATUSES)
    rows = milestones.order_by().values("initiative_id").annotate(
        total=Count("pk"),
        **{f"health_{h}": Count("pk", filter=Q(health=h)) for h in Health.values},
        overdue=Count("pk", filter=overdue_on(as_of)),
        upcoming=Count("pk", filter=open_ & Q(planned_due_on__gte=as_of)),
        percent_sum=Coalesce(Sum("percent_complete"), 0))
    return {row.pop("initiative_id"): row for row in rows}


def _next_milestones(milestones: QuerySet[Milestone], as_of: date) -> list[Row]:
    """Each initiative's first few open milestones from `as_of` on, by planned date."""
    ranked = milestones.filter(~Q(status__in=CLOSED_STATUSES), planned_due_on__gte=as_of).annotate(
        rank=Window(RowNumber(), partition_by=[F("initiative_id")],
                    order_by=[F("planned_due_on").asc(), F("id").asc()]),
    ).filter(rank__lte=NEXT_MILESTONES).values(
        "id", "initiative_id", "title_ja", "planned_due_on", "status", "health")
    return list(ranked)


def _open_slips(milestones: QuerySet[Milestone]) -> Row:
    """The open milestones furthest behind their baseline, worst first, and how many open
    milestones have slipped in all (counted in the same query)."""
    slip = F("planned_due_on") - F("baseline_due_on")
    rows = list(milestones.filter(SLIPPED, ~Q(status__in=CLOSED_STATUSES)).annotate(
        slipped=Window(Count("pk"))).order_by(
        slip.desc(), "planned_due_on", "id").select_related("initiative")[:TOP_SLIPS])
    return {"count": rows[0].slipped if rows else 0,
            "worst": [{"id": m.id, "title_ja": m.title_ja, "initiative": m.initiative.code,
                       "planned_due_on": m.planned_due_on,
                       "baseline_due_on": m.baseline_due_on, "slip_days": m.slip_days,
                       "status": m.status, "health": m.health} for m in rows]}


def briefing(*, as_of: date, initiative: Initiative | None = None) -> Row:
    """The pillars (by path) and the open slips of the portfolio or an initiative."""
    scope = Scope(initiative)
    milestones = scope.milestones()
    initiatives = list(scope.initiatives().order_by("path").values(
        "id", "code", "name_ja", "path", "status", "health"))
    figures = _figures(milestones, as_of)
    pillar_of = {row["id"]: _pillar_code(row["path"], initiative) for row in initiatives}
    pillars: dict[str, Row] = {
        row["code"]: {"id": row["id"], "code": row["code"], "name_ja": row["name_ja"],
                      "status": row["status"], "health": row["health"], "total": 0,
                      "by_health": dict.fromkeys(Health.values, 0), "overdue": 0,
                      "upcoming": 0, "percent_sum": 0, "next_milestones": [], "kpis": []}
        for row in initiatives if pillar_of[row["id"]] == row["code"]}
    for initiative_id, row in figures.items():
        pillar = pillars[pillar_of[initiative_id]]
        for key in ("total", "overdue", "upcoming", "percent_sum"):
            pillar[key] += row[key]
        for health in Health.values:
            pillar["by_health"][health] += row[f"health_{health}"]
    for milestone in _next_milestones(milestones, as_of):
        pillars[pillar_of[milestone["initiative_id"]]]["next_milestones"].append(milestone)
    # (A KPI of the whole strategy, on no initiative, is on the summary slide alone.)
    for kpi_id, initiative_id in scope.kpis().filter(initiative__isnull=False).order_by(
            "code").values_list("id", "initiative_id"):
        pillars[pillar_of[initiative_id]]["kpis"].append(kpi_id)
    for pillar in pillars.values():
        pillar["next_milestones"].sort(key=lambda m: (m["planned_due_on"], m["id"]))
        del pillar["next_milestones"][NEXT_MILESTONES:]
        total = pillar["total"]
        pillar["percent_complete"] = round(pillar.pop("percent_sum") / total, 1) if total else 0.0
    # The reported initiative's own slide only when it has work of its own.
    root = pillars.get(initiative.code) if initiative else None
    if root is not None and len(pillars) > 1 and not (root["total"] or root["kpis"]):
        del pillars[initiative.code]  # type: ignore[union-attr]
    return {"pillars": list(pillars.values()), "open_slips": _open_slips(milestones)}
