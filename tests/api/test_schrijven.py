"""Writes beyond creation: idempotency keys, the status change with ETag/If-Match through the
engine, bijlagen through the upload checks and the engine's upload rule."""

from __future__ import annotations

import pytest

from bijlagen.models import Bijlage
from dossiers.models import Leerling
from hulpvragen.models import Hulpvraag
from hulpvragen.services import hulpvraag_change_status
from tests.api.conftest import nieuwe_leerling
from tests.bijlagen.bestanden import pdf
from tests.factories import make_hulpvraag

pytestmark = pytest.mark.django_db


def test_a_retried_create_with_the_same_key_creates_nothing_twice(world, school_a):
    data = nieuwe_leerling(world.school_a)
    eerste = school_a.post("/api/v1/leerlingen/", data, HTTP_IDEMPOTENCY_KEY="abc-1")
    tweede = school_a.post("/api/v1/leerlingen/", data, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert eerste.status_code == tweede.status_code == 201
    assert tweede["Idempotent-Replayed"] == "true"
    assert eerste.json() == tweede.json()
    assert Leerling.objects.filter(bsn="111222333").count() == 1

    hv = {"leerling": eerste.json()["id"], "type": "TLV_VSO"}
    a = school_a.post("/api/v1/hulpvragen/", hv, HTTP_IDEMPOTENCY_KEY="hv-1")
    b = school_a.post("/api/v1/hulpvragen/", hv, HTTP_IDEMPOTENCY_KEY="hv-1")
    assert a.json()["id"] == b.json()["id"]
    assert Hulpvraag.objects.filter(leerling_id=hv["leerling"]).count() == 1
    # Without a key, a second POST is a second hulpvraag (as the API says).
    school_a.post("/api/v1/hulpvragen/", hv)
    assert Hulpvraag.objects.filter(leerling_id=hv["leerling"]).count() == 2
    # The same key for another request is refused.
    anders = school_a.post(
        "/api/v1/hulpvragen/", {**hv, "omschrijving": "anders"}, HTTP_IDEMPOTENCY_KEY="hv-1"
    )
    assert anders.status_code == 422
    # A refused request does not use up its key.
    fout = school_a.post("/api/v1/hulpvragen/", {**hv, "type": "BAG"}, HTTP_IDEMPOTENCY_KEY="hv-2")
    assert fout.status_code == 400
    goed = school_a.post("/api/v1/hulpvragen/", hv, HTTP_IDEMPOTENCY_KEY="hv-2")
    assert goed.status_code == 201 and "Idempotent-Replayed" not in goed


def test_keys_are_per_client(world, school_a):
    from api.models import Scope
    from tests.api.conftest import koppeling_voor

    ander = koppeling_voor(
        world.beheerder, naam="Tweede LVS A", scope=Scope.SCHRIJVEN, scholen=[world.school_a]
    )
    hv = {"leerling": world.hv_a_voorlopig.leerling_id, "type": "TLV_VSO"}
    a = school_a.post("/api/v1/hulpvragen/", hv, HTTP_IDEMPOTENCY_KEY="zelfde")
    b = ander.post("/api/v1/hulpvragen/", hv, HTTP_IDEMPOTENCY_KEY="zelfde")
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


def test_status_change_needs_if_match_and_refuses_a_stale_etag(world, school_a):
    hv = world.hv_a_voorlopig
    url = f"/api/v1/hulpvragen/{hv.pk}/"
    etag = school_a.get(url)["ETag"]
    overgangen = school_a.get(url + "overgangen/").json()
    assert overgangen and overgangen[0]["naar"]["naam"] == "TLV aanvraag indienen"
    # The engine's checks are listed: the form is not signed yet, no bijlagen.
    assert overgangen[0]["ontbrekend"]
    naar = overgangen[0]["naar"]["id"]

    zonder = school_a.post(url + "status/", {"naar": naar})
    assert zonder.status_code == 428
    geweigerd = school_a.post(url + "status/", {"naar": naar}, HTTP_IF_MATCH=etag)
    assert geweigerd.status_code == 422
    assert geweigerd.json()["ontbrekend"]
    assert Hulpvraag.objects.get(pk=hv.pk).status_id == hv.status_id


def test_a_stale_etag_changes_nothing(world, school_a):
    hv = world.hv_a_ingediend
    url = f"/api/v1/hulpvragen/{hv.pk}/"
    etag = school_a.get(url)["ETag"]
    # The loket changes the hulpvraag meanwhile: the ETag the client saw no longer matches.
    compleet = hv.proces.statussen.get(naam="TLV aanvraag compleet")
    hulpvraag_change_status(hulpvraag=hv, naar=compleet, door=world.loket)
    ingetrokken = hv.proces.statussen.get(naam="TLV aanvraag ingetrokken")
    oud = school_a.post(url + "status/", {"naar": ingetrokken.pk}, HTTP_IF_MATCH=etag)
    assert oud.status_code == 412
    assert "gewijzigd sinds u keek" in oud.json()["detail"]
    assert Hulpvraag.objects.get(pk=hv.pk).status == compleet


def test_a_status_change_through_the_api_is_the_engines(world, school_a):
    hv = world.hv_a_ingediend
    url = f"/api/v1/hulpvragen/{hv.pk}/"
    ingetrokken = hv.proces.statussen.get(naam="TLV aanvraag ingetrokken")
    antwoord = school_a.post(
        url + "status/", {"naar": ingetrokken.pk}, HTTP_IF_MATCH=school_a.get(url)["ETag"]
    )
    assert antwoord.status_code == 200, antwoord.json()
    assert antwoord.json()["status"]["naam"] == "TLV aanvraag ingetrokken"
    laatste = hv.statuswijzigingen.order_by("-id").first()
    assert laatste.door == school_a.client.gebruiker and not laatste.automatisch


def test_upload_uses_the_screens_checks_and_the_engines_rule(world, school_a, settings):
    hv = world.hv_a_ingediend
    vragen = hv.proces.statussen.get(naam="TLV vragen gesteld")
    hulpvraag_change_status(
        hulpvraag=hv, naar=vragen, door=world.loket, toelichting="Stuur het OPP van dit jaar."
    )
    url = f"/api/v1/hulpvragen/{hv.pk}/bijlagen/"
    from django.core.files.uploadedfile import SimpleUploadedFile

    nep = SimpleUploadedFile("opp.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    geweigerd = school_a.http.post(url, {"bestanden": [nep]})
    assert geweigerd.status_code == 422
    assert geweigerd.json()["errors"][0]["bestand"]
    assert not Bijlage.objects.filter(hulpvraag=hv).exists()

    historie = school_a.get(f"/api/v1/hulpvragen/{hv.pk}/statushistorie/").json()
    assert historie[-1]["toelichting"] == "Stuur het OPP van dit jaar."

    goed = SimpleUploadedFile("opp.pdf", pdf(), content_type="application/pdf")
    antwoord = school_a.http.post(
        url, {"bestanden": [goed], "documentsoort": "opp"}, HTTP_IDEMPOTENCY_KEY="upload-1"
    )
    assert antwoord.status_code == 201, antwoord.json()
    assert antwoord.json()[0]["documentsoort"] == "opp"
    # The engine's upload rule: the school's answer moves the status on, as on the screen.
    hv.refresh_from_db()
    assert hv.status.naam == "TLV aanvraag aangevuld"
    # A retried upload with the same key adds nothing.
    goed.seek(0)
    opnieuw = school_a.http.post(
        url, {"bestanden": [goed], "documentsoort": "opp"}, HTTP_IDEMPOTENCY_KEY="upload-1"
    )
    assert opnieuw.status_code == 201 and opnieuw["Idempotent-Replayed"] == "true"
    assert Bijlage.objects.filter(hulpvraag=hv).count() == 1

    lijst = school_a.get(url).json()
    assert [b["naam"] for b in lijst] == ["opp.pdf"]
    download = school_a.get(url + f"{lijst[0]['id']}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf()


def test_bijlagen_of_another_school_are_404(world, school_a):
    bijlage_hv = make_hulpvraag(
        schoolgegevens=world.hv_b_ingediend.schoolgegevens, door=world.collega_b
    )
    assert school_a.get(f"/api/v1/hulpvragen/{bijlage_hv.pk}/bijlagen/").status_code == 404
    from django.core.files.uploadedfile import SimpleUploadedFile

    bestand = SimpleUploadedFile("opp.pdf", pdf(), content_type="application/pdf")
    antwoord = school_a.http.post(
        f"/api/v1/hulpvragen/{bijlage_hv.pk}/bijlagen/", {"bestanden": [bestand]}
    )
    assert antwoord.status_code == 404
    assert not Bijlage.objects.filter(hulpvraag=bijlage_hv).exists()
