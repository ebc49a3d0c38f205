"""Toevoegen → search first → Dossier toevoegen → Basisgegevens → Schoolgegevens → Hulpvraag.
The manual's trap ("zult u de leerling niet meer vinden") must not exist: every step is kept as
the creator's concept; nothing typed is lost on an error; duplicates lead to the existing
dossier."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from audit.models import Inzage
from dossiers.models import Adres, DossierConcept, Leerling, Schoolgegevens
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.models import Hulpvraag, HulpvraagType
from organisaties.models import Sector
from tests.factories import SchoolFactory, _bsn
from tests.helpers import login

pytestmark = pytest.mark.django_db
TOEVOEGEN = reverse("dossiers:toevoegen")

BASIS = {
    "voornamen": "Daan Pieter",
    "roepnaam": "Daan",
    "tussenvoegsel": "van",
    "achternaam": "Dijk",
    "geboortedatum": "14-03-2011",
    "geslacht": "M",
    "bsn": _bsn(9001),
    "onderwijsnummer": "",
    "straat": "Hoofdstraat",
    "huisnummer": "12",
    "postcode": "7311AB",
    "woonplaats": "Apeldoorn",
}


def start(client) -> DossierConcept:
    response = client.post(reverse("dossiers:concept_start"))
    assert response.status_code == 302
    return DossierConcept.objects.latest("id")


def step_url(concept, stap):
    return reverse("dossiers:stap", args=[concept.pk, stap])


def school_data(world, **kw):
    return {
        "school": world.school_a.pk,
        "leerjaar_groep": "2",
        "doublures": "0",
        "aanvrager": world.coordinator_a.pk,
        "contactpersoon": "P. Coördinator",
        "email": "zorg@school-a.example",
        "telefoon": "",
        **kw,
    }


def test_toevoegen_searches_first_and_finds_a_known_pupil(client, world):
    login(client, world.coordinator_a)
    known = world.hv_a_ingediend.leerling
    body = client.get(TOEVOEGEN, {"q": known.achternaam}).content.decode()
    assert "Dossier toevoegen" in body
    assert html.escape(known.naam) in body
    assert reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk]) in body
    # Pupils of another school are not found.
    other = world.hv_b_ingediend.leerling
    body = client.get(TOEVOEGEN, {"q": other.achternaam}).content.decode()
    assert html.escape(other.naam) not in body
    assert "minstens 3 tekens" in client.get(TOEVOEGEN, {"q": "ab"}).content.decode()


@pytest.mark.parametrize("persona", ["bestuurder_a", "deskundige", "beheerder", "outsider"])
def test_wizard_is_only_for_schools_and_the_loket(client, world, persona):
    login(client, getattr(world, persona))
    if persona == "outsider":
        # The outsider is a school user elsewhere: may start, but never sees our concepts.
        concept = DossierConcept.objects.create(
            organisatie=world.org, aangemaakt_door=world.coordinator_a
        )
        assert client.get(step_url(concept, "basisgegevens")).status_code == 404
        return
    assert client.get(TOEVOEGEN).status_code == 404
    assert client.post(reverse("dossiers:concept_start")).status_code == 404


def test_full_wizard_creates_pupil_address_schoolgegevens_and_hulpvraag_at_once(client, world):
    login(client, world.coordinator_a)
    concept = start(client)
    response = client.post(step_url(concept, "basisgegevens"), BASIS)
    assert response.status_code == 302 and response.url.endswith("/schoolgegevens/")
    assert not Leerling.objects.filter(achternaam="Dijk").exists()  # still only a concept
    body = client.get(step_url(concept, "schoolgegevens")).content.decode()
    assert "einddatum" not in body.lower()
    response = client.post(step_url(concept, "schoolgegevens"), school_data(world))
    assert response.status_code == 302 and response.url.endswith("/hulpvraag/")
    body = client.get(step_url(concept, "hulpvraag")).content.decode()
    assert "Titel" in body and "Omschrijving" in body and "Opslaan" in body
    assert 'name="coordinator"' not in body  # a school never sets the Coördinator
    response = client.post(step_url(concept, "hulpvraag"), {"type": "TLV_VSO", "omschrijving": ""})
    hv = Hulpvraag.objects.get(leerling__achternaam="Dijk")
    assert response.status_code == 302 and response.url == reverse(
        "hulpvragen:detail", args=[hv.pk]
    )
    assert hv.status.naam == "TLV voorlopige aanvraag"
    assert hv.schoolgegevens.leerjaar == 2 and hv.schoolgegevens.einddatum is None
    assert hv.schoolgegevens.aanvrager == world.coordinator_a
    assert Adres.objects.get(leerling=hv.leerling).postcode == "7311 AB"
    assert not DossierConcept.objects.filter(pk=concept.pk).exists()
    assert hv in hulpvragen_visible_to(world.coordinator_a)
    assert hv not in hulpvragen_visible_to(world.loket)  # voorlopige aanvraag
    assert Inzage.objects.filter(actie="aangemaakt", leerling_id=hv.leerling_id).exists()


def test_leaving_half_way_keeps_the_concept_for_its_creator_only(client, world):
    login(client, world.coordinator_a)
    concept = start(client)
    client.post(step_url(concept, "basisgegevens"), BASIS)
    client.post(step_url(concept, "schoolgegevens"), school_data(world))
    client.logout()
    # Tomorrow: the concept is listed on Hulpvragen and resumes at the hulpvraag step.
    login(client, world.coordinator_a)
    body = client.get(reverse("hulpvragen:lijst")).content.decode()
    assert "Nog niet afgeronde dossiers" in body and "Daan van Dijk" in body
    response = client.get(reverse("dossiers:concept", args=[concept.pk]))
    assert response.url == step_url(concept, "hulpvraag")
    # Nobody else sees it: not a colleague, not the loket.
    for other in (world.collega_b, world.loket):
        login(client, other)
        assert "Daan van Dijk" not in client.get(reverse("hulpvragen:lijst")).content.decode()
        assert client.get(reverse("dossiers:concept", args=[concept.pk])).status_code == 404
        assert client.get(step_url(concept, "hulpvraag")).status_code == 404


def test_bad_input_gets_dutch_messages_and_loses_nothing(client, world):
    login(client, world.coordinator_a)
    concept = start(client)
    bad = {**BASIS, "bsn": "123456789", "geboortedatum": "31-02-2011", "postcode": "abc"}
    response = client.post(step_url(concept, "basisgegevens"), bad)
    body = response.content.decode()
    assert response.status_code == 400
    assert "geen geldig burgerservicenummer" in body
    assert "Vul een postcode in als 1234 AB." in body
    assert "Wat u heeft ingevoerd is bewaard" in body
    concept.refresh_from_db()
    assert concept.gegevens["basisgegevens"]["achternaam"] == "Dijk"
    assert concept.stap == "basisgegevens"
    # Coming back later shows what was typed.
    body = client.get(step_url(concept, "basisgegevens")).content.decode()
    assert 'value="Hoofdstraat"' in body and 'value="123456789"' in body
    # Skipping ahead is not possible.
    response = client.get(step_url(concept, "hulpvraag"))
    assert response.url == step_url(concept, "basisgegevens")


def test_omschrijving_with_the_pupils_name_is_refused_with_the_manuals_reason(client, world):
    login(client, world.coordinator_a)
    concept = start(client)
    client.post(step_url(concept, "basisgegevens"), BASIS)
    client.post(step_url(concept, "schoolgegevens"), school_data(world))
    response = client.post(
        step_url(concept, "hulpvraag"), {"type": "TLV_VSO", "omschrijving": "Daan loopt vast"}
    )
    assert response.status_code == 400
    assert "Zet in de omschrijving geen naam: die informatie is al bekend." in (
        response.content.decode()
    )
    concept.refresh_from_db()
    assert concept.gegevens["hulpvraag"]["omschrijving"] == "Daan loopt vast"
    assert not Leerling.objects.filter(achternaam="Dijk").exists()


def test_titel_is_limited_to_the_types_for_the_schools_sector(client, world):
    basisschool = SchoolFactory(organisatie=world.org, bestuur=world.bestuur_a, sector=Sector.PO)
    world.coordinator_a.scholen.add(basisschool)
    login(client, world.coordinator_a)
    concept = start(client)
    client.post(step_url(concept, "basisgegevens"), BASIS)
    client.post(
        step_url(concept, "schoolgegevens"),
        school_data(world, school=basisschool.pk, leerjaar_groep="7"),
    )
    form = client.get(step_url(concept, "hulpvraag")).context["form"]
    assert [c for c, _ in form.fields["type"].choices if c] == ["BAG"]
    response = client.post(step_url(concept, "hulpvraag"), {"type": "TLV_VSO"})
    assert response.status_code == 400
    client.post(step_url(concept, "hulpvraag"), {"type": "BAG"})
    hv = Hulpvraag.objects.get(leerling__achternaam="Dijk")
    assert hv.type == HulpvraagType.BAG and hv.schoolgegevens.groep == 7
    assert hv.status.naam == "BAG voorlopige aanvraag"


def test_vo_school_offers_the_four_vo_titles(client, world):
    login(client, world.coordinator_a)
    concept = start(client)
    client.post(step_url(concept, "basisgegevens"), BASIS)
    client.post(step_url(concept, "schoolgegevens"), school_data(world))
    form = client.get(step_url(concept, "hulpvraag")).context["form"]
    assert [label for c, label in form.fields["type"].choices if c] == [
        "TLV VSO",
        "Financieel Arrangement",
        "Praktijkonderwijs",
        "Schakelvoorziening",
    ]


def test_same_bsn_sends_the_user_to_the_existing_dossier(client, world):
    known = world.hv_a_ingediend.leerling
    login(client, world.coordinator_a)
    concept = start(client)
    response = client.post(step_url(concept, "basisgegevens"), {**BASIS, "bsn": known.bsn})
    body = response.content.decode()
    assert "Deze leerling staat al in Kindkans" in body
    assert reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk]) in body
    concept.refresh_from_db()
    assert concept.stap == "basisgegevens"


def test_same_bsn_in_a_dossier_the_user_cannot_see_does_not_reveal_it(client, world):
    hidden = world.hv_b_ingediend.leerling
    login(client, world.coordinator_a)
    concept = start(client)
    body = client.post(
        step_url(concept, "basisgegevens"), {**BASIS, "bsn": hidden.bsn}
    ).content.decode()
    assert "Neem contact op met het loket" in body
    assert html.escape(hidden.naam) not in body


def test_same_name_and_birth_date_warns_and_can_be_overridden(client, world):
    known = world.hv_a_ingediend.leerling
    login(client, world.coordinator_a)
    concept = start(client)
    same = {
        **BASIS,
        "achternaam": known.achternaam,
        "tussenvoegsel": "",
        "geboortedatum": known.geboortedatum.strftime("%d-%m-%Y"),
    }
    body = client.post(step_url(concept, "basisgegevens"), same).content.decode()
    assert "Er staat al een leerling met deze achternaam en geboortedatum" in body
    response = client.post(step_url(concept, "basisgegevens"), {**same, "toch_nieuw": "on"})
    assert response.status_code == 302


def test_new_hulpvraag_for_a_known_pupil(client, world):
    leerling = world.hv_a_ingediend.leerling
    login(client, world.coordinator_a)
    url = reverse("dossiers:nieuwe_hulpvraag", args=[leerling.pk])
    assert "Nieuwe hulpvraag toevoegen" in client.get(url).content.decode()
    response = client.post(url, {"type": "FA", "omschrijving": "Extra begeleiding"})
    hv = Hulpvraag.objects.filter(leerling=leerling, type="FA").get()
    assert response.url == reverse("hulpvragen:detail", args=[hv.pk])
    assert hv.status.naam == "FA voorlopige aanvraag"
    login(client, world.collega_b)
    assert client.get(url).status_code == 404
    login(client, world.outsider)
    assert client.get(url).status_code == 404


def test_loket_may_set_the_coordinator(client, world):
    leerling = world.hv_a_ingediend.leerling
    login(client, world.loket)
    url = reverse("dossiers:nieuwe_hulpvraag", args=[leerling.pk])
    client.post(url, {"type": "SV", "coordinator": world.loket.pk})
    assert Hulpvraag.objects.get(leerling=leerling, type="SV").coordinator == world.loket


def test_concept_can_be_deleted_by_its_creator(client, world):
    login(client, world.coordinator_a)
    concept = start(client)
    login(client, world.collega_b)
    url = reverse("dossiers:concept_verwijderen", args=[concept.pk])
    assert client.post(url).status_code == 404
    login(client, world.coordinator_a)
    assert client.post(url).status_code == 302
    assert not DossierConcept.objects.filter(pk=concept.pk).exists()
    assert Schoolgegevens.objects.filter(contactpersoon="P. Coördinator").count() == 0
