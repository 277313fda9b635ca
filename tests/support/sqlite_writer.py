"""A web-request writer in its own process, on a file SQLite database (DATABASE_URL): what the
web server and the Celery worker of `make run` are to each other.

    python -m tests.support.sqlite_writer setup            migrate, create an officer and a
                                                            milestone, print their ids as JSON
    python -m tests.support.sqlite_writer write ID N START  at time START, post N status
                                                            updates on milestone ID through the
                                                            API; print the status codes as JSON
"""

import json
import os
import sys
import time


def main(mode, *args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings.test")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from accounts.models import User

    if mode == "setup":
        call_command("migrate", verbosity=0)
        from tests.factories import InitiativeFactory, MilestoneFactory, UserFactory

        officer = UserFactory(role="officer", username="writer")
        milestone = MilestoneFactory(initiative=InitiativeFactory(owner=officer), owner=officer)
        print(json.dumps({"milestone": milestone.pk}))
        return
    milestone_id, count, start = int(args[0]), int(args[1]), float(args[2])
    client = APIClient()
    client.force_authenticate(User.objects.get(username="writer"))
    time.sleep(max(0.0, start - time.time()))
    codes = []
    for n in range(count):
        response = client.post(f"/api/v1/milestones/{milestone_id}/status-updates/",
                               {"summary": f"{os.getpid()} #{n}"}, format="json")
        codes.append(response.status_code)
    print(json.dumps(codes))


if __name__ == "__main__":
    main(*sys.argv[1:])
