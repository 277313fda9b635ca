"""Two sweeps started at the same moment send each reminder once between them."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections

from programs.models import Delivery
from programs.services.deliveries import delivery_send
from programs.services.reminders import reminders_sweep
from tests.factories import (
    InitiativeFactory,
    MilestoneFactory,
    NotificationPreferenceFactory,
    UserFactory,
)

DUE = date(2026, 12, 1)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs concurrent transactions: PostgreSQL (CI runs it there)"),
]


def test_two_simultaneous_sweeps_send_each_reminder_once(mailoutbox):
    owners = [UserFactory(role="officer") for _ in range(5)]
    for owner in owners:
        NotificationPreferenceFactory(user=owner, kind="due_soon", frequency="immediate")
        initiative = InitiativeFactory(owner=owner)
        MilestoneFactory.create_batch(8, initiative=initiative, planned_due_on=DUE,
                                      baseline_due_on=DUE)
    start = threading.Barrier(2)
    reports = []

    def sweep():
        try:
            start.wait()
            report = reminders_sweep(on=DUE - timedelta(days=7))
            for delivery_id in report.to_send:
                delivery_send(delivery_id)
            reports.append(report)
        finally:
            connections.close_all()

    sweeps = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in sweeps:
        thread.start()
    for thread in sweeps:
        thread.join()

    assert sum(report.sent for report in reports) == 40
    assert Delivery.objects.count() == 40
    assert len(mailoutbox) == 40
    assert len({tuple(m.to) + (m.subject,) for m in mailoutbox}) == 40
