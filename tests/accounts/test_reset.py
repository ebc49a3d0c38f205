"""Password reset through ONE field "Gebruikersnaam of e-mailadres": either kind of input works
(the manual's trap of two fields that hang when both are filled cannot happen); the mail goes
through the project's mail path (a background task queued after commit: in-process here, a Celery
worker with REDIS_URL, tested with a real worker at the end); the reset never skips the code step
and ends old sessions."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Beveiligingsgebeurtenis, Gebeurtenis
from tests.accounts.conftest import post_login
from tests.helpers import login, totp_code, totp_device

pytestmark = pytest.mark.django_db

NEW = "Heel-nieuw-wachtwoord-7"


def request_reset(client, invoer, organisatie="VO2505 Apeldoorn", **extra):
    """Post the form as a browser does; the queued background task runs when the request's
    work commits (as in the embedded set-up without REDIS_URL)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("wachtwoord_vergeten"),
            {"organisatie": organisatie, "invoer": invoer, **extra},
        )


def link_from_mail(message) -> str:
    site = re.escape(settings.SITE_URL.rstrip("/"))
    match = re.search(site + r"(/wachtwoord-herstellen/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_form_has_one_field_for_username_or_email(client, world):
    body = client.get(reverse("wachtwoord_vergeten")).content.decode()
    assert ">Gebruikersnaam of e-mailadres:</label>" in body
    assert body.count('name="invoer"') == 1
    assert 'name="email"' not in body and 'name="username"' not in body


@pytest.mark.parametrize(
    "invoer", ["piet", "piet@school.example", "PIET@School.Example"], ids=["name", "mail", "case"]
)
def test_either_kind_of_input_sends_the_mail(client, world, invoer):
    response = request_reset(client, invoer)
    assert response["Location"] == reverse("wachtwoord_vergeten_verstuurd")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["piet@school.example"]
    assert "VO2505 Apeldoorn" in message.body and '"piet"' in message.body
    assert Beveiligingsgebeurtenis.objects.filter(
        gebeurtenis=Gebeurtenis.HERSTEL_AANGEVRAAGD, gebruiker=world.coordinator_a
    ).exists()


def test_email_without_organisation_works_and_username_stays_within_its_organisation(client, world):
    # Both "piet" accounts (two organisations) share this address: each gets its own mail
    # naming its organisation.
    request_reset(client, "piet@school.example", organisatie="")
    assert [m.to for m in mail.outbox] == [["piet@school.example"]] * 2
    assert {"VO2505 Apeldoorn" in m.body for m in mail.outbox} == {True, False}
    mail.outbox.clear()
    request_reset(client, "piet@school.example", organisatie="VO2505")
    assert len(mail.outbox) == 1 and "VO2505 Apeldoorn" in mail.outbox[0].body
    mail.outbox.clear()
    # "piet" at PO2501 is the outsider, not the coordinator.
    request_reset(client, "piet", organisatie="PO2501")
    assert [m.to for m in mail.outbox] == [[world.outsider.email]]


def test_unknown_input_gets_the_same_answer_and_no_mail(client, world):
    known = request_reset(client, "piet")
    unknown = request_reset(client, "niemand@nergens.example")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    assert Beveiligingsgebeurtenis.objects.filter(
        gebeurtenis=Gebeurtenis.HERSTEL_AANGEVRAAGD,
        gebruiker=None,
        gebruikersnaam="niemand@nergens.example",
    ).exists()


def test_reset_link_sets_password_then_login_still_needs_the_code(client, world):
    other = Client()
    login(other, world.coordinator_a)
    request_reset(client, "piet")
    link = link_from_mail(mail.outbox[0])
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == reverse("login")
    # Not logged in by the reset: the login screen, then the code step.
    assert client.get(reverse("start")).status_code == 302
    assert "Uw wachtwoord is ingesteld" in client.get(reverse("login")).content.decode()
    response = post_login(client, world.coordinator_a, password=NEW)
    assert response["Location"].startswith(reverse("koppelen")) or response["Location"].startswith(
        reverse("code")
    )
    assert client.get(reverse("start")).status_code == 302
    # The old session of the account has ended.
    assert other.get(reverse("start")).status_code == 302
    assert Beveiligingsgebeurtenis.objects.filter(
        gebeurtenis=Gebeurtenis.WACHTWOORD_HERSTELD, gebruiker=world.coordinator_a
    ).exists()
    # The link works once.
    assert "verlopen of al gebruikt" in client.get(link, follow=True).content.decode()


def test_reset_user_with_an_app_goes_to_the_code_step(client, world):
    device = totp_device(world.coordinator_a)
    request_reset(client, "piet")
    response = client.get(link_from_mail(mail.outbox[0]), follow=True)
    client.post(response.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    response = post_login(client, world.coordinator_a, password=NEW)
    assert response["Location"].startswith(reverse("code"))
    response = client.post(reverse("code"), {"code": totp_code(device)})
    assert client.get(reverse("start")).status_code == 200


def test_reset_requests_per_address_are_limited(client, world, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 3
    for _ in range(5):
        response = request_reset(client, "piet")
        assert response["Location"] == reverse("wachtwoord_vergeten_verstuurd")
    assert len(mail.outbox) == 3
    other = Client(REMOTE_ADDR="198.51.100.7")
    request_reset(other, "piet")
    assert len(mail.outbox) == 4


def test_both_kinds_of_input_at_once_still_answer_at_once(client, world):
    """The manual's trap: a form with a username field and an e-mail field hangs when both are
    filled. Posting what such a form would post (both fields, next to ours) is answered straight
    away, and the one field decides."""
    response = request_reset(
        client, "piet", username="piet", email="piet@school.example", gebruikersnaam="piet"
    )
    assert response["Location"] == reverse("wachtwoord_vergeten_verstuurd")
    assert [m.to for m in mail.outbox] == [["piet@school.example"]]
    # Username and address typed together into the one field: read as an address that matches
    # nobody; the same answer at once, no mail.
    mail.outbox.clear()
    response = request_reset(client, "piet piet@school.example")
    assert response["Location"] == reverse("wachtwoord_vergeten_verstuurd")
    assert len(mail.outbox) == 0


def test_the_request_does_the_same_work_for_known_and_unknown_input(client, world, settings):
    """The timing of the answer cannot tell whether an account exists: the request itself only
    counts the attempt and queues one task, with the same queries either way; looking up the
    account and sending happen in the background."""
    settings.LOGIN_LOCKOUT_ATTEMPTS = 10
    request_reset(client, "eerste")  # creates this address's request counter
    mail.outbox.clear()
    work = {}
    for invoer in ("piet", "niemand-hier", "piet@school.example", "niemand@nergens.example"):
        with (
            TestCase.captureOnCommitCallbacks(execute=False) as callbacks,
            CaptureQueriesContext(connection) as queries,
        ):
            response = client.post(
                reverse("wachtwoord_vergeten"),
                {"organisatie": "VO2505 Apeldoorn", "invoer": invoer},
            )
        assert response["Location"] == reverse("wachtwoord_vergeten_verstuurd")
        assert len(callbacks) == 1, invoer
        assert not mail.outbox, "nothing is sent inside the request"
        work[invoer] = [re.sub(r"'[^']*'|\w*\d\w*", "?", q["sql"]) for q in queries]
    assert len({tuple(w) for w in work.values()}) == 1, work
    assert not any("accounts_user" in sql for sql in work["piet"])


def test_link_is_built_from_site_url_never_from_the_host_header(client, world, settings):
    settings.SITE_URL = "https://kindkans.example.nl"
    request_reset(client, "piet", HTTP_HOST="localhost")
    assert "https://kindkans.example.nl/wachtwoord-herstellen/" in mail.outbox[0].body
    assert "localhost" not in mail.outbox[0].body


def test_a_failing_mail_server_gives_the_same_answer(client, world, settings, caplog):
    """Before, the mail was sent inside the request: an unreachable SMTP server turned a request
    for an existing account (only those) into an error page. Now the answer is the same and
    the failure is logged."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    known = request_reset(client, "piet")
    unknown = request_reset(client, "niemand-hier")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert "Connection refused" in caplog.text
    # The request was still logged (before the attempt to send).
    assert Beveiligingsgebeurtenis.objects.filter(
        gebeurtenis=Gebeurtenis.HERSTEL_AANGEVRAAGD, gebruiker=world.coordinator_a
    ).exists()
