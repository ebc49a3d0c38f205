"""The security timeout loses nothing, through the test client: a form posted after the session
expired is kept (encrypted, bound to the user, one hour) and comes back after logging in again;
the page's last autosave just after the timeout (its countdown end, its pagehide beacon, sent
form-encoded with the CSRF token as a field) is still accepted, without extending the session.
The browser tests (with and without JavaScript) are in test_formulier_browser.py."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import BewaardeInzending, Rol
from accounts.sessies import ACTIEF_OP, GRACE_SECONDEN
from tests.factories import UserFactory
from tests.formulieren.conftest import formulier_van, volledige_post
from tests.helpers import login

pytestmark = pytest.mark.django_db

TEKST = "Lang getypt zonder JavaScript & zonder Opslaan, één naïeve zin."


def _verlopen(client, *, seconden_geleden: float) -> None:
    sessie = client.session
    sessie[ACTIEF_OP] = time.time() - settings.SESSION_IDLE_SECONDS - seconden_geleden
    sessie.save()


def _na_time_out_opslaan(client, world):
    formulier = formulier_van(world.hv_a_voorlopig)
    url = reverse("formulieren:bewerken", args=[formulier.pk])
    login(client, world.coordinator_a)
    data = {**volledige_post(formulier, ondertekenaar=world.bestuurder_a), "motivatie": TEKST}
    _verlopen(client, seconden_geleden=GRACE_SECONDEN + 60)
    response = client.post(url, data)
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
    return formulier, url


def test_a_post_after_the_timeout_is_kept_encrypted_and_given_back_once(client, world):
    formulier, url = _na_time_out_opslaan(client, world)
    rij = BewaardeInzending.objects.get(gebruiker=world.coordinator_a, pad=url)
    assert TEKST.encode() not in bytes(rij.gegevens)
    assert b"motivatie" not in bytes(rij.gegevens)
    login_pagina = client.get(reverse("login")).content.decode()
    assert "Kindkans heeft het voor u bewaard (een uur)" in login_pagina

    login(client, world.coordinator_a)
    body = client.get(url).content.decode()
    assert "U was afgemeld voordat uw antwoorden van" in body
    assert TEKST.replace("&", "&amp;") in body
    formulier.refresh_from_db()
    assert formulier.concept["motivatie"] == TEKST
    assert formulier.opgeslagen_op is None  # a draft: the school still chooses Opslaan
    assert not BewaardeInzending.objects.exists()
    assert "U was afgemeld voordat" not in client.get(url).content.decode()  # once


def test_only_the_same_user_gets_it_back(client, world):
    formulier, url = _na_time_out_opslaan(client, world)
    collega = UserFactory(organisatie=world.org, rol=Rol.SCHOOL, scholen=[world.school_a])
    login(client, collega)
    body = client.get(url).content.decode()
    assert TEKST.replace("&", "&amp;") not in body
    assert BewaardeInzending.objects.filter(gebruiker=world.coordinator_a).exists()


def test_it_is_kept_one_hour(client, world):
    formulier, url = _na_time_out_opslaan(client, world)
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        login(client, world.coordinator_a)
        body = client.get(url).content.decode()
    assert TEKST.replace("&", "&amp;") not in body
    assert not BewaardeInzending.objects.exists()


def _baken(client, formulier, tekst):
    return client.post(
        reverse("formulieren:concept", args=[formulier.pk]),
        {
            "revisie": str(formulier.revisie),
            "antwoorden": json.dumps({"motivatie": tekst}),
        },
    )


def test_the_last_autosave_just_after_the_timeout_is_accepted_without_extending(client, world):
    formulier = formulier_van(world.hv_a_voorlopig)
    login(client, world.coordinator_a)
    _verlopen(client, seconden_geleden=3)
    response = _baken(client, formulier, "Getypt vlak voor de afmelding")
    assert response.status_code == 200
    formulier.refresh_from_db()
    assert formulier.concept == {"motivatie": "Getypt vlak voor de afmelding"}
    # the session did not come back to life: the next page is the login page
    volgende = client.get(reverse("formulieren:bewerken", args=[formulier.pk]))
    assert volgende.status_code == 302 and "/inloggen/" in volgende["Location"]


def test_an_autosave_long_after_the_timeout_is_refused(client, world):
    formulier = formulier_van(world.hv_a_voorlopig)
    login(client, world.coordinator_a)
    _verlopen(client, seconden_geleden=GRACE_SECONDEN + 30)
    response = _baken(client, formulier, "Te laat")
    assert response.status_code == 302
    formulier.refresh_from_db()
    assert formulier.concept is None
