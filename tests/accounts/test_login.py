"""The login screen of the manual: organisatie (type-ahead), gebruikersnaam, wachtwoord, code,
"Aanmelden"; the code step; one account per organisation."""

from __future__ import annotations

import re
import time

import pytest
from django.urls import reverse

from accounts.models import Beveiligingsgebeurtenis, Gebeurtenis
from tests.accounts.conftest import password_step_only, post_login
from tests.factories import OrganisatieFactory
from tests.helpers import totp_code, totp_device

pytestmark = pytest.mark.django_db


def test_login_screen_has_the_manuals_fields_and_button(client, world):
    body = client.get(reverse("login")).content.decode()
    for label in ("Organisatie", "Gebruikersnaam", "Wachtwoord", "Code"):
        assert f">{label}</label>" in body or f">{label}:</label>" in body
    assert ">Aanmelden</button>" in body
    # Type-ahead without our own JavaScript: an <input list> with a <datalist> of organisations.
    assert 'list="organisaties"' in body
    assert '<option value="VO2505 Apeldoorn">' in body
    assert "<script" not in body.split("</main>")[0]


@pytest.mark.parametrize("typed", ["VO25", "vo2505", "VO2505 Apeldoorn", "apeldoorn"])
def test_typed_part_of_code_or_name_finds_the_organisation(client, world, typed):
    device = totp_device(world.coordinator_a)
    response = post_login(client, world.coordinator_a, organisatie=typed, code=totp_code(device))
    assert response.status_code == 302
    assert client.get(reverse("start")).context["user"] == world.coordinator_a


def test_ambiguous_or_unknown_organisation_is_explained(client, world):
    OrganisatieFactory(code="VO2506", naam="VO2506 Zutphen")
    response = post_login(client, world.coordinator_a, organisatie="VO25")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Meerdere organisaties passen bij" in body and "VO2506 Zutphen" in body
    response = post_login(client, world.coordinator_a, organisatie="Atlantis")
    assert "Geen organisatie gevonden" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_same_username_in_two_organisations_opens_only_the_chosen_account(client, world):
    # Both are called "piet"; the outsider's password step never opens the coordinator.
    device = totp_device(world.outsider)
    response = post_login(client, world.outsider, code=totp_code(device))
    assert response.status_code == 302
    start = client.get(reverse("start"))
    assert start.context["user"] == world.outsider
    assert "PO2501 Voorbeeld" in start.content.decode()
    # The coordinator's code does not complete the outsider's login.
    client.post(reverse("logout"))
    password_step_only(client, world.outsider)
    response = client.post(reverse("code"), {"code": totp_code(totp_device(world.coordinator_a))})
    assert response.status_code == 200
    assert client.get(reverse("start")).status_code == 302


def test_login_with_code_on_the_one_screen_lands_on_next(client, world):
    detail = reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk])
    device = totp_device(world.coordinator_a)
    response = post_login(client, world.coordinator_a, code=totp_code(device), next=detail)
    assert response.status_code == 302
    assert response["Location"] == detail
    assert client.get(detail).status_code == 200


def test_without_code_the_code_step_follows_and_keeps_next(client, world):
    detail = reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk])
    device = totp_device(world.coordinator_a)
    response = post_login(client, world.coordinator_a, next=detail)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("code"))
    page = client.get(response["Location"])
    assert "Code invoeren" in page.content.decode()
    response = client.post(response["Location"], {"code": totp_code(device), "next": detail})
    assert response["Location"] == detail
    assert client.get(detail).status_code == 200


def test_next_to_another_site_is_ignored(client, world):
    device = totp_device(world.coordinator_a)
    response = post_login(
        client, world.coordinator_a, code=totp_code(device), next="https://evil.example/"
    )
    assert response["Location"] == reverse("start")


