"""The reset mail with REDIS_URL: the request only queues the task; a real Celery worker process
(tests/kindkans/test_tasks.py starts it on the test database) finds the account, writes the mail
through the project's mail backend (one file per message under its var/mail/) and the link in
that mail works. Without Redis this skips locally and fails in CI, like the other worker tests."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import post_login
from tests.kindkans.test_tasks import REDIS_URL, _app_sends_to, _wait_for, worker  # noqa: F401

NEW = "Heel-nieuw-wachtwoord-8"


@pytest.mark.django_db(transaction=True)
def test_worker_sends_the_reset_mail_and_its_link_works(worker, world):  # noqa: F811
    maildir = worker["log"].parent / "mail"
    client = Client()
    with _app_sends_to(REDIS_URL, worker["queue"]):
        response = client.post(
            reverse("wachtwoord_vergeten"), {"organisatie": "VO2505", "invoer": "piet"}
        )
        assert response["Location"] == reverse("wachtwoord_vergeten_verstuurd")
        (bestand,) = _wait_for(lambda: list(maildir.glob("*.eml")), worker=worker)
    tekst = bestand.read_text()
    assert "To: piet@school.example" in tekst
    site = re.escape(settings.SITE_URL.rstrip("/"))
    link = re.search(site + r"(/wachtwoord-herstellen/[^\s]+/)", tekst).group(1)
    response = client.get(link, follow=True)
    client.post(response.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    # The new password works, and the code step still follows.
    response = post_login(client, world.coordinator_a, password=NEW)
    assert response["Location"].startswith((reverse("koppelen"), reverse("code")))
