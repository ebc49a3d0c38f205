"""A basisschool that only reserves a date for a BAG-overleg (manual, BAG step 4: "Indien u alleen
vast een datum voor een BAG overleg wil reserveren geeft u dat aan op het formulier"), through the
pages: a preferred date in the past is refused; the loket reads "Alleen datum gereserveerd" in the
werkvoorraad, the Hulpvragen list and Vergaderingen; the decision clock starts only when the
school completes the request (time moved with time-machine)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from formulieren.models import Formulier
from hulpvragen.models import Hulpvraag
from loket.models import Termijn
from tests.factories import AdresFactory, SchoolgegevensFactory, make_hulpvraag
from tests.formulieren.conftest import volledige_post
from tests.helpers import login
from tests.loket.conftest import status
from tests.loket.test_werkvoorraad import rij

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
RESERVERING = "Alleen datum gereserveerd"


def op(dagen: int):
    return time_machine.travel(T0 + timedelta(days=dagen), tick=False)


def _bewerken(formulier):
    return reverse("formulieren:bewerken", args=[formulier.pk])


def _bag(basisschool):
    school, ib = basisschool
    sg = SchoolgegevensFactory(
        school=school, aanvrager=ib, email="ib@zonnewijzer.example", leerjaar=None, groep=8
    )
    AdresFactory(leerling=sg.leerling)
    hulpvraag = make_hulpvraag(schoolgegevens=sg, type="BAG", door=ib)
    return hulpvraag, Formulier.objects.get(hulpvraag=hulpvraag), ib


def _indienen(client, hulpvraag):
    naar = status(hulpvraag, "BAG aanvraag indienen")
    response = client.post(
        reverse("hulpvragen:status_wijzigen", args=[hulpvraag.pk]),
        {"naar": naar.pk, "gezien_status": hulpvraag.status_id, "toelichting": ""},
    )
    assert response.status_code == 302, response.content.decode()[:3000]


def test_reserving_a_date_is_visible_to_the_loket_and_the_clock_waits_for_the_request(
    client, world, basisschool
):
    hulpvraag, formulier, ib = _bag(basisschool)
    with op(0):
        login(client, ib)
        # A preferred date that has passed is refused, with the answers kept.
        verleden = {"revisie": "0", "alleen_reserveren": "ja", "voorkeursdatum": "15-01-2027"}
        response = client.post(_bewerken(formulier), verleden)
        assert response.status_code == 200
        assert "Deze datum ligt in het verleden" in response.content.decode()
        assert 'href="#vraag-voorkeursdatum"' in response.content.decode()
        reserveren = {**verleden, "voorkeursdatum": "11-03-2027"}
        assert client.post(_bewerken(formulier), reserveren).status_code == 302
        hulpvraag.refresh_from_db()
        assert hulpvraag.alleen_datum_gereserveerd
        _indienen(client, hulpvraag)

        termijn = Termijn.objects.get(hulpvraag=hulpvraag)
        assert termijn.deadline is None and termijn.ingediend_op is None

        login(client, world.loket)
        werkvoorraad = client.get(reverse("loket:werkvoorraad"))
        regel = rij(werkvoorraad, hulpvraag)
        assert RESERVERING in regel
        assert "de termijn loopt pas als de aanvraag compleet is" in regel
        lijst = client.get(reverse("hulpvragen:lijst")).content.decode()
        assert f"BAG aanvraag indienen — {RESERVERING}" in lijst

        response = client.post(
            reverse("loket:vergaderingen"),
            {
                "soort": "bag",
                "datum": "2027-03-11",
                "tijd": "14:30",
                "plaats": "Kantoor SWV",
                "deelnemers": "Orthopedagoog",
            },
        )
        assert response.status_code == 302
        vergadering_url = response["Location"]
        pagina = client.get(vergadering_url).content.decode()
        assert f"BAG aanvraag indienen; {RESERVERING})" in pagina  # the candidate
        assert client.post(vergadering_url, {"hulpvraag": hulpvraag.pk}).status_code == 302
        agenda = client.get(vergadering_url).content.decode()
        assert "BAG geagendeerd" in agenda and RESERVERING in agenda
        assert Termijn.objects.get(hulpvraag=hulpvraag).deadline is None

    # Ten days later the school completes the request: now the clock starts, from that moment.
    with op(10):
        login(client, ib)
        formulier.refresh_from_db()
        volledig = volledige_post(formulier)
        volledig["voorkeursdatum"] = "11-03-2027"  # as saved: still accepted
        response = client.post(_bewerken(formulier), volledig)
        assert response.status_code == 302, response.content.decode()[:3000]
        hulpvraag = Hulpvraag.objects.get(pk=hulpvraag.pk)
        assert not hulpvraag.alleen_datum_gereserveerd
        assert hulpvraag.aanvraag_compleet_op == T0 + timedelta(days=10)
        termijn = Termijn.objects.get(hulpvraag=hulpvraag)
        assert termijn.ingediend_op == T0 + timedelta(days=10)
        assert termijn.deadline == T0 + timedelta(days=10, weeks=8)

        login(client, world.loket)
        regel = rij(client.get(reverse("loket:werkvoorraad")), hulpvraag)
        assert RESERVERING not in regel
        assert (T0 + timedelta(days=10, weeks=8)).strftime("%d-%m-%Y") in regel
        assert RESERVERING not in client.get(reverse("hulpvragen:lijst")).content.decode()


def test_a_bag_filed_complete_runs_its_clock_from_indienen(client, world, basisschool):
    hulpvraag, formulier, ib = _bag(basisschool)
    with op(0):
        login(client, ib)
        assert client.post(_bewerken(formulier), volledige_post(formulier)).status_code == 302
        _indienen(client, hulpvraag)
        hulpvraag.refresh_from_db()
        assert not hulpvraag.alleen_datum_gereserveerd
        assert Termijn.objects.get(hulpvraag=hulpvraag).deadline == T0 + timedelta(weeks=8)
