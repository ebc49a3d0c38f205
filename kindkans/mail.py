from __future__ import annotations

import os
import uuid

from django.core.mail.backends.filebased import EmailBackend
from django.utils import timezone


class OneFilePerMessageBackend(EmailBackend):
    """Writes every message to its own .eml file under EMAIL_FILE_PATH, so a demo user can open
    exactly the mail one action sent (Django's file backend puts a whole connection in one file)."""

    def _get_filename(self) -> str:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        return os.path.join(self.file_path, f"{stamp}-{uuid.uuid4().hex[:12]}.eml")

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages:
            self.close()
            sent += super().send_messages([message])
        self.close()
        return sent
