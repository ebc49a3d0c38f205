"""Helpers for the login tests: the password step on its own, the session's state."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD


def post_login(
    client,
    user,
    *,
    code: str = "",
    password: str = TEST_PASSWORD,
    ip=None,
    headers: dict | None = None,
    **extra,
):
    data = {
        "organisatie": user.organisatie.naam if user.organisatie else "",
        "username": user.username,
        "password": password,
        "code": code,
        **extra,
    }
    meta = {"REMOTE_ADDR": ip} if ip else {}
    return client.post(reverse("login"), data, headers=headers, **meta)


def password_step_only(client, user):
    """Log in with the password only: the session is authenticated but not verified."""
    response = post_login(client, user)
    assert response.status_code == 302
    return response


@pytest.fixture
def counting_hasher(settings):
    """Count every password hash computed (Django's MD5 hasher, as the test settings use)."""
    from tests.accounts.hashers import CountingMD5Hasher

    settings.PASSWORD_HASHERS = ["tests.accounts.hashers.CountingMD5Hasher"]
    CountingMD5Hasher.calls = 0
    return CountingMD5Hasher
