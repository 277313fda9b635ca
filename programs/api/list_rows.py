"""The milestone list's page built from the columns it shows, read as values: the API's
busiest read. A page of 100 milestones through MilestoneSerializer costs about 20 ms of
model instances and serializer fields, more than its SQL; built here it costs about 1 ms.

The output is MilestoneSerializer's, field for field (tests/api/test_list_rows.py holds the
two equal), and the schema still documents the serializer. A single record, and every
write's answer, still goes through the serializer.
"""

from datetime import date, datetime, tzinfo
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import display_name_of

from ..models import Milestone
from ..selectors.milestones import countries_of, is_overdue_row

COLUMNS = ("id", "initiative_id", "initiative__code", "initiative__name_ja",
           "initiative__name_en", "project_id", "title_ja", "title_en", "description",
           "owner_id", "owner__username", "owner__last_name", "owner__first_name",
           "planned_due_on", "baseline_due_on", "status", "completed_on", "health",
           "percent_complete", "version", "created_at", "updated_at")


class MilestoneRows:
    """What the paginator pages: `milestones` (filtered and ordered) counted alone, unless
    the count is given; a page read as the columns a list shows, in COLUMNS' order. Counted
    through the page's joins, PostgreSQL would read every matching row through them."""

    def __init__(self, milestones: QuerySet[Milestone], *, count: int | None = None) -> None:
        self.milestones = milestones
        self.known_count = count  # where a tally has answered it (MilestoneFilter)

    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        return self.milestones.count()

    def __getitem__(self, page: slice) -> list[tuple[Any, ...]]:
        return list(self.milestones.values_list(*COLUMNS)[page])


def _moment(value: datetime, zone: tzinfo) -> str:
    # As DRF's DateTimeField writes it: in the current time zone, UTC as Z.
    written = value.astimezone(zone).isoformat()
    return written[:-6] + "Z" if written.endswith("+00:00") else written


def milestone_representations(rows: list[tuple[Any, ...]], *, today: date) -> list[dict]:
    """A page of `MilestoneRows` as the API shows milestones."""
    countries = countries_of((row[0], row[1], row[5]) for row in rows)
    zone = timezone.get_current_timezone()
    return [{
        "id": milestone_id,
        "initiative": {"id": initiative_id, "code": code, "name_ja": name_ja,
                       "name_en": name_en},
        "project": project_id,
        "countries": countries[milestone_id],
        "title_ja": title_ja, "title_en": title_en, "description": description,
        "owner": {"id": owner_id, "username": username,
                  "name": display_name_of(last_name, first_name, username)},
        "planned_due_on": planned.isoformat(), "baseline_due_on": baseline.isoformat(),
        "slip_days": (planned - baseline).days,
        "is_overdue": is_overdue_row(status, planned, today),
        "status": status,
        "completed_on": completed_on.isoformat() if completed_on else None,
        "health": health, "percent_complete": percent_complete, "version": version,
        "created_at": _moment(created_at, zone), "updated_at": _moment(updated_at, zone),
    } for (milestone_id, initiative_id, code, name_ja, name_en, project_id, title_ja, title_en,
           description, owner_id, username, last_name, first_name, planned, baseline, status,
           completed_on, health, percent_complete, version, created_at, updated_at) in rows]
