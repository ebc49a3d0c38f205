"""Autosave: the draft reaches the server (CSRF, access, stale edits), costs at most 3 SQL
queries, and is back with its time after logging in again."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Rol
from tests.factories import UserFactory
from tests.formulieren.conftest import formulier_van
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _autosave(client, formulier, antwoorden, *, revisie=None, **extra):
    body = {"revisie": formulier.revisie if revisie is None else revisie, "antwoorden": antwoorden}
    return client.post(
        reverse("formulieren:concept", args=[formulier.pk]),
        data=json.dumps(body),
        content_type="application/json",
        **extra,
    )


def test_autosave_stores_the_draft_without_touching_saved_answers(client, world):
    formulier = formulier_van(world.hv_a_voorlopig)
    login(client, world.coordinator_a)
    response = _autosave(client, formulier, {"motivatie": "Half af", "startdatum": "01-08"})
    assert response.status_code == 200
    body = response.json()
    assert body["revisie"] == formulier.revisie + 1
    assert "Concept automatisch opgeslagen om" in body["melding"]
    formulier.refresh_from_db()
    # A half-typed date is kept exactly as typed; nothing is validated or lost.
    assert formulier.concept == {"motivatie": "Half af", "startdatum": "01-08"}
    assert formulier.concept_door == world.coordinator_a
    assert formulier.antwoorden == {} and formulier.opgeslagen_op is None


def test_autosave_uses_at_most_three_queries(client, world):
    formulier = formulier_van(world.hv_a_voorlopig)
    login(client, world.coordinator_a)
    with CaptureQueriesContext(connection) as queries:
        response = _autosave(client, formulier, {"motivatie": "x" * 2000, "bijlagen": ["opp"]})
    assert response.status_code == 200
    # Session, user, and one UPDATE that checks access and revision. The second factor's device
    # lookup (django-otp) is the login's cost, not autosave's, so it is not counted.
    eigen = [q["sql"] for q in queries.captured_queries if "otp_" not in q["sql"]]
    assert len(eigen) <= 3, eigen
    assert eigen[-1].startswith("UPDATE")


def test_autosave_requires_the_csrf_token(world):
    formulier = formulier_van(world.hv_a_voorlopig)
    client = Client(enforce_csrf_checks=True)
    login(client, world.coordinator_a)
    assert _autosave(client, formulier, {"motivatie": "x"}).status_code == 403
    # The page's token, sent as the script sends it.
    client.get(reverse("formulieren:bewerken", args=[formulier.pk]))
    token = client.cookies["csrftoken"].value
    assert (
        _autosave(client, formulier, {"motivatie": "x"}, HTTP_X_CSRFTOKEN=token).status_code == 200
    )


@pytest.mark.parametrize(
    "persona", ["outsider", "collega_b", "bestuurder_a", "loket", "deskundige"]
)
def test_autosave_by_anyone_but_the_school_answers_404(client, world, persona):
    formulier = formulier_van(world.hv_a_ingediend)
    login(client, getattr(world, persona))
    assert _autosave(client, formulier, {"motivatie": "x"}).status_code == 404
    formulier.refresh_from_db()
    assert formulier.concept is None


def test_autosave_after_the_security_timeout_goes_to_the_login_page(client, world):
    formulier = formulier_van(world.hv_a_voorlopig)
    response = _autosave(client, formulier, {"motivatie": "x"})
    # The script does not follow this redirect; it tells the user to log in again.
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    formulier.refresh_from_db()
    assert formulier.concept is None


@pytest.mark.parametrize(
    "antwoorden",
    [
        {"Motivatie!": "x"},
        {"motivatie": 3},
        {"bijlagen": ["opp", 2]},
        ["lijst"],
        {"x": "y" * 200_001},
    ],
)
def test_malformed_drafts_are_refused(client, world, antwoorden):
    formulier = formulier_van(world.hv_a_voorlopig)
    login(client, world.coordinator_a)
    assert _autosave(client, formulier, antwoorden).status_code == 400


def test_a_stale_page_does_not_overwrite_a_colleagues_newer_draft(client, world):
    collega_a = UserFactory(organisatie=world.org, rol=Rol.SCHOOL, scholen=[world.school_a])
    formulier = formulier_van(world.hv_a_voorlopig)
    gezien = formulier.revisie
    other = Client()
    login(other, collega_a)
    assert _autosave(other, formulier, {"motivatie": "Van de collega"}).status_code == 200
    login(client, world.coordinator_a)
    response = _autosave(client, formulier, {"motivatie": "Van mij"}, revisie=gezien)
    assert response.status_code == 409
    assert "intussen elders gewijzigd" in response.json()["melding"]
    formulier.refresh_from_db()
    assert formulier.concept == {"motivatie": "Van de collega"}


def test_own_autosave_racing_own_opslaan_is_not_a_conflict(client, world):
    from tests.formulieren.conftest import volledige_post

    formulier = formulier_van(world.hv_a_voorlopig)
    login(client, world.coordinator_a)
    gezien = formulier.revisie
    assert _autosave(client, formulier, {"motivatie": "x"}).status_code == 200
    data = volledige_post(formulier, ondertekenaar=world.bestuurder_a, revisie=gezien)
    response = client.post(reverse("formulieren:bewerken", args=[formulier.pk]), data)
    assert response.status_code == 302
    formulier.refresh_from_db()
    assert formulier.concept is None and formulier.opgeslagen_op is not None


def test_the_draft_survives_logging_out_and_is_back_with_its_time(client, world):
    formulier = formulier_van(world.hv_a_voorlopig)
    login(client, world.coordinator_a)
    _autosave(client, formulier, {"motivatie": "Bijna klaar met de motivatie", "bijlagen": ["opp"]})
    client.logout()
    bewerken = reverse("formulieren:bewerken", args=[formulier.pk])
    assert client.get(bewerken).status_code == 302  # to the login page
    login(client, world.coordinator_a)
    html = client.get(bewerken).content.decode()
    formulier.refresh_from_db()
    tijd = formulier.concept_opgeslagen_op.astimezone().strftime("%d-%m-%Y %H:%M")
    assert f"Uw concept van {tijd} is teruggezet" in html
    assert "Bijna klaar met de motivatie</textarea>" in html
    assert 'value="opp" aria-describedby="help-bijlagen" id="id_bijlagen_0" checked' in html
    tab = client.get(
        reverse("hulpvragen:tab", args=[world.hv_a_voorlopig.pk, "formulier"])
    ).content.decode()
    assert f"automatisch opgeslagen concept van {tijd}" in tab
