"""A real OpenID provider for these tests: tests/oidc/provider.mjs on Node's `oidc-provider`
(installed from package.json by `make node_modules/.installed`, which `make test` runs).

Started once per test session on a free port; a second process whose clock runs two hours
behind is started for the expired-token test. Locally the tests skip with the reason when Node
or the package is missing; in CI (CI=true) they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from django.conf import settings
from django.urls import reverse

from oidc.models import Identiteitsprovider

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
CLIENT_SECRET = "kindkans-test-geheim"


def _start(opties: dict) -> tuple[subprocess.Popen, str]:
    node = shutil.which("node")
    ontbreekt = None
    if node is None:
        ontbreekt = "node ontbreekt"
    elif not (ROOT / "node_modules" / "oidc-provider").is_dir():
        ontbreekt = "npm-pakket oidc-provider ontbreekt (make node_modules/.installed)"
    if ontbreekt:
        if os.environ.get("CI"):
            pytest.fail(f"CI: de OpenID-provider kan niet starten: {ontbreekt}")
        pytest.skip(ontbreekt)
    proces = subprocess.Popen(  # noqa: S603 (our own script, fixed arguments)
        [node, str(SCRIPT), json.dumps(opties)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        regel = proces.stdout.readline()
        if regel.startswith("LUISTERT "):
            return proces, f"http://127.0.0.1:{int(regel.split()[1])}"
        if not regel and proces.poll() is not None:
            break
    proces.kill()
    pytest.fail(f"De OpenID-provider startte niet: {proces.stderr.read()[-2000:]}")


def _redirect_uris() -> list[str]:
    return [settings.SITE_URL.rstrip("/") + "/inloggen/extern/terug/"]


@pytest.fixture(scope="session")
def oidc_server():
    proces, basis = _start({"redirect_uris": _redirect_uris()})
    yield basis
    proces.terminate()
    proces.wait(10)


@pytest.fixture(scope="session")
def oidc_server_achter():
    """The same provider with its clock two hours behind: its ID tokens have expired."""
    proces, basis = _start({"redirect_uris": _redirect_uris(), "klok": -7200})
    yield basis
    proces.terminate()
    proces.wait(10)


@pytest.fixture
def maak_provider(oidc_server):
    def maak(*, pad="goed", naam="Stichting Veluwe", organisaties=(), basis=None, **velden):
        provider = Identiteitsprovider(
            naam=naam,
            discovery_url=f"{basis or oidc_server}/{pad}/.well-known/openid-configuration",
            client_id="kindkans",
            **velden,
        )
        provider.client_secret_zetten(CLIENT_SECRET)
        provider.save()
        provider.organisaties.set(organisaties)
        return provider

    return maak


def _met_params(url: str, **extra) -> str:
    delen = urlsplit(url)
    query = dict(parse_qsl(delen.query))
    query.update(extra)
    return urlunsplit(delen._replace(query=urlencode(query)))


def bij_provider_inloggen(autorisatie_url: str, *, account: str, mfa: bool = False) -> str:
    """Play the browser at the provider: open the authorization URL (with the account to log in
    as, and whether to assert MFA), follow the provider's redirects with its cookies, and return
    the path + query of the redirect back to Kindkans (for the Django test client)."""
    url = _met_params(autorisatie_url, login_hint=account, mfa="1" if mfa else "0")
    terug = settings.SITE_URL.rstrip("/")
    with httpx.Client(timeout=20) as browser:
        for _stap in range(10):
            antwoord = browser.get(url)
            if antwoord.status_code not in (302, 303):
                raise AssertionError(f"provider: {antwoord.status_code} {antwoord.text[:500]}")
            url = str(httpx.URL(url).join(antwoord.headers["location"]))
            if url.startswith(terug):
                delen = urlsplit(url)
                return f"{delen.path}?{delen.query}"
    raise AssertionError("de provider stuurde niet terug")


def start_login(client, provider, organisatie, *, next_url: str = "") -> str:
    """Press "Inloggen met <naam>" on the login screen; returns the provider's authorization
    URL our server redirected to."""
    gegevens = {"organisatie": organisatie.code, "provider": str(provider.pk)}
    if next_url:
        gegevens["next"] = next_url
    antwoord = client.get(reverse("oidc:start"), gegevens)
    assert antwoord.status_code == 302, antwoord.content[:500]
    return antwoord["Location"]


def provider_login(client, provider, organisatie, *, account: str, mfa: bool = False, **kw):
    """The whole round trip; returns our answer to the provider's redirect."""
    terug = bij_provider_inloggen(
        start_login(client, provider, organisatie, **kw), account=account, mfa=mfa
    )
    return client.get(terug)
