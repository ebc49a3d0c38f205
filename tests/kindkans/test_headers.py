"""Site-wide response headers, checked on every URL the project serves (the protected-URL walk of
tests/accounts/test_protected_urls.py) and on real pages with pupil data."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.accounts.test_protected_urls import all_urls
from tests.bijlagen import bestanden as b
from tests.helpers import login

pytestmark = pytest.mark.django_db

PERSONAS = ["coordinator_a", "loket", "beheerder"]


def _walk(client, world, *, method="get"):
    """(path, response) for every URL pattern, ints replaced by a hulpvraag the user may see."""
    hv = world.hv_a_ingediend.pk
    for path, _callback in sorted(set(all_urls())):
        path = path.replace("/1/", f"/{hv}/")
        yield path, getattr(client, method)(path)


def _cache_control(response) -> set[str]:
    return {p.strip() for p in response.get("Cache-Control", "").split(",")}


def _csp(response) -> dict[str, str]:
    header = response.get("Content-Security-Policy", "")
    return {
        d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else ""
        for d in (p.strip() for p in header.split(";"))
        if d
    }


CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
}


def _security_headers(path, response):
    csp = _csp(response)
    for directive, value in CSP.items():
        assert csp.get(directive) == value, (path, response.status_code, directive, csp)
    assert "unsafe-inline" not in response["Content-Security-Policy"], path
    assert "Content-Security-Policy-Report-Only" not in response, path
    policy = response.get("Permissions-Policy", "")
    assert "camera=()" in policy and "geolocation=()" in policy, path


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=|<style[\s>]", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def _no_inline_code(path, html):
    """What the CSP would block: inline <script>, style attributes or <style>, on…= handlers
    (a <script type="application/json"> data block is not code and allowed)."""
    for tag in INLINE_SCRIPT.findall(html):
        assert "application/json" in tag, (path, tag)
    assert not INLINE_STYLE.search(html), (path, INLINE_STYLE.search(html).group(0))
    assert not INLINE_HANDLER.search(html), (path, INLINE_HANDLER.search(html).group(0))


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_response_to_a_logged_in_user_is_no_store_with_csp(client, world, persona):
    """Every URL pattern (admin included): no-store, the enforcing CSP and Permissions-Policy."""
    login(client, getattr(world, persona))
    gezien = html = 0
    for path, response in _walk(client, world):
        assert {"no-store", "private"} <= _cache_control(response), (path, response.status_code)
        _security_headers(path, response)
        gezien += 1
        if response.get("Content-Type", "").startswith("text/html"):
            html += 1
            _no_inline_code(path, response.content.decode())
    assert gezien > 100 and html > 50


def test_every_anonymous_response_has_the_csp(client, world):
    for path, response in _walk(client, world):
        _security_headers(path, response)
    _security_headers("/inloggen/", client.get(reverse("login")))


def test_pages_tabs_exports_and_downloads_with_pupil_data_are_no_store(client, world):
    from bijlagen.models import Bijlage

    login(client, world.coordinator_a)
    hv = world.hv_a_ingediend
    detail = client.get(reverse("hulpvragen:detail", args=[hv.pk]))
    assert detail.status_code == 200 and hv.leerling.achternaam in detail.content.decode()
    assert _cache_control(detail) == {"no-store", "private"}
    tab = client.get(
        reverse("hulpvragen:tab", args=[hv.pk, "schoolgegevens"]),
        headers={"HX-Request": "true"},
    )
    assert tab.status_code == 200 and _cache_control(tab) == {"no-store", "private"}

    response = client.post(
        reverse("bijlagen:lijst", args=[hv.pk]),
        {"bestanden": [SimpleUploadedFile("verslag.pdf", b.pdf(b"inhoud"))]},
    )
    assert _cache_control(response) == {"no-store", "private"}
    bijlage = Bijlage.objects.get(hulpvraag=hv)
    download = client.get(reverse("bijlagen:download", args=[hv.pk, bijlage.pk]))
    assert download.status_code == 200
    assert _cache_control(download) == {"no-store", "private"}

    login(client, world.loket)
    export = client.get(reverse("beheer:kengetallen"), {"csv": "type"})
    assert export.status_code == 200
    assert _cache_control(export) == {"no-store", "private"}


def test_the_logout_response_is_no_store_too(client, world):
    # Decided before the view ran: the logout response belongs to the logged-in session.
    login(client, world.coordinator_a)
    uit = client.post(reverse("logout"))
    assert uit.status_code == 302
    assert _cache_control(uit) == {"no-store", "private"}
