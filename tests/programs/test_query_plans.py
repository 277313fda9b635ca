"""The lists read a page through an index, never by reading every milestone or history row;
the reports read the history through its date index.

Every query a request runs on the milestone or history tables is EXPLAINed on PostgreSQL after
`generate_load --scale 0.2` (20,000 milestones, 200,000 history rows) and ANALYZE. What this
proves: with statistics of a data set of that shape, the planner picks an index for each
paged list and its count; at scale 5 (25 times the rows) a sequential scan only costs more
against the same index plans, so it is a floor, not a measurement at scale 5 (which takes
minutes to generate; `make bench` times the lists there).
"""

from datetime import timedelta
from io import StringIO

import orjson
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from accounts.models import User
from programs.models import Milestone
from programs.services.common import today

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="query plans are PostgreSQL's (CI runs it there)"),
]
WATCHED_TABLES = ("programs_milestone", "programs_historicalmilestone")
# Queries that must read everything they count: the unfiltered list's total.
WHOLE_TABLE_COUNTS = ('SELECT COUNT(*) AS "__count" FROM "programs_milestone"',)


@pytest.fixture
def at_scale():
    call_command("seed", "--with-demo-users", stdout=StringIO())
    call_command("generate_load", "--scale", "0.2", stdout=StringIO(), stderr=StringIO())
    with connection.cursor() as cursor:
        # Inside the test's transaction ANALYZE counts and samples its own new rows too.
        cursor.execute("ANALYZE")


def sequential_scans(plan):
    """The watched tables a plan (EXPLAIN's JSON) reads from end to end."""
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in WATCHED_TABLES:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found += sequential_scans(child)
    return found


def plans_of(client, url):
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


def test_no_paged_list_reads_every_milestone_or_history_row(at_scale):
    token, _ = Token.objects.get_or_create(user=User.objects.get(username="manager"))
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert Milestone.objects.count() >= 20_000
    scanned = {}
    for name, query in paged_lists().items():
        for sql, plan in plans_of(client, f"/api/v1/milestones/?page_size=100&{query}"):
            if sql.startswith(WHOLE_TABLE_COUNTS) and " WHERE " not in sql:
                continue
            if tables := sequential_scans(plan):
                scanned[name] = (tables, sql[:300])
    assert scanned == {}


def test_the_reports_read_only_the_recent_history(at_scale):
    """The reports sum over every milestone in scope, which is a full read by nature; of the
    history they read the last 30 days' changes, through the index on their date."""
    token, _ = Token.objects.get_or_create(user=User.objects.get(username="manager"))
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    top = Milestone.objects.order_by("initiative__path").values_list(
        "initiative_id", flat=True).first()
    scanned = {}
    for url in ("/api/v1/reports/portfolio/", f"/api/v1/reports/initiatives/{top}/"):
        for sql, plan in plans_of(client, url):
            if "programs_historicalmilestone" in sequential_scans(plan):
                scanned[url] = sql[:300]
    assert scanned == {}
