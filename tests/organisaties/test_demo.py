"""`manage.py demo` and the first login of its accounts: a new demo
user can enrol with a phone authenticator and log in as the manual says.

Every account the demo prints and README lists goes through the real login screen with the
printed password, is taken to enrolment, enrols with a code computed by pyotp from the secret on
the page, and reaches the start page."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pyotp
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Rol, User
from organisaties.models import Organisatie, School
from tests.accounts.test_enrolment import secret_from

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("organisaties", "accounts", "dossiers", "hulpvragen", "formulieren")


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for label in PROJECT_APPS
        for m in apps.get_app_config(label).get_models()
    }


def readme_accounts() -> set[tuple[str, str]]:
    text = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = text.split("The demo accounts:", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| ([^|]+?) \| ([a-z-]+) \|", section, flags=re.M)
    return {(org if not org.startswith("(") else "", name) for org, name in rows}


def test_demo_is_idempotent_and_has_both_swvs_schools_and_a_user_per_role():
    run_demo()
    first = counts()
    run_demo()
    assert counts() == first
    vo = Organisatie.objects.get(code="VO2505", naam="VO2505 Apeldoorn")
    po = Organisatie.objects.get(code="PO2501", naam="PO2501 Voorbeeld")
    vo_scholen = School.objects.filter(organisatie=vo)
    assert vo_scholen.filter(sector="VO").count() >= 2
    assert vo_scholen.filter(sector="PO").count() >= 1  # basisscholen filing BAG with the VO SWV
    assert vo.besturen.exists() and po.scholen.exists()
    rollen = set(User.objects.filter(organisatie=vo).values_list("rol", flat=True))
    assert {Rol.SCHOOL, Rol.BEVOEGD_GEZAG, Rol.SWV_LOKET, Rol.DESKUNDIGE, Rol.BEHEERDER} <= rollen
    assert User.objects.filter(organisatie=None, rol=Rol.PLATFORM).exists()
    assert vo.leerlingen.count() >= 3 and vo.hulpvragen.count() >= 3


def test_printed_accounts_are_the_readme_accounts_and_each_enrols_and_logs_in():
    output = run_demo()
    password = re.search(r"Wachtwoord van elk demo-account: (\S+)", output).group(1)
    assert f"`{password}`" in (Path(settings.BASE_DIR) / "README.md").read_text()
    demo_users = {
        (u.organisatie.naam if u.organisatie else "", u.username): u
        for u in (User.objects.filter(username__in=[n for _o, n in readme_accounts()]))
    }
    assert readme_accounts() <= set(demo_users), readme_accounts() - set(demo_users)
    for (organisatie, username), user in sorted(demo_users.items()):
        if (organisatie, username) not in readme_accounts():
            continue
        assert username in output
        client = Client()
        # The manual's login screen: organisation (the typed part "VO25" is enough when unique),
        # username, password; code left empty the first time.
        typed = organisatie[:4] if organisatie.startswith("VO25") else organisatie
        response = client.post(
            reverse("login"),
            {"organisatie": typed, "username": username, "password": password, "code": ""},
        )
        assert response.status_code == 302, (organisatie, username)
        assert response["Location"].startswith(reverse("koppelen")), response["Location"]
        secret = secret_from(client.get(response["Location"]).content.decode())
        response = client.post(reverse("koppelen"), {"code": pyotp.TOTP(secret).now()})
        assert "reservecodes" in response.content.decode().lower(), username
        start = client.get(reverse("start"))
        assert start.status_code == 200, username
        assert user.username in start.content.decode()
