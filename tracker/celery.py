"""The Celery app: `celery -A tracker worker` and `celery -A tracker beat`.

Configuration comes from Django settings (CELERY_*); without REDIS_URL tasks run eagerly in
the calling process, so nothing needs a broker on a developer's machine.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
