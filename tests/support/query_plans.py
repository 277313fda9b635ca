"""Which tables a request's queries read from end to end, by PostgreSQL's own EXPLAIN: the
checks `tests/programs/test_query_plans.py` runs at scale 0.2 and `make bench` at each scale
it measures."""

from datetime import timedelta

import orjson
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from programs.models import Milestone
from programs.services.common import today

WATCHED_TABLES = ("programs_milestone", "programs_historicalmilestone")
# Queries that must read everything they count: the unfiltered list's total.
WHOLE_TABLE_COUNTS = ('SELECT COUNT(*) AS "__count" FROM "programs_milestone"',)


def sequential_scans(plan):
    """The watched tables a plan (EXPLAIN's JSON) reads from end to end."""
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in WATCHED_TABLES:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found += sequential_scans(child)
    return found


def plans_of(client: Client, url: str):
    """(sql, plan) of each query on a watched table that a GET of `url` runs."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    plans = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.startswith("SELECT") or not any(table in sql for table in WATCHED_TABLES):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            raw = cursor.fetchone()[0]
        plans.append((sql, (orjson.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]))
    return plans


def paged_lists():
    """The milestone lists people page through: {name: query string}."""
    officer = (Milestone.objects.values("owner").order_by("owner").first() or {})["owner"]
    soon = today() + timedelta(days=30)
    return {
        "the whole list, first page": "",
        "overdue": "overdue=true",
        "overdue in a region": "overdue=true&region=ASIA_PACIFIC",
        "an owner's open work": f"owner={officer}&status=not_started&status=in_progress"
                                "&status=blocked",
        "an owner's overdue work": f"owner={officer}&overdue=true",
        "due in the next 30 days": f"due_after={today()}&due_before={soon}",
        "slipped, open": "slipped=true&overdue=true",
    }


def paged_list_scans(client: Client) -> dict[str, tuple[list[str], str]]:
    """{list name: (tables read in full, the query)} for each paged milestone list that reads
    the milestone or history table from end to end (the unfiltered list's total aside)."""
    scanned = {}
    for name, query in paged_lists().items():
        for sql, plan in plans_of(client, f"/api/v1/milestones/?page_size=100&{query}"):
            if sql.startswith(WHOLE_TABLE_COUNTS) and " WHERE " not in sql:
                continue
            if tables := sequential_scans(plan):
                scanned[name] = (tables, sql[:300])
    return scanned
