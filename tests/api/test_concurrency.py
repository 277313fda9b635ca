"""Two people editing the same milestone at once: nobody's change is silently lost."""

import threading

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from programs.models import Milestone
from tests.factories import InitiativeFactory, MilestoneFactory
from tests.support.figures import record

ROUNDS = 100

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs concurrent writers: PostgreSQL (CI runs it there)"),
]


def append_rounds(user, milestone_id, tag, accepted, stale, errors):
    """Read the milestone, append a line to its description, write it back with If-Match;
    on 412 read again and retry, as a client should. Anything else ends the writer, noted in
    `errors` (an assertion inside a thread would not fail the test)."""
    client = APIClient()
    client.force_authenticate(user=user)
    url = f"/api/v1/milestones/{milestone_id}/"
    try:
        for round_number in range(ROUNDS):
            while True:
                current = client.get(url)
                line = f"{tag}-{round_number}"
                response = client.patch(
                    url, {"description": current.json()["description"] + line + ";"},
                    format="json", HTTP_IF_MATCH=current["ETag"])
                if response.status_code == 200:
                    accepted.append(line)
                    break
                if response.status_code != 412:
                    errors.append((response.status_code, response.content))
                    return
                stale.append(line)
    except Exception as error:  # reported by the test, with what happened
        errors.append(repr(error))
    finally:
        connections.close_all()


def test_two_concurrent_writers_lose_no_update(officer):
    milestone = MilestoneFactory(initiative=InitiativeFactory(owner=officer), description="")
    accepted, stale, errors = [], [], []
    writers = [threading.Thread(target=append_rounds,
                                args=(officer, milestone.pk, tag, accepted, stale, errors))
               for tag in ("a", "b")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()

    assert not errors, errors
    # The writers really raced: some writes were refused as stale, and retried.
    assert stale, "the writers never overlapped: the race was not tested"
    final = Milestone.objects.get(pk=milestone.pk)
    assert len(accepted) == 2 * ROUNDS
    assert sorted(filter(None, final.description.split(";"))) == sorted(accepted)
    assert final.version == 1 + 2 * ROUNDS
    record(f"two writers x {ROUNDS} rounds on one milestone (PostgreSQL): {len(accepted)} "
           f"changes accepted, {len(stale)} retried after 412, none lost")
