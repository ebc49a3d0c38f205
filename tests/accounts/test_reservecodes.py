"""Backup codes are stored as a keyed hash, not as the code (accounts.models.Reservecodes): the
database alone does not let anyone log in; codes issued before the change keep working
(migration accounts/0004); a SECRET_KEY rotated the Django way (old key in SECRET_KEY_FALLBACKS)
keeps them working too."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from tests.accounts.conftest import password_step_only
from tests.accounts.test_enrolment import enrol
from tests.helpers import totp_device

pytestmark = pytest.mark.django_db

migratie = importlib.import_module("accounts.migrations.0004_reservecodes_gehasht")


def use_code(client, user, code) -> bool:
    client.post(reverse("logout"))
    password_step_only(client, user)
    client.post(reverse("code"), {"code": code})
    return client.get(reverse("start")).status_code == 200


def test_the_database_holds_no_backup_code(client, world, time_machine):
    _secret, codes = enrol(client, world.coordinator_a)
    stored = list(
        StaticToken.objects.filter(device__user=world.coordinator_a).values_list("token", flat=True)
    )
    assert len(stored) == 10
    assert not set(stored) & set(codes)
    assert all(len(t) == 16 and int(t, 16) >= 0 for t in stored)
    # Typing the stored value itself is not a code.
    assert not use_code(client, world.coordinator_a, stored[0])
    time_machine.move_to(timezone.now() + timedelta(seconds=1.1))  # past the throttle's 1 s
    assert use_code(client, world.coordinator_a, codes[0])


def test_codes_issued_before_hashing_keep_working(client, world):
    """What the previous version stored: django-otp's plain StaticToken. The migration hashes it
    in place; the user's written-down code still logs in, once."""
    device = StaticDevice.objects.create(user=world.coordinator_a, name="Reservecodes")
    StaticToken.objects.create(device=device, token="abcd2345")
    StaticToken.objects.create(device=device, token="wxyz7654")
    totp_device(world.coordinator_a)  # the app, as every user with backup codes has one
    migratie.codes_hashen(apps, None)
    migratie.codes_hashen(apps, None)  # twice: a hash is not hashed again
    stored = set(StaticToken.objects.filter(device=device).values_list("token", flat=True))
    assert "abcd2345" not in stored and len(stored) == 2
    assert use_code(client, world.coordinator_a, "ABCD-2345")
    assert not use_code(client, world.coordinator_a, "abcd2345")  # used once


def test_rotated_secret_key_keeps_codes_through_the_fallback(client, world, settings):
    _secret, codes = enrol(client, world.coordinator_a)
    oud = settings.SECRET_KEY
    settings.SECRET_KEY = "een-nieuwe-geheime-sleutel-" + "n" * 40
    settings.SECRET_KEY_FALLBACKS = [oud]
    assert use_code(client, world.coordinator_a, codes[0])
    settings.SECRET_KEY_FALLBACKS = []
    assert not use_code(client, world.coordinator_a, codes[1])


def test_fallback_keys_come_from_the_environment(tmp_path):
    """SECRET_KEY_FALLBACKS is read from the environment (comma-separated), so an operator can
    rotate the key without a code change."""
    from tests.kindkans.test_settings_and_quality import run_manage

    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)",
        env={
            "DEBUG": "true",
            "SECRET_KEY_FALLBACKS": "oude-sleutel-1, oude-sleutel-2",
            "KINDKANS_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert "['oude-sleutel-1', 'oude-sleutel-2']" in result.stdout
