"""The error pages: Dutch, in the application's look, no technical detail, and a reference the
user can quote that the operator finds on the log line of that same error."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.urls import reverse

from kindkans.errors import ErrorReferenceFilter
from tests.helpers import login
from tests.kindkans.urls_errors import GEHEIM

REFERENCE = re.compile(r"Referentie: <strong>([A-Z2-9]{4}-[A-Z2-9]{4})</strong>")


@pytest.fixture
def log_lines():
    """What the configured log handler (the one with the reference filter) writes."""
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, ErrorReferenceFilter) for f in h.filters)
    ]
    assert handlers, "LOGGING gives the console handler the reference filter"
    stream = io.StringIO()
    previous = [h.setStream(stream) for h in handlers]
    yield lambda: stream.getvalue().splitlines()
    for handler, old in zip(handlers, previous, strict=True):
        handler.setStream(old)


def reference_of(response) -> str:
    match = REFERENCE.search(response.content.decode())
    assert match, response.content.decode()
    return match.group(1)


def looks_like_the_application(html: str) -> None:
    assert '<html lang="nl">' in html
    assert "css/kindkans.css" in html
    assert 'class="kop"' in html and ">Kindkans</a>" in html
    assert 'href="/">Naar de startpagina</a>' in html


@pytest.fixture
def failing(client, world, settings):
    """A logged-in user's client on the URLconf with a view that raises, DEBUG off."""
    assert settings.DEBUG is False
    settings.ROOT_URLCONF = "tests.kindkans.urls_errors"
    client.raise_request_exception = False
    login(client, world.coordinator_a)
    return client


def test_500_with_debug_off_is_dutch_without_detail_and_its_reference_is_logged(
    failing, world, log_lines
):
    client = failing

    response = client.get("/test/fout/")

    assert response.status_code == 500
    html = response.content.decode()
    assert '<h1 id="fout-kop">Er ging iets mis</h1>' in html
    assert "loket van uw samenwerkingsverband" in html
    looks_like_the_application(html)
    for detail in (GEHEIM, "RuntimeError", "Traceback", "view_that_raises", "urls_errors"):
        assert detail not in html
    # Rendered without the request and its context processors: no menu, no user, no SWV.
    assert "Afmelden" not in html and world.org.naam not in html
    reference = reference_of(response)
    error_lines = [line for line in log_lines() if "Internal Server Error: /test/fout/" in line]
    assert error_lines == [f"Internal Server Error: /test/fout/ [referentie {reference}]"]


def test_every_error_gets_its_own_reference(failing, log_lines):
    references = {reference_of(failing.get("/test/fout/")) for _ in range(5)}
    assert len(references) == 5
    logged = {m for line in log_lines() for m in re.findall(r"referentie (\S+)\]", line)}
    assert logged == references


def test_500_still_answers_with_the_reference_when_the_page_itself_fails(
    failing, settings, log_lines
):
    """A missing static-files manifest (collectstatic not run) breaks every template that links
    a stylesheet, the 500 page included: the plain fallback page still gives the reference."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
        },
    }
    response = failing.get("/test/fout/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html and GEHEIM not in html
    reference = re.search(r"<strong>([A-Z2-9]{4}-[A-Z2-9]{4})</strong>", html).group(1)
    assert any(
        line.endswith(f"Internal Server Error: /test/fout/ [referentie {reference}]")
        for line in log_lines()
    )


def test_404_for_a_page_that_does_not_exist_or_is_not_yours(client, world, log_lines):
    login(client, world.coordinator_a)
    # Another SWV's hulpvraag: forbidden objects answer 404, with the same page.
    for path in ("/bestaat-niet/", reverse("hulpvragen:detail", args=[world.hv_other_org.pk])):
        response = client.get(path)
        assert response.status_code == 404
        html = response.content.decode()
        assert '<h1 id="fout-kop">Pagina niet gevonden</h1>' in html
        looks_like_the_application(html)
        # Rendered with the request: the menu stays for the logged-in user.
        assert "Afmelden" in html and ">Hulpvragen</a>" in html
        reference = reference_of(response)
        assert f"Not Found: {path} [referentie {reference}]" in log_lines()


def test_403_for_a_logged_in_user_without_admin_rights(client, world, log_lines):
    login(client, world.coordinator_a)
    response = client.get(reverse("admin:login"))
    assert response.status_code == 403
    html = response.content.decode()
    assert '<h1 id="fout-kop">Geen toegang</h1>' in html
    looks_like_the_application(html)
    reference = reference_of(response)
    assert any(
        line.startswith("Forbidden (Permission denied): /beheer/login/")
        and line.endswith(f"[referentie {reference}]")
        for line in log_lines()
    )


def test_400_for_a_request_with_a_host_the_site_does_not_serve(client, db, log_lines):
    response = client.get("/inloggen/", HTTP_HOST="aanvaller.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<h1 id="fout-kop">Verzoek niet verwerkt</h1>' in html
    assert "aanvaller.example" not in html and "ALLOWED_HOSTS" not in html
    looks_like_the_application(html)
    reference = reference_of(response)
    # Django's security log line for it carries the page's reference.
    lines = [line for line in log_lines() if line.endswith(f"[referentie {reference}]")]
    assert len(lines) == 1 and lines[0].startswith("Invalid HTTP_HOST header"), log_lines()


def test_403_for_a_form_posted_without_its_csrf_token(db, log_lines):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "piet"})
    assert response.status_code == 403
    html = response.content.decode()
    assert '<h1 id="fout-kop">Formulier niet verwerkt</h1>' in html
    assert "CSRF" not in html and "cookie not set" not in html
    looks_like_the_application(html)
    reference = reference_of(response)
    assert any(
        line.startswith("Forbidden (CSRF cookie not set.): /inloggen/")
        and line.endswith(f"[referentie {reference}]")
        for line in log_lines()
    ), log_lines()
