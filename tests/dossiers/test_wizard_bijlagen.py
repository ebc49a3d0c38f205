"""Bijlagen at creation in the new-dossier wizard: kept with the concept (surviving leaving the
wizard half-way and logging out), becoming the hulpvraag's bijlagen on the last Opslaan, without
the engine's "bijlage toegevoegd" event before the hulpvraag is submitted."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import reset_queries
from django.urls import reverse

from bijlagen.models import Bijlage
from dossiers.models import DossierConcept
from hulpvragen.models import Hulpvraag, Overgang, Statuswijziging, Trigger
from tests.bijlagen import bestanden as b
from tests.dossiers.test_wizard import BASIS, school_data, start, step_url
from tests.helpers import login

pytestmark = pytest.mark.django_db


def pdf(naam, tekst=b"x"):
    return SimpleUploadedFile(naam, b.pdf(tekst), content_type="application/pdf")


def to_hulpvraag_step(client, world) -> DossierConcept:
    concept = start(client)
    client.post(step_url(concept, "basisgegevens"), BASIS)
    client.post(step_url(concept, "schoolgegevens"), school_data(world))
    return concept


@pytest.fixture
def event_from_voorlopig(world):
    """Configuration in which an upload in the first status WOULD move the hulpvraag on, so the
    test can see that the wizard does not fire the event."""
    tlv = world.hv_a_voorlopig.proces
    van = tlv.statussen.get(initieel=True)
    naar = tlv.statussen.exclude(pk=van.pk).order_by("volgorde").first()
    return Overgang.objects.create(
        proces=tlv, van=van, naar=naar, door="systeem", trigger=Trigger.BIJLAGE_TOEGEVOEGD
    )


def test_files_survive_leaving_half_way_and_become_bijlagen_without_the_event(
    client, world, event_from_voorlopig
):
    login(client, world.coordinator_a)
    concept = to_hulpvraag_step(client, world)
    response = client.post(
        step_url(concept, "hulpvraag"),
        {"type": "TLV_VSO", "alleen_bijlagen": "1", "bestanden": [pdf("OPP.pdf"), pdf("IQ.pdf")]},
    )
    assert response.status_code == 302
    concept.refresh_from_db()
    sleutels = [x["sleutel"] for x in concept.gegevens["bijlagen"]]
    assert len(sleutels) == 2 and all(default_storage.exists(s) for s in sleutels)
    assert not Bijlage.objects.exists()

    # Leave, log out, log in: the concept is listed and resumes with its files.
    client.logout()
    login(client, world.coordinator_a)
    lijst = client.get(reverse("hulpvragen:lijst")).content.decode()
    assert reverse("dossiers:concept", args=[concept.pk]) in lijst
    body = client.get(step_url(concept, "hulpvraag")).content.decode()
    assert "OPP.pdf" in body and "IQ.pdf" in body

    # A third file with the final Opslaan; everything becomes the hulpvraag's bijlagen.
    response = client.post(
        step_url(concept, "hulpvraag"),
        {"type": "TLV_VSO", "omschrijving": "", "bestanden": [pdf("Verslag.pdf")]},
    )
    hv = Hulpvraag.objects.get(leerling__achternaam="Dijk")
    assert response.status_code == 302
    assert sorted(Bijlage.objects.filter(hulpvraag=hv).values_list("naam", flat=True)) == [
        "IQ.pdf",
        "OPP.pdf",
        "Verslag.pdf",
    ]
    assert len({x.upload for x in Bijlage.objects.filter(hulpvraag=hv)}) == 1  # one action
    assert not DossierConcept.objects.filter(pk=concept.pk).exists()
    assert all(default_storage.exists(s) for s in sleutels)  # the files moved with them
    # No "bijlage toegevoegd" event: still the first status, one history row.
    hv.refresh_from_db()
    assert hv.status == event_from_voorlopig.van
    assert Statuswijziging.objects.filter(hulpvraag=hv).count() == 1

    # The Bijlagen button later does fire it (so the configuration above is live).
    client.post(
        reverse("bijlagen:lijst", kwargs={"hulpvraag_pk": hv.pk}), {"bestanden": [pdf("Nog.pdf")]}
    )
    hv.refresh_from_db()
    assert hv.status == event_from_voorlopig.naar


def test_invalid_step_or_refused_file_keeps_the_good_files(client, world):
    login(client, world.coordinator_a)
    concept = to_hulpvraag_step(client, world)
    exe = SimpleUploadedFile("setup.pdf", b"MZ\x90\x00" + bytes(100))
    response = client.post(
        step_url(concept, "hulpvraag"),
        {"type": "TLV_VSO", "bestanden": [pdf("Goed.pdf"), exe]},
    )
    assert response.status_code == 400
    tekst = response.content.decode()
    assert "setup.pdf" in tekst and "Niet alle bestanden zijn bewaard" in tekst
    assert not Hulpvraag.objects.filter(leerling__achternaam="Dijk").exists()
    concept.refresh_from_db()
    assert [x["originele_naam"] for x in concept.gegevens["bijlagen"]] == ["Goed.pdf"]
    # An omschrijving naming the pupil is refused, the new file is kept all the same.
    response = client.post(
        step_url(concept, "hulpvraag"),
        {"type": "TLV_VSO", "omschrijving": "Daan is druk", "bestanden": [pdf("Twee.pdf")]},
    )
    assert response.status_code == 400
    concept.refresh_from_db()
    assert [x["originele_naam"] for x in concept.gegevens["bijlagen"]] == ["Goed.pdf", "Twee.pdf"]


def test_removing_a_file_and_deleting_the_concept_remove_the_stored_files(
    client, world, django_capture_on_commit_callbacks
):
    login(client, world.coordinator_a)
    concept = to_hulpvraag_step(client, world)
    client.post(
        step_url(concept, "hulpvraag"),
        {"alleen_bijlagen": "1", "bestanden": [pdf("A.pdf"), pdf("B.pdf")]},
    )
    concept.refresh_from_db()
    a, b_ = (x["sleutel"] for x in concept.gegevens["bijlagen"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            step_url(concept, "hulpvraag"), {"alleen_bijlagen": "1", "bijlage_verwijderen": a}
        )
    concept.refresh_from_db()
    assert [x["sleutel"] for x in concept.gegevens["bijlagen"]] == [b_]
    assert not default_storage.exists(a) and default_storage.exists(b_)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dossiers:concept_verwijderen", args=[concept.pk]))
    assert not DossierConcept.objects.filter(pk=concept.pk).exists()
    assert not default_storage.exists(b_)


def test_nobody_else_can_touch_the_concepts_files(client, world):
    login(client, world.coordinator_a)
    concept = to_hulpvraag_step(client, world)
    for persona in (world.collega_b, world.loket, world.outsider):
        login(client, persona)
        response = client.post(
            step_url(concept, "hulpvraag"), {"alleen_bijlagen": "1", "bestanden": [pdf("X.pdf")]}
        )
        assert response.status_code == 404
    concept.refresh_from_db()
    assert "bijlagen" not in concept.gegevens


def test_hulpvraag_step_query_count_does_not_grow_with_files(
    client, world, django_assert_max_num_queries
):
    login(client, world.coordinator_a)
    concept = to_hulpvraag_step(client, world)
    client.post(
        step_url(concept, "hulpvraag"), {"alleen_bijlagen": "1", "bestanden": [pdf("1.pdf")]}
    )
    reset_queries()  # the query log is a bounded deque: count from empty
    with django_assert_max_num_queries(12) as een:
        client.get(step_url(concept, "hulpvraag"))
    n = len(een.captured_queries)
    client.post(
        step_url(concept, "hulpvraag"),
        {"alleen_bijlagen": "1", "bestanden": [pdf(f"{i}.pdf") for i in range(2, 8)]},
    )
    with django_assert_max_num_queries(n):
        body = client.get(step_url(concept, "hulpvraag")).content.decode()
    assert "7.pdf" in body


def test_wizard_files_get_the_kind_their_name_says(client, world):
    """No kind per file in the wizard: the name decides (bijlagen.names.documentsoort_raden, as on
    the upload page), else "overig"; the step shows it, the Bijlagen list has it."""
    login(client, world.coordinator_a)
    concept = to_hulpvraag_step(client, world)
    client.post(
        step_url(concept, "hulpvraag"),
        {
            "type": "TLV_VSO",
            "alleen_bijlagen": "1",
            "bestanden": [pdf("OPP 2026.pdf"), pdf("Toestemming ouders.pdf"), pdf("Brief.pdf")],
        },
    )
    body = client.get(step_url(concept, "hulpvraag")).content.decode()
    body = body.replace("\xa0", " ")  # filesizeformat's non-breaking space
    assert "OPP 2026.pdf (146 bytes; soort: OPP (ontwikkelingsperspectiefplan))" in body
    assert "Brief.pdf (146 bytes; soort: Overig)" in body
    client.post(step_url(concept, "hulpvraag"), {"type": "TLV_VSO", "omschrijving": ""})
    hv = Hulpvraag.objects.get(leerling__achternaam="Dijk")
    soorten = dict(Bijlage.objects.filter(hulpvraag=hv).values_list("naam", "documentsoort"))
    assert soorten == {
        "OPP 2026.pdf": "opp",
        "Toestemming ouders.pdf": "ouderformulier",
        "Brief.pdf": "overig",
    }
