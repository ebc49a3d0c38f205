"""Addresses through the Basisgegevens tab, the form and the Word export: an address dated in the
future becomes current on its date (time moved with time-machine); a wrongly entered address is
corrected or removed by the school, kept in the history as such and recorded in the audit log."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from audit.models import Inzage
from dossiers.models import Adres
from hulpvragen.tabs import tab_url
from tests.factories import AdresFactory
from tests.formulieren.conftest import formulier_van, volledige_post
from tests.helpers import login

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


def op(dagen: int):
    return time_machine.travel(T0 + timedelta(days=dagen), tick=False)


def basis(hv) -> str:
    return tab_url(hv.pk, "basisgegevens")


def rij(body: str, adres: Adres) -> str:
    start = body.index(f'id="adres-{adres.pk}"')
    return body[start : body.index("</tr>", start)]


def _word_tekst(inhoud: bytes) -> str:
    doc = Document(io.BytesIO(inhoud))
    return "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)


NIEUW = {
    "straat": "Nieuwelaan",
    "huisnummer": "3",
    "postcode": "7312 CD",
    "woonplaats": "Apeldoorn",
}


def test_an_address_dated_in_the_future_becomes_current_on_its_date(client, world):
    hv = world.hv_a_ingediend
    oud = AdresFactory(leerling=hv.leerling, straat="Oudeweg", ingangsdatum="2020-01-01")
    formulier = formulier_van(hv)
    with op(0):
        login(client, world.coordinator_a)
        data = volledige_post(formulier, ondertekenaar=world.bestuurder_a)
        assert (
            client.post(reverse("formulieren:bewerken", args=[formulier.pk]), data).status_code
            == 302
        )
        response = client.post(basis(hv), {**NIEUW, "ingangsdatum": "15-03-2027"})
        assert response.status_code == 302
        nieuw = hv.leerling.adressen.get(straat="Nieuwelaan")
        body = client.get(basis(hv)).content.decode()
        assert "actueel vanaf 15-03-2027" in rij(body, nieuw)
        assert "<strong>actueel</strong>" in rij(body, oud)
        bewerken = client.get(reverse("formulieren:bewerken", args=[formulier.pk])).content.decode()
        assert "Oudeweg" in bewerken and "Nieuwelaan" not in bewerken
        word = client.get(reverse("formulieren:word", args=[formulier.pk])).content
        assert "Oudeweg" in _word_tekst(word) and "Nieuwelaan" not in _word_tekst(word)

    with op(14):  # 15-03-2027: nobody acted, the new address is current
        login(client, world.coordinator_a)
        body = client.get(basis(hv)).content.decode()
        assert "<strong>actueel</strong>" in rij(body, nieuw)
        assert "eerder adres" in rij(body, oud)
        bewerken = client.get(reverse("formulieren:bewerken", args=[formulier.pk])).content.decode()
        assert "Nieuwelaan 3, 7312 CD Apeldoorn" in bewerken
        word = client.get(reverse("formulieren:word", args=[formulier.pk])).content
        assert "Nieuwelaan 3, 7312 CD Apeldoorn" in _word_tekst(word)
        assert "Oudeweg" not in _word_tekst(word)


def test_the_school_corrects_a_wrongly_entered_address_kept_in_history_and_audit(client, world):
    hv = world.hv_a_ingediend
    fout = AdresFactory(
        leerling=hv.leerling, straat="Nieuwlaan", huisnummer="33", ingangsdatum="2026-09-01"
    )
    login(client, world.coordinator_a)
    body = client.get(basis(hv)).content.decode()
    assert "Corrigeren" in rij(body, fout) and "Verwijderen" in rij(body, fout)
    prefix = f"adres-{fout.pk}"
    correctie = {
        "corrigeren": str(fout.pk),
        **{f"{prefix}-{k}": v for k, v in NIEUW.items()},
        f"{prefix}-ingangsdatum": "01-09-2026",
    }
    # an invalid correction keeps what was typed, on the row, and changes nothing
    response = client.post(basis(hv), {**correctie, f"{prefix}-postcode": "x"})
    assert response.status_code == 400
    assert "Vul een postcode in als 1234 AB." in rij(response.content.decode(), fout)
    assert hv.leerling.adressen.count() == 1

    assert client.post(basis(hv), correctie).status_code == 302
    # the same post again (a double click) records nothing more
    response = client.post(basis(hv), correctie, follow=True)
    assert "Dit adres is al gecorrigeerd" in response.content.decode()
    assert hv.leerling.adressen.count() == 2

    fout.refresh_from_db()
    goed = hv.leerling.adressen.get(straat="Nieuwelaan")
    assert fout.vervallen == "gecorrigeerd" and fout.vervangen_door == goed
    body = client.get(basis(hv)).content.decode()
    assert "<del>Nieuwlaan 33" in rij(body, fout)
    assert "gecorrigeerd op" in rij(body, fout) and "Nieuwelaan 3" in rij(body, fout)
    assert "<strong>actueel</strong>" in rij(body, goed)
    assert Inzage.objects.filter(
        leerling_id=hv.leerling_id,
        gebruiker=world.coordinator_a,
        actie="gewijzigd",
        details=f"adres {fout.pk} gecorrigeerd, nu adres {goed.pk}",
    ).exists()
    bewerken = client.get(reverse("formulieren:bewerken", args=[formulier_van(hv).pk]))
    assert "Nieuwelaan 3, 7312 CD Apeldoorn" in bewerken.content.decode()


def test_the_school_removes_a_wrong_address_and_the_previous_one_is_current_again(client, world):
    hv = world.hv_a_ingediend
    oud = AdresFactory(leerling=hv.leerling, straat="Oudeweg", ingangsdatum="2020-01-01")
    fout = AdresFactory(leerling=hv.leerling, straat="Verkeerdstraat", ingangsdatum="2026-01-01")
    login(client, world.coordinator_a)
    response = client.post(basis(hv), {"verwijderen": str(fout.pk), "reden": ""})
    assert response.status_code == 400
    assert "Vul in waarom dit adres verwijderd wordt." in rij(response.content.decode(), fout)
    response = client.post(
        basis(hv), {"verwijderen": str(fout.pk), "reden": "Adres van een andere leerling"}
    )
    assert response.status_code == 302
    body = client.get(basis(hv)).content.decode()
    assert "verwijderd op" in rij(body, fout) and "Adres van een andere leerling" in rij(body, fout)
    assert "Corrigeren" not in rij(body, fout)
    assert "<strong>actueel</strong>" in rij(body, oud)
    assert Inzage.objects.filter(details=f"adres {fout.pk} verwijderd").exists()
    bewerken = client.get(reverse("formulieren:bewerken", args=[formulier_van(hv).pk]))
    assert "Oudeweg" in bewerken.content.decode()
    assert "Verkeerdstraat" not in bewerken.content.decode()


@pytest.mark.parametrize("persona", ["bestuurder_a", "collega_b", "outsider"])
def test_others_cannot_correct_or_remove(client, world, persona):
    hv = world.hv_a_ingediend
    adres = AdresFactory(leerling=hv.leerling, straat="Oudeweg", ingangsdatum="2020-01-01")
    login(client, getattr(world, persona))
    response = client.post(basis(hv), {"verwijderen": str(adres.pk), "reden": "x"})
    assert response.status_code == 404
    adres.refresh_from_db()
    assert adres.vervallen == ""


def test_an_address_of_another_pupil_is_404(client, world):
    hv = world.hv_a_ingediend
    elders = AdresFactory(straat="Elders", ingangsdatum="2020-01-01")
    login(client, world.coordinator_a)
    response = client.post(basis(hv), {"verwijderen": str(elders.pk), "reden": "x"})
    assert response.status_code == 404
    elders.refresh_from_db()
    assert elders.vervallen == ""
