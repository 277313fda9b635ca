"""The Celery app: `celery -A tracker worker` and `celery -A tracker beat`.

Configuration comes from Django settings (CELERY_*). With REDIS_URL the broker is Redis;
without it, a folder of files (`.celery/`, CELERY_BROKER_FOLDER), which the worker `make run`
starts reads, through `FolderTransport`: the first process to use the broker makes its folders,
a web process under plain `runserver` as well as the worker.
"""

import os
from pathlib import Path

from celery import Celery
from kombu.transport import filesystem

FOLDER_OPTIONS = ("data_folder_in", "data_folder_out", "control_folder", "processed_folder")


class FolderChannel(filesystem.Channel):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # kombu's file broker expects its folders to be there; a missing one would fail the
        # first publish (FileNotFoundError) in whichever process makes it.
        for option in FOLDER_OPTIONS:
            folder = self.transport_options.get(option)
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)


class FolderTransport(filesystem.Transport):
    """kombu's file broker (CELERY_BROKER_TRANSPORT without Redis), making its folders when
    it opens a channel."""

    Channel = FolderChannel

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings.development")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
