"""Admin for the beheerder: form definitions of the own organisation, edited as JSON, validated
as a whole, versioned when in use (a filled form keeps its version)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from formulieren.models import FormulierDefinitie
from hulpvragen.models import HulpvraagType
from tests.factories import SchoolgegevensFactory, make_hulpvraag
from tests.helpers import login

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:formulieren_formulierdefinitie_changelist"


def change_url(definitie):
    return reverse("admin:formulieren_formulierdefinitie_change", args=[definitie.pk])


def sv(org):
    return FormulierDefinitie.objects.get(organisatie=org, hulpvraag_type="SV", actief=True)


def test_beheerder_sees_own_definitions_and_edits_an_unused_one(
    client, world, django_assert_max_num_queries
):
    login(client, world.beheerder)
    with django_assert_max_num_queries(15):
        response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert {d.organisatie_id for d in response.context["cl"].queryset} == {world.org.pk}
    assert response.context["cl"].result_count == 5

    definitie = sv(world.org)
    page = client.get(change_url(definitie)).content.decode()
    assert "De definitie is geldig." in page
    assert "Aanvraag Schakelvoorziening" in page
    inhoud = dict(definitie.inhoud, naam="Aanvraag Schakelklas")
    response = client.post(
        change_url(definitie), {"inhoud": json.dumps(inhoud), "ondertekening_vereist": ""}
    )
    assert response.status_code == 302
    definitie.refresh_from_db()
    assert definitie.naam == "Aanvraag Schakelklas" and definitie.inhoud["naam"] == definitie.naam


def test_an_invalid_definition_is_refused_and_the_text_is_kept(client, world):
    login(client, world.beheerder)
    definitie = sv(world.org)
    kapot = dict(definitie.inhoud, secties=[{"titel": "Leeg", "vragen": []}])
    response = client.post(change_url(definitie), {"inhoud": json.dumps(kapot)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sectie 1 heeft geen vragen." in body
    assert "Leeg" in body  # what the beheerder typed is still there
    response = client.post(change_url(definitie), {"inhoud": "{niet: json"})
    assert response.status_code == 200 and "{niet: json" in response.content.decode()
    response = client.post(
        change_url(definitie), {"inhoud": json.dumps(dict(definitie.inhoud, sleutel="ander"))}
    )
    assert "De sleutel “sv” kan niet veranderen." in response.content.decode()
    definitie.refresh_from_db()
    assert definitie.inhoud["secties"][0]["vragen"]


def test_definition_in_use_changes_through_a_new_version(client, world):
    hulpvraag = make_hulpvraag(
        type=HulpvraagType.SV, schoolgegevens=SchoolgegevensFactory(school=world.school_a)
    )
    v1 = hulpvraag.formulieren.get().definitie
    login(client, world.beheerder)
    assert client.post(change_url(v1), {"inhoud": json.dumps(v1.inhoud)}).status_code == 403

    response = client.post(
        reverse(CHANGELIST), {"action": "nieuwe_versie", "_selected_action": [v1.pk]}, follow=True
    )
    assert (
        "Versie 2 van het formulier “Aanvraag Schakelvoorziening” is gemaakt (nog niet actief)."
        in (response.content.decode())
    )
    v2 = FormulierDefinitie.objects.get(organisatie=world.org, sleutel=v1.sleutel, versie=2)
    assert not v2.actief and v2.inhoud["versie"] == 2

    inhoud = json.loads(json.dumps(v2.inhoud))
    inhoud["secties"][-1]["vragen"][0]["label"] = "Nieuwe vraag in versie 2"
    assert client.post(change_url(v2), {"inhoud": json.dumps(inhoud)}).status_code == 302

    response = client.post(
        reverse(CHANGELIST), {"action": "activeren", "_selected_action": [v2.pk]}, follow=True
    )
    assert "Het formulier Aanvraag Schakelvoorziening" in response.content.decode()
    assert "is nu actief" in response.content.decode()
    v1.refresh_from_db()
    assert not v1.actief
    assert hulpvraag.formulieren.get().definitie == v1  # the filled form keeps its version
    later = make_hulpvraag(
        type=HulpvraagType.SV, schoolgegevens=SchoolgegevensFactory(school=world.school_a)
    )
    assert later.formulieren.get().definitie == v2


def test_a_filled_form_is_shown_saved_and_exported_with_its_own_version(client, world):
    """Through the pages: the school fills a form on v1, the beheerder activates v2; the filled
    form still shows, saves and exports v1's questions, a new hulpvraag gets v2's."""
    import io

    from docx import Document

    from tests.formulieren.conftest import volledige_post

    sg = SchoolgegevensFactory(school=world.school_a, aanvrager=world.coordinator_a)
    hulpvraag = make_hulpvraag(type=HulpvraagType.SV, schoolgegevens=sg, door=world.coordinator_a)
    formulier = hulpvraag.formulieren.select_related("definitie").get()
    bewerken = reverse("formulieren:bewerken", args=[formulier.pk])
    login(client, world.coordinator_a)
    assert client.post(bewerken, volledige_post(formulier)).status_code == 302

    v1 = formulier.definitie
    login(client, world.beheerder)
    client.post(reverse(CHANGELIST), {"action": "nieuwe_versie", "_selected_action": [v1.pk]})
    v2 = FormulierDefinitie.objects.get(organisatie=world.org, sleutel=v1.sleutel, versie=2)
    inhoud = json.loads(json.dumps(v2.inhoud))
    inhoud["secties"][-1]["vragen"][0]["label"] = "Welke bijlagen (versie 2)?"
    assert client.post(change_url(v2), {"inhoud": json.dumps(inhoud)}).status_code == 302
    client.post(reverse(CHANGELIST), {"action": "activeren", "_selected_action": [v2.pk]})

    login(client, world.coordinator_a)
    pagina = client.get(bewerken).content.decode()
    assert "versie 1" in pagina and "Welke bijlagen voegt u toe?" in pagina
    assert "versie 2" not in pagina
    formulier.refresh_from_db()
    assert client.post(bewerken, volledige_post(formulier)).status_code == 302
    formulier.refresh_from_db()
    assert formulier.definitie == v1
    word = client.get(reverse("formulieren:word", args=[formulier.pk])).content
    tekst = "\n".join(
        [p.text for p in Document(io.BytesIO(word)).paragraphs]
        + [c.text for t in Document(io.BytesIO(word)).tables for r in t.rows for c in r.cells]
    )
    assert "Welke bijlagen voegt u toe?" in tekst and "(versie 2)" not in tekst

    later = make_hulpvraag(
        type=HulpvraagType.SV,
        schoolgegevens=SchoolgegevensFactory(school=world.school_a, aanvrager=world.coordinator_a),
        door=world.coordinator_a,
    )
    nieuw = later.formulieren.get()
    pagina = client.get(reverse("formulieren:bewerken", args=[nieuw.pk])).content.decode()
    assert "Welke bijlagen (versie 2)?" in pagina


def test_other_organisation_is_404_and_loket_only_looks(client, world):
    login(client, world.beheerder)
    assert client.get(change_url(sv(world.other_org))).status_code == 404
    client.logout()
    login(client, world.loket)
    definitie = sv(world.org)
    assert client.get(change_url(definitie)).status_code == 200
    assert client.post(change_url(definitie), {"inhoud": "{}"}).status_code == 403
    client.post(reverse(CHANGELIST), {"action": "activeren", "_selected_action": [definitie.pk]})
    assert FormulierDefinitie.objects.filter(organisatie=world.org).count() == 5


def test_school_has_no_admin(client, world):
    login(client, world.coordinator_a)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code in (302, 403, 404)
    assert FormulierDefinitie.objects.get(pk=sv(world.org).pk).actief
