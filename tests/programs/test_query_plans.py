"""The lists read a page through an index, never by reading every milestone or history row;
nor do the reports, which sum the tallies and read the history through its date index.

Every query a request runs on the milestone or history tables is EXPLAINed on PostgreSQL after
`generate_load --scale 0.2` (20,000 milestones, 200,000 history rows) and ANALYZE. What this
proves: with statistics of a data set of that shape, the planner picks an index for each
paged list and its count. `make bench` runs the same check on the paged lists at each scale
it measures (scale 5 takes minutes to generate, too long for `make test`).
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token

from accounts.models import User
from programs.models import Milestone
from tests.support.query_plans import paged_list_scans, plans_of, sequential_scans

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="query plans are PostgreSQL's (CI runs it there)"),
]


@pytest.fixture
def at_scale():
    call_command("seed", "--with-demo-users", stdout=StringIO())
    call_command("generate_load", "--scale", "0.2", stdout=StringIO(), stderr=StringIO())
    with connection.cursor() as cursor:
        # Inside the test's transaction ANALYZE counts and samples its own new rows too.
        cursor.execute("ANALYZE")


def test_no_paged_list_reads_every_milestone_or_history_row(at_scale):
    token, _ = Token.objects.get_or_create(user=User.objects.get(username="manager"))
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert Milestone.objects.count() >= 20_000
    assert paged_list_scans(client) == {}


def test_the_reports_read_neither_every_milestone_nor_every_history_row(at_scale):
    """The reports sum the milestone tallies, count overdue work from the open-work index and
    read the lists through their indexes; of the history they read the last 30 days' changes,
    through the index on their date."""
    token, _ = Token.objects.get_or_create(user=User.objects.get(username="manager"))
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    top = Milestone.objects.order_by("initiative__path").values_list(
        "initiative_id", flat=True).first()
    scanned = {}
    for url in ("/api/v1/reports/portfolio/", f"/api/v1/reports/initiatives/{top}/"):
        for sql, plan in plans_of(client, url):
            if tables := sequential_scans(plan):
                scanned[url] = (tables, sql[:300])
    assert scanned == {}
