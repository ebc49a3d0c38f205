"""The full export of an SWV: started by the beheerder, made in the background with progress,
one 7z archive (AES-256, the beheerder's passphrase) with JSON per entity that validates against
the schema files in the repository, CSV copies and the original bijlagen; users without password
hashes, notes left out; downloadable once, then deleted; audited; nobody else gets at it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import py7zr
import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse

from accounts.eenmalig import eenmalig_token
from audit.models import Inzage
from bijlagen.services import bijlage_document_add
from hulpvragen.models import Notitie
from overdracht import archief
from overdracht.models import Export, ExportStatus
from tests.bijlagen import bestanden as b
from tests.factories import UserFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db

WACHTZIN = "paard batterij nietje correct"
URL = reverse("overdracht:exporteren")


@pytest.fixture(autouse=True)
def exportmap(tmp_path, settings):
    settings.EXPORT_DIR = tmp_path / "exports"
    settings.EXPORT_DIR.mkdir()
    return settings.EXPORT_DIR


def bijlage_maken(hv, door, inhoud=None):
    return bijlage_document_add(
        hulpvraag=hv, door=door, naam="verslag onderzoek.pdf", inhoud=inhoud or b.pdf(b"verslag")
    )


def starten(client, wachtzin=WACHTZIN, nogmaals=None):
    return client.post(
        URL,
        {
            "wachtzin": wachtzin,
            "wachtzin_nogmaals": nogmaals or wachtzin,
            "eenmalig": eenmalig_token(),
        },
    )


def openen(pad: Path, tmp_path: Path, wachtzin=WACHTZIN) -> Path:
    doel = tmp_path / "uitgepakt"
    with py7zr.SevenZipFile(pad, "r", password=wachtzin) as z:
        z.extractall(path=doel)
    return doel


def test_export_download_once_validates_and_leaves_out_secrets(
    client, world, tmp_path, exportmap, django_capture_on_commit_callbacks
):
    hv = world.hv_a_ingediend
    bijlage = bijlage_maken(hv, world.coordinator_a)
    Notitie.objects.create(
        organisatie=world.org, hulpvraag=hv, auteur=world.coordinator_a, tekst="privé gedachte"
    )
    login(client, world.beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        response = starten(client)
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.status == ExportStatus.KLAAR and export.voortgang == 100
    assert export.sleutel == ""  # the one-time key is gone
    pagina = client.get(URL).content.decode()
    assert "Downloaden (één keer)" in pagina

    response = client.post(reverse("overdracht:export_downloaden", args=[export.pk]))
    assert response.status_code == 200
    pad = tmp_path / "export.7z"
    pad.write_bytes(b"".join(response.streaming_content))
    # What the server does when the response has been sent (without closing the test's
    # database connection, which request_finished would do).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert not list(exportmap.glob("*.7z"))  # deleted after the one download
    # A second download: nothing.
    tweede = client.post(reverse("overdracht:export_downloaden", args=[export.pk]), follow=True)
    assert "er niet (meer)" in tweede.content.decode()

    # Without the passphrase the archive does not open (names encrypted too).
    with pytest.raises(py7zr.exceptions.PasswordRequired), py7zr.SevenZipFile(pad, "r") as z:
        z.getnames()

    map_ = openen(pad, tmp_path)
    manifest = json.loads((map_ / "manifest.json").read_text())
    assert manifest["versie"] == archief.FORMAAT_VERSIE
    assert "hulpvragen.Notitie" in manifest["uitgesloten"]
    assert "privé" in (map_ / "LEESMIJ.txt").read_text()
    for naam in [e.naam for e in archief.ENTITEITEN] + [k[0] for k in archief.KOPPELINGEN]:
        data = json.loads((map_ / "data" / f"{naam}.json").read_text())
        schema = json.loads((map_ / "schema" / "v1" / f"{naam}.schema.json").read_text())
        jsonschema.validate(data, schema)
        assert (map_ / "csv" / f"{naam}.csv").exists()
    gebruikers = json.loads((map_ / "data" / "gebruikers.json").read_text())
    assert gebruikers and all("password" not in g for g in gebruikers)
    assert {g["username"] for g in gebruikers} >= {"piet", "beheerder"}
    assert "elders" not in json.dumps(json.loads((map_ / "data" / "scholen.json").read_text()))
    alles = "".join(p.read_text() for p in (map_ / "data").glob("*.json"))
    assert "privé gedachte" not in alles
    assert world.hv_other_org.leerling.achternaam not in alles  # another SWV's pupil
    assert (map_ / "bestanden" / str(bijlage.pk) / "verslag onderzoek.pdf").read_bytes() == (
        b.pdf(b"verslag")
    )
    hulpvragen = json.loads((map_ / "data" / "hulpvragen.json").read_text())
    assert {h["id"] for h in hulpvragen} == {
        world.hv_a_voorlopig.pk,
        world.hv_a_ingediend.pk,
        world.hv_b_ingediend.pk,
    }
    assert json.loads((map_ / "data" / "statuswijzigingen.json").read_text())
    # Audited: started and downloaded.
    details = list(
        Inzage.objects.filter(onderdeel="volledige export").values_list("details", flat=True)
    )
    assert any("gestart" in d for d in details) and any("gedownload" in d for d in details)


def test_the_schema_files_in_the_repository_are_current():
    for naam, schema in archief.alle_schemas().items():
        pad = archief.SCHEMA_MAP / f"{naam}.schema.json"
        assert json.loads(pad.read_text()) == schema, (
            f"{pad} is not current: run `python manage.py export_schema`"
        )


def test_every_model_is_exported_or_left_out_with_a_reason():
    from tests.organisaties.test_admin_registry import project_models

    geexporteerd = {e.model for e in archief.ENTITEITEN}
    for model in project_models():
        label = model._meta.label
        assert label in geexporteerd or label in archief.UITGESLOTEN_MODELLEN, label


def test_a_short_or_different_passphrase_is_refused(client, world):
    login(client, world.beheerder)
    assert "12 tekens" in starten(client, "kort").content.decode()
    assert "niet gelijk" in starten(client, WACHTZIN, WACHTZIN + "x").content.decode()
    assert not Export.objects.exists()


@pytest.mark.parametrize("persona", ["loket", "coordinator_a", "platform"])
def test_only_the_beheerder_exports(client, world, persona):
    if persona == "platform":
        user = UserFactory(
            organisatie=None, username="platform", rol="platform", is_staff=True, is_superuser=True
        )
    else:
        user = getattr(world, persona)
    login(client, user)
    assert client.get(URL).status_code == 404
    assert starten(client).status_code == 404


def test_nobody_but_the_beheerder_who_made_it_downloads_it(
    client, world, django_capture_on_commit_callbacks
):
    login(client, world.beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        starten(client)
    export = Export.objects.get()
    andere = UserFactory(organisatie=world.org, rol="beheerder", is_staff=True)
    login(client, andere)
    assert client.post(reverse("overdracht:export_downloaden", args=[export.pk])).status_code == 404
    platform = UserFactory(
        organisatie=None, username="platform", rol="platform", is_staff=True, is_superuser=True
    )
    login(client, platform)
    assert client.post(reverse("overdracht:export_downloaden", args=[export.pk])).status_code == 404
    export.refresh_from_db()
    assert export.status == ExportStatus.KLAAR
