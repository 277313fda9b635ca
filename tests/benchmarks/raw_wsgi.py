"""The throughput floor: a WSGI app with nothing but the hand-written SQL of the milestone list
and orjson (no routing, middleware, authentication or serializers). gunicorn serves it like
the tracker: `gunicorn tests.benchmarks.raw_wsgi:application`."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings.development")

import django  # noqa: E402

django.setup()  # for the database connection settings only

from programs.models import Region  # noqa: E402
from programs.services.common import today  # noqa: E402

from .baselines import milestone_page  # noqa: E402

REGION_ID = Region.objects.get(code=os.environ.get("BENCH_REGION", "ASIA_PACIFIC")).pk


def application(environ, start_response):
    body = milestone_page(region_id=REGION_ID, today=today(), page_size=100)
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
    return [body]
