"""An e-mail backend for the worker tests: writes each message to a file like Django's
file backend, after a pause long enough to kill the worker mid-send."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class EmailBackend(FileBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0")))
        return super().send_messages(email_messages)
