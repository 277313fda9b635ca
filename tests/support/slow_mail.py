"""An e-mail backend for the worker tests: writes each message to a file like Django's
file backend, after a pause long enough to kill the worker mid-send (SLOW_MAIL_SECONDS), or
after writing it, before the worker can mark it sent (SLOW_MAIL_AFTER_SECONDS). With
MAIL_CAN_TELL set it answers `was_accepted(message_id)`, as a backend that can tell does."""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class EmailBackend(FileBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0")))
        sent = super().send_messages(email_messages)
        time.sleep(float(os.environ.get("SLOW_MAIL_AFTER_SECONDS", "0")))
        return sent

    def was_accepted(self, message_id):
        if not os.environ.get("MAIL_CAN_TELL"):
            return False
        return any(f"Message-ID: {message_id}" in path.read_text()
                   for path in Path(settings.EMAIL_FILE_PATH).glob("*.log"))
