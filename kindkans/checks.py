"""`manage.py check --deploy` errors for a production set-up that would quietly lose work.

Each is an Error (the command exits non-zero), not a Warning, and only with DEBUG off: the demo
set-up (files for mail, a folder under var/) is right for development and wrong in production.
"""

from __future__ import annotations

import shutil
import subprocess

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.files.storage import FileSystemStorage
from django.utils.module_loading import import_string


@register(Tags.compatibility, deploy=True)
def libreoffice_installed(app_configs, **kwargs) -> list[Error]:
    """LibreOffice is there and starts (`soffice --version`, a tenth of a second): a binary
    that cannot run (missing libraries, the wrong program) would fail every letter's PDF too."""
    if settings.DEBUG:
        return []
    hint = (
        "Install LibreOffice Writer headless (Debian: libreoffice-writer-nogui) where the worker "
        "runs, or set SOFFICE to the full path of its soffice binary."
    )
    # The same lookup as formulieren.word.soffice_path (this project-wide check imports no app).
    soffice = shutil.which(settings.SOFFICE) if settings.SOFFICE else None
    if soffice is None:
        return [
            Error(
                f"LibreOffice is not found (SOFFICE={settings.SOFFICE!r}): decision letters and "
                "the Word export would be made without their PDF.",
                hint=hint,
                id="kindkans.E001",
            )
        ]
    try:
        result = subprocess.run(  # noqa: S603 - the configured binary, fixed arguments
            [soffice, "--headless", "--version"], capture_output=True, text=True, timeout=60
        )
        runs = result.returncode == 0 and "LibreOffice" in result.stdout
    except (OSError, subprocess.TimeoutExpired):
        runs = False
    if runs:
        return []
    return [
        Error(
            f"{soffice} does not run as LibreOffice (soffice --version failed): decision letters "
            "and the Word export would be made without their PDF.",
            hint=hint,
            id="kindkans.E001",
        )
    ]


@register(Tags.compatibility, deploy=True)
def mail_goes_out(app_configs, **kwargs) -> list[Error]:
    if settings.DEBUG or settings.EMAIL_HOST:
        return []
    return [
        Error(
            "EMAIL_HOST is empty: every e-mail (notifications, password resets, reminders) "
            "would be written as a file under the var folder and reach nobody.",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) to the "
            "SMTP server (docs/configuration.md, E-mail).",
            id="kindkans.E002",
        )
    ]


@register(Tags.compatibility, deploy=True)
def attachments_persist(app_configs, **kwargs) -> list[Error]:
    """Attachments on local disk need a folder the operator chose (a mounted volume, a backed-up
    disk): the default under the code's var/ folder disappears with a container or a release."""
    if settings.DEBUG:
        return []
    backend = import_string(settings.STORAGES["default"]["BACKEND"])
    if not issubclass(backend, FileSystemStorage):
        return []
    if not settings.BIJLAGEN_DIR:
        return [
            Error(
                "Attachments are stored on local disk in the default folder "
                f"{settings.STORAGES['default']['OPTIONS']['location']}, which no one chose "
                "to keep: set BIJLAGEN_DIR explicitly, or use S3.",
                hint="Set BIJLAGEN_DIR to an absolute path on persistent, backed-up storage (in "
                "docker compose: the bijlagen volume), or S3_BUCKET (docs/configuration.md).",
                id="kindkans.E003",
            )
        ]
    if not settings.BIJLAGEN_DIR.startswith("/"):
        return [
            Error(
                f"BIJLAGEN_DIR={settings.BIJLAGEN_DIR!r} is not an absolute path.",
                hint="Give the absolute path of the persistent folder for attachments.",
                id="kindkans.E003",
            )
        ]
    return []
