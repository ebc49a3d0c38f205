"""The API's basics: schema and docs served, tokens, problems, creating a pupil and a hulpvraag
through the screens' checks and services, the audit log naming the client's account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.services import api_client_revoke, api_token_revoke, api_token_rotate
from audit.models import Inzage
from dossiers.models import Leerling
from hulpvragen.access import leerlingen_visible_to
from hulpvragen.models import Hulpvraag, HulpvraagType
from tests.api.conftest import nieuwe_leerling

pytestmark = pytest.mark.django_db


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert "/api/v1/hulpvragen/" in schema.json()["paths"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    # The split view serves its script as a file: the CSP (no inline script) holds.
    assert "<script>" not in html.replace(" ", "")
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200


def test_no_token_bad_token_revoked_token_expired_token(world, school_a):
    antwoord = Client().get("/api/v1/hulpvragen/")
    assert antwoord.status_code == 401
    assert antwoord["Content-Type"] == "application/problem+json"
    assert antwoord["WWW-Authenticate"].startswith("Bearer")
    assert antwoord.json()["status"] == 401 and antwoord.json()["detail"]

    fout = Client(HTTP_AUTHORIZATION="Bearer " + school_a.token[:-2] + "xx")
    assert fout.get("/api/v1/hulpvragen/").status_code == 401
    assert school_a.get("/api/v1/hulpvragen/").status_code == 200

    rij = ApiToken.objects.get(client=school_a.client)
    rij.verloopt_op = timezone.now() - timedelta(seconds=1)
    rij.save()
    assert school_a.get("/api/v1/hulpvragen/").status_code == 401
    rij.verloopt_op = timezone.now() + timedelta(days=1)
    rij.save()
    api_token_revoke(door=world.beheerder, token=rij)
    assert school_a.get("/api/v1/hulpvragen/").status_code == 401


def test_the_token_is_stored_only_as_a_hash(school_a):
    rij = ApiToken.objects.get(client=school_a.client)
    assert school_a.token not in (rij.hash, rij.prefix)
    assert school_a.token.split("_")[2] not in str(ApiToken.objects.values().get(pk=rij.pk))


def test_rotation_keeps_the_old_token_for_the_overlap_then_revocation_of_the_client(
    world, school_a
):
    oud = ApiToken.objects.get(client=school_a.client)
    _nieuw, tekst = api_token_rotate(door=world.beheerder, token=oud, overlap=timedelta(0))
    assert school_a.get("/api/v1/hulpvragen/").status_code == 401
    nieuw = Client(HTTP_AUTHORIZATION=f"Bearer {tekst}")
    assert nieuw.get("/api/v1/hulpvragen/").status_code == 200
    api_client_revoke(door=world.beheerder, client=school_a.client)
    assert nieuw.get("/api/v1/hulpvragen/").status_code == 401


def test_the_clients_account_cannot_log_in_on_a_screen(world, school_a):
    gebruiker = school_a.client.gebruiker
    assert not gebruiker.has_usable_password()
    assert gebruiker.email == ""


def test_a_read_only_client_cannot_write(world, school_b_lezen):
    antwoord = school_b_lezen.post("/api/v1/leerlingen/", nieuwe_leerling(world.school_b))
    assert antwoord.status_code == 403
    assert antwoord["Content-Type"] == "application/problem+json"
    assert not Leerling.objects.filter(achternaam="Dalen").exists()


def test_create_a_pupil_then_a_hulpvraag_as_voorlopige_aanvraag(world, school_a):
    antwoord = school_a.post("/api/v1/leerlingen/", nieuwe_leerling(world.school_a))
    assert antwoord.status_code == 201, antwoord.json()
    leerling = antwoord.json()
    assert leerling["bsn"] == "111222333"
    assert leerling["schoolgegevens"][0]["school"] == world.school_a.pk
    # The school's own people find the pupil (Toevoegen), like a pupil from the wizard.
    assert leerlingen_visible_to(world.coordinator_a).filter(pk=leerling["id"]).exists()
    assert not leerlingen_visible_to(world.collega_b).filter(pk=leerling["id"]).exists()

    gevonden = school_a.get("/api/v1/leerlingen/?bsn=111222333").json()["resultaten"]
    assert [r["id"] for r in gevonden] == [leerling["id"]]

    hv = school_a.post(
        "/api/v1/hulpvragen/", {"leerling": leerling["id"], "type": HulpvraagType.TLV_VSO}
    )
    assert hv.status_code == 201, hv.json()
    assert hv.json()["status"]["zichtbaar_voor_swv"] is False
    hulpvraag = Hulpvraag.objects.get(pk=hv.json()["id"])
    assert hulpvraag.aangemaakt_door == school_a.client.gebruiker

    # The audit log names the client's account as the actor of every call.
    acties = set(
        Inzage.objects.filter(gebruiker=school_a.client.gebruiker).values_list(
            "onderdeel", flat=True
        )
    )
    assert {"api: nieuw dossier", "api: leerlingen", "hulpvraag"} <= acties

    detail = school_a.get(f"/api/v1/hulpvragen/{hulpvraag.pk}/")
    assert detail.status_code == 200 and detail["ETag"]
    assert detail["Cache-Control"] == "no-store, private"
    historie = school_a.get(f"/api/v1/hulpvragen/{hulpvraag.pk}/statushistorie/").json()
    assert historie[0]["van"] is None and historie[0]["naar"] == hulpvraag.status.naam


def test_validation_errors_per_field_in_dutch(world, school_a):
    data = nieuwe_leerling(world.school_b, bsn="123456789", voornamen="")
    data["adres"]["postcode"] = "abc"
    antwoord = school_a.post("/api/v1/leerlingen/", data)
    assert antwoord.status_code == 400
    assert antwoord["Content-Type"] == "application/problem+json"
    fouten = {f["pointer"]: f["detail"] for f in antwoord.json()["errors"]}
    assert "#/voornamen" in fouten
    data["voornamen"] = "Anna"
    antwoord = school_a.post("/api/v1/leerlingen/", data)
    fouten = {f["pointer"]: f["detail"] for f in antwoord.json()["errors"]}
    assert "elfproef" in fouten["#/bsn"]
    assert "1234 AB" in fouten["#/adres/postcode"]
    # School B is not a school of this client: the screen's own choice list refuses it.
    assert "#/schoolgegevens/school" in fouten
    assert not Leerling.objects.filter(achternaam="Dalen").exists()


def test_a_type_not_offered_and_a_name_in_the_omschrijving_are_refused(world, school_a):
    leerling = world.hv_a_voorlopig.leerling
    antwoord = school_a.post(
        "/api/v1/hulpvragen/", {"leerling": leerling.pk, "type": HulpvraagType.BAG}
    )
    assert antwoord.status_code == 400
    assert antwoord.json()["errors"][0]["veld"] == "type"
    antwoord = school_a.post(
        "/api/v1/hulpvragen/",
        {
            "leerling": leerling.pk,
            "type": HulpvraagType.TLV_VSO,
            "omschrijving": f"Gesprek met {leerling.roepnaam}",
        },
    )
    assert antwoord.status_code == 400
    assert antwoord.json()["errors"][0]["veld"] == "omschrijving"


def test_duplicates_answer_409_with_the_existing_pupil(world, school_a):
    eerste = school_a.post("/api/v1/leerlingen/", nieuwe_leerling(world.school_a)).json()
    tweede = school_a.post("/api/v1/leerlingen/", nieuwe_leerling(world.school_a))
    assert tweede.status_code == 409, tweede.json()
    assert tweede.json()["leerling"] == eerste["id"], tweede.json()
    zelfde_naam = nieuwe_leerling(world.school_a, bsn="", onderwijsnummer="")
    zelfde_naam["onderwijsnummer"] = "101010103"
    antwoord = school_a.post("/api/v1/leerlingen/", zelfde_naam)
    assert antwoord.status_code == 409
    zelfde_naam["toch_nieuw"] = True
    assert school_a.post("/api/v1/leerlingen/", zelfde_naam).status_code == 201


def test_keyset_pagination_walks_every_row_once(world, school_a):
    from tests.factories import SchoolgegevensFactory, make_hulpvraag

    for _i in range(4):
        make_hulpvraag(
            schoolgegevens=SchoolgegevensFactory(school=world.school_a), door=world.coordinator_a
        )
    gezien = []
    url = "/api/v1/hulpvragen/?aantal=2"
    while url:
        pagina = school_a.get(url).json()
        gezien += [r["id"] for r in pagina["resultaten"]]
        url = pagina["volgende"]
    verwacht = list(
        Hulpvraag.objects.filter(schoolgegevens__school=world.school_a)
        .order_by("-laatste_datum", "-pk")
        .values_list("pk", flat=True)
    )
    assert gezien == verwacht
    assert school_a.get("/api/v1/hulpvragen/?na=%%%").status_code == 400
    assert school_a.get("/api/v1/hulpvragen/?aantal=0").status_code == 400


def test_unknown_paths_answer_a_problem(school_a):
    antwoord = school_a.get("/api/v1/bestaat-niet/")
    assert antwoord.status_code == 404
    assert antwoord["Content-Type"] == "application/problem+json"
