"""The Celery app: `celery -A tracker worker` and `celery -A tracker beat`.

Configuration comes from Django settings (CELERY_*). With REDIS_URL the broker is Redis;
without it, a folder of files (`.celery/`), which the worker `make run` starts reads.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings.development")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
