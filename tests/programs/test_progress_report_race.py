"""Two managers approving the same report at the same moment: one wins, the other gets 409."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone
from rest_framework.test import APIClient

from programs.models import ProgressReport, ReportStatus
from tests.factories import InitiativeFactory, ProgressReportFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs concurrent transactions: PostgreSQL (CI runs it there)"),
]


@pytest.mark.parametrize("round_", range(5))
def test_two_simultaneous_approvals_one_wins_one_conflicts(round_):
    officer = UserFactory(role="officer")
    managers = [UserFactory(role="manager") for _ in range(2)]
    report = ProgressReportFactory(
        initiative=InitiativeFactory(owner=officer), period="2026-Q3", narrative="報告",
        status=ReportStatus.SUBMITTED, submitted_at=timezone.now(), figures={"milestones": {}},
        figures_as_of=timezone.localdate(), prepared_by=officer, submitted_by=officer)
    start = threading.Barrier(2)
    statuses = []

    def approve(manager):
        client = APIClient()
        client.force_authenticate(user=manager)
        try:
            start.wait()
            # If-Match: * — the race is between two moves of whatever is current, decided by
            # the row lock and the workflow, not by versions.
            statuses.append(client.post(f"/api/v1/progress-reports/{report.pk}/approve/",
                                        HTTP_IF_MATCH="*").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(manager,)) for manager in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 409]
    approved = ProgressReport.objects.get(pk=report.pk)
    assert approved.status == ReportStatus.APPROVED
    assert approved.history.filter(history_change_reason="approved").count() == 1
