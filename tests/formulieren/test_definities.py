"""Definitions: shipped as data, valid, loaded per organisation, attached by hulpvraag type."""

from __future__ import annotations

import copy

import pytest

from formulieren.definities import VRAAGTYPEN, definitie_fouten, shipped_definities, vragen
from formulieren.models import FormulierDefinitie
from formulieren.services import formulierdefinities_load_defaults
from hulpvragen.models import HulpvraagType
from tests.factories import OrganisatieFactory, SchoolgegevensFactory, make_hulpvraag

pytestmark = pytest.mark.django_db

NAMEN = {
    "TLV_VSO": "Aanvraag TLV VSO",
    "FA": "Aanvraag Financieel Arrangement",
    "PRO": "Aanvraagformulier TLV PrO",
    "SV": "Aanvraag Schakelvoorziening",
    "BAG": "Aanvraagformulier BAG",
}


def test_the_five_shipped_definitions_are_valid_and_named_as_in_the_manual():
    definities = shipped_definities()
    assert {d["hulpvraag_type"]: d["naam"] for d in definities} == NAMEN
    for d in definities:
        assert definitie_fouten(d) == [], d["naam"]


def test_definitions_use_every_question_type_help_texts_and_optional_marks():
    gebruikt = {v["type"] for d in shipped_definities() for _s, v in vragen(d)}
    assert gebruikt == VRAAGTYPEN
    for d in shipped_definities():
        alle = [v for _s, v in vragen(d)]
        assert any(v.get("optioneel") for v in alle)
        # Every question has its "?" help text (prefilled ones say where the data comes from).
        zonder_help = [v["sleutel"] for v in alle if not v.get("help", "").strip()]
        assert zonder_help == [], (d["naam"], zonder_help)
        sleutels = {v["sleutel"] for v in alle}
        # What every form must cover: dossier data, support needs, handelingsdeel,
        # why, dates, gezag and parents, zienswijze, bijlagen.
        assert {"leerling_naam", "leerling_geboortedatum", "school_naam"} <= sleutels
        assert {"onderwijsbehoeften", "geboden_ondersteuning", "gezagssituatie"} <= sleutels
        assert {"ouder1_naam", "zienswijze_ouders", "bijlagen"} <= sleutels
        # A BAG asks for a meeting, not a placement: a preferred date instead of a start.
        assert ("voorkeursdatum" if d["sleutel"] == "bag" else "startdatum") in sleutels
        if d["sleutel"] != "bag":
            # Desired start and end date; the end must come after the start.
            einde = next(v for _s, v in vragen(d) if v["sleutel"] == "einddatum")
            assert einde["type"] == "datum" and einde["na"] == "startdatum", d["naam"]
        # "Ondertekening door" is the form's last section, as in the manual ("tot en met").
        if d["ondertekening_vereist"]:
            assert d["secties"][-1]["titel"] == "Ondertekening door"
        # The bijlagen checklist names the OPP, the parents' signed form and onderzoeksverslagen
        # (BAG: the manual's own list, without a form for the parents to sign).
        bijlagen = next(v for _s, v in vragen(d) if v["sleutel"] == "bijlagen")
        opties = {w for w, _label in bijlagen["opties"]}
        assert "opp" in opties
        assert opties & {"onderzoeksverslagen", "iq_onderzoek"}
        if d["sleutel"] != "bag":
            assert "formulier_ouders" in opties
        assert ("ondertekening_door" in sleutels) == d["ondertekening_vereist"]
    tlv = next(d for d in shipped_definities() if d["sleutel"] == "tlv_vso")
    categorie = next(v for _s, v in vragen(tlv) if v["sleutel"] == "bekostigingscategorie")
    assert [o[0] for o in categorie["opties"]] == ["laag", "midden", "hoog"]
    bag = next(d for d in shipped_definities() if d["sleutel"] == "bag")
    assert any(v["sleutel"] == "alleen_reserveren" for _s, v in vragen(bag))


@pytest.mark.parametrize(
    ("wijziging", "verwacht"),
    [
        (
            lambda d: d["secties"][0]["vragen"].append(dict(d["secties"][0]["vragen"][0])),
            "twee keer",
        ),
        (lambda d: d["secties"][2]["vragen"][0].update(type="kleur"), "onbekend type"),
        (
            lambda d: d["secties"][0]["vragen"][0].update(bron="leerling.schoenmaat"),
            "onbekende bron",
        ),
        (
            lambda d: d["secties"][2]["vragen"][1].update(vereist_als={"vraag": "x", "in": ["y"]}),
            "onbekende vraag",
        ),
        (lambda d: d["secties"][2]["vragen"][0].update(opties=[]), "opties nodig"),
        (lambda d: d.pop("naam"), "“naam” ontbreekt"),
    ],
)
def test_invalid_definitions_are_refused_with_a_dutch_reason(wijziging, verwacht):
    definitie = copy.deepcopy(next(d for d in shipped_definities() if d["sleutel"] == "tlv_vso"))
    wijziging(definitie)
    fouten = definitie_fouten(definitie)
    assert any(verwacht in f for f in fouten), fouten


def test_every_new_organisation_gets_the_five_forms_once():
    org = OrganisatieFactory()
    assert set(org.formulierdefinities.values_list("naam", flat=True)) == set(NAMEN.values())
    assert formulierdefinities_load_defaults(organisatie=org) == []
    assert org.formulierdefinities.count() == 5


@pytest.mark.parametrize("type_", list(HulpvraagType))
def test_creating_a_hulpvraag_attaches_the_form_of_its_type(type_):
    hulpvraag = make_hulpvraag(type=type_)
    formulier = hulpvraag.formulieren.get()
    assert formulier.definitie.naam == NAMEN[type_]
    assert formulier.definitie.organisatie_id == hulpvraag.organisatie_id
    assert formulier.antwoorden == {}


def test_a_filled_form_keeps_the_definition_version_it_was_made_with():
    hulpvraag = make_hulpvraag(type=HulpvraagType.SV)
    oud = hulpvraag.formulieren.get().definitie
    inhoud = copy.deepcopy(oud.inhoud)
    inhoud["secties"][-1]["vragen"][0]["label"] = "Nieuwe vraag in versie 2"
    FormulierDefinitie.objects.filter(pk=oud.pk).update(actief=False)
    nieuw = FormulierDefinitie.objects.create(
        organisatie=oud.organisatie,
        sleutel=oud.sleutel,
        naam=oud.naam,
        hulpvraag_type=oud.hulpvraag_type,
        versie=2,
        inhoud=inhoud,
    )
    assert hulpvraag.formulieren.get().definitie == oud
    later = make_hulpvraag(
        type=HulpvraagType.SV,
        schoolgegevens=SchoolgegevensFactory(school__organisatie=oud.organisatie),
    )
    assert later.formulieren.get().definitie == nieuw