def test_wrong_code_on_the_login_screen_goes_to_code_step_with_message(client, world):
    device = totp_device(world.coordinator_a)
    good = totp_code(device)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = post_login(client, world.coordinator_a, code=wrong, follow=False)
    assert response["Location"].startswith(reverse("code"))
    page = client.get(response["Location"])
    assert "De code is onjuist" in page.content.decode()
    assert client.get(reverse("start")).status_code == 302


def test_unknown_user_and_wrong_password_get_the_same_answer(client, world):
    wrong_password = post_login(client, world.coordinator_a, password="fout-wachtwoord")
    unknown = client.post(
        reverse("login"),
        {
            "organisatie": "VO2505 Apeldoorn",
            "username": "bestaat-niet",
            "password": "fout-wachtwoord",
        },
    )
    assert wrong_password.status_code == unknown.status_code == 200

    def normalised(response):
        body = response.content.decode()
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
        return body.replace("bestaat-niet", "X").replace(world.coordinator_a.username, "X")

    assert normalised(wrong_password) == normalised(unknown)
    assert "organisatie, gebruikersnaam en wachtwoord is onjuist" in unknown.content.decode()


def test_unknown_user_costs_a_hash_like_a_wrong_password(client, world, counting_hasher):
    post_login(client, world.coordinator_a, password="fout-wachtwoord")
    known = counting_hasher.calls
    counting_hasher.calls = 0
    client.post(
        reverse("login"),
        {"organisatie": "VO2505", "username": "bestaat-niet", "password": "fout-wachtwoord"},
    )
    assert known == counting_hasher.calls == 1


def test_timing_of_unknown_user_and_wrong_password_is_similar(client, world, settings):
    # The real (slow) hasher, so the hash dominates the request like in production.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    world.coordinator_a.set_password("Een-goed-wachtwoord-1")
    world.coordinator_a.save()
    settings.LOGIN_LOCKOUT_ATTEMPTS = 1000

    def attempt(username):
        start = time.perf_counter()
        client.post(
            reverse("login"),
            {"organisatie": "VO2505", "username": username, "password": "fout-wachtwoord"},
        )
        return time.perf_counter() - start

    # Alternate the two kinds of attempt so a change in machine load hits both alike; the
    # minimum of each is the attempt least disturbed by other work.
    durations = {"piet": [], "bestaat-niet": []}
    for _ in range(7):
        for username, found in durations.items():
            found.append(attempt(username))
    known, unknown = min(durations["piet"]), min(durations["bestaat-niet"])
    assert 0.5 < known / unknown < 2.0, (known, unknown)


def test_inactive_account_gets_the_same_answer_as_a_wrong_password(client, world):
    world.coordinator_a.is_active = False
    world.coordinator_a.save()
    response = post_login(client, world.coordinator_a)
    assert "organisatie, gebruikersnaam en wachtwoord is onjuist" in response.content.decode()


def test_platform_account_logs_in_without_organisation(client, world):
    from tests.factories import UserFactory

    platform = UserFactory(organisatie=None, username="platform", rol="platform", is_staff=True)
    device = totp_device(platform)
    response = post_login(client, platform, code=totp_code(device))
    assert response.status_code == 302
    assert client.get(reverse("start")).context["user"] == platform


def test_success_and_failure_are_logged_without_secrets(client, world):
    device = totp_device(world.coordinator_a)
    post_login(client, world.coordinator_a, password="fout-wachtwoord")
    code = totp_code(device)
    post_login(client, world.coordinator_a, code=code)
    rows = list(Beveiligingsgebeurtenis.objects.order_by("id"))
    assert [r.gebeurtenis for r in rows] == [Gebeurtenis.LOGIN_MISLUKT, Gebeurtenis.LOGIN_GELUKT]
    assert all(r.ip == "127.0.0.1" and r.organisatie_code == "VO2505" for r in rows)
    assert rows[1].gebruiker == world.coordinator_a
    for row in rows:
        values = " ".join(str(v) for v in row.__dict__.values())
        assert "fout-wachtwoord" not in values and code not in values
