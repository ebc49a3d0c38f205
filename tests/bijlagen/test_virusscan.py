"""The optional virus scan (CLAMD_HOST): through the upload and download views a user uses, with
a real TCP clamd stand-in (tests/bijlagen/nep_clamd.py) and the EICAR test string."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import BijlageInzage, Inzage, InzageActie
from bijlagen.models import Bijlage, ScanStatus
from bijlagen.tasks import scans_herhalen
from tests.bijlagen import bestanden as b
from tests.bijlagen.nep_clamd import EICAR, NepClamd, vrije_poort
from tests.helpers import login


@pytest.fixture
def clamd(settings):
    with NepClamd() as nep:
        settings.CLAMD_HOST = "127.0.0.1"
        settings.CLAMD_PORT = nep.port
        settings.CLAMD_TIMEOUT = 5
        yield nep


def upload(client, hv, *bestanden, capture):
    with capture(execute=True):
        response = client.post(
            reverse("bijlagen:lijst", args=[hv.pk]), {"bestanden": list(bestanden)}
        )
    assert response.status_code == 302, response.content.decode()[:2000]


def download(client, bijlage):
    return client.get(reverse("bijlagen:download", args=[bijlage.hulpvraag_id, bijlage.pk]))


def test_without_scanner_files_are_not_scanned_and_downloadable(
    client, world, django_capture_on_commit_callbacks
):
    login(client, world.coordinator_a)
    upload(
        client,
        world.hv_a_ingediend,
        SimpleUploadedFile("a.pdf", b.pdf()),
        capture=django_capture_on_commit_callbacks,
    )
    bijlage = Bijlage.objects.get()
    assert bijlage.scan_status == ScanStatus.NIET_GESCAND
    assert download(client, bijlage).status_code == 200


def test_clean_file_is_scanned_after_commit_and_then_downloadable(
    client, world, clamd, django_capture_on_commit_callbacks
):
    login(client, world.coordinator_a)
    inhoud = b.pdf(b"schoon")
    upload(
        client,
        world.hv_a_ingediend,
        SimpleUploadedFile("verslag.pdf", inhoud),
        SimpleUploadedFile("opp.pdf", b.pdf(b"opp")),
        capture=django_capture_on_commit_callbacks,
    )
    assert sorted(clamd.gescand) == sorted([inhoud, b.pdf(b"opp")])
    for bijlage in Bijlage.objects.all():
        assert (bijlage.scan_status, bijlage.scan_pogingen) == (ScanStatus.SCHOON, 1)
        assert bijlage.scan_op is not None
    bijlage = Bijlage.objects.get(originele_naam="verslag.pdf")
    response = download(client, bijlage)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == inhoud


def test_eicar_is_quarantined_not_downloadable_shown_and_audited(
    client, world, clamd, django_capture_on_commit_callbacks
):
    login(client, world.coordinator_a)
    hv = world.hv_a_ingediend
    upload(
        client,
        hv,
        SimpleUploadedFile("virus.pdf", b.pdf(EICAR)),
        capture=django_capture_on_commit_callbacks,
    )
    bijlage = Bijlage.objects.get()
    assert bijlage.scan_status == ScanStatus.BESMET
    assert bijlage.scan_melding == "Eicar-Signature"
    # Moved out of the normal area: only the quarantine copy exists.
    assert bijlage.sleutel.startswith("quarantaine/")
    assert default_storage.exists(bijlage.sleutel)

    for persona in (world.coordinator_a, world.loket):
        login(client, persona)
        response = download(client, bijlage)
        assert response.status_code == 409
        assert "virus gevonden" in response.content.decode()
        lijst = client.get(reverse("bijlagen:lijst", args=[hv.pk])).content.decode()
        assert "In quarantaine: virus gevonden (Eicar-Signature)" in lijst
        assert reverse("bijlagen:download", args=[hv.pk, bijlage.pk]) not in lijst
    assert not BijlageInzage.objects.exists()
    record = Inzage.objects.get(actie=InzageActie.VIRUS_GEVONDEN)
    assert (record.gebruiker, record.hulpvraag_id, record.leerling_id) == (
        world.coordinator_a,
        hv.pk,
        hv.leerling_id,
    )
    assert record.details == f"bijlage {bijlage.pk}: Eicar-Signature; in quarantaine"


def test_original_key_of_a_quarantined_file_is_removed(
    client, world, clamd, django_capture_on_commit_callbacks
):
    login(client, world.coordinator_a)
    upload(
        client,
        world.hv_a_ingediend,
        SimpleUploadedFile("virus.pdf", b.pdf(EICAR)),
        capture=django_capture_on_commit_callbacks,
    )
    bijlage = Bijlage.objects.get()
    with default_storage.open(bijlage.sleutel, "rb") as f:
        assert EICAR in f.read()
    # No file outside quarantine holds the infected content any more.
    gevonden = []
    mappen, _ = default_storage.listdir("bijlagen")
    for map_ in mappen:
        for naam in default_storage.listdir(f"bijlagen/{map_}")[1]:
            with default_storage.open(f"bijlagen/{map_}/{naam}", "rb") as f:
                gevonden.append(EICAR in f.read())
    assert not any(gevonden)


def test_unreachable_scanner_fails_closed_and_the_sweep_scans_later(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.CLAMD_HOST = "127.0.0.1"
    settings.CLAMD_PORT = vrije_poort()  # nothing listens
    settings.CLAMD_TIMEOUT = 2
    login(client, world.coordinator_a)
    hv = world.hv_a_ingediend
    upload(
        client, hv, SimpleUploadedFile("a.pdf", b.pdf()), capture=django_capture_on_commit_callbacks
    )
    bijlage = Bijlage.objects.get()
    assert bijlage.scan_status == ScanStatus.WACHT
    assert bijlage.scan_pogingen == 1
    assert "CommunicationError" in bijlage.scan_melding
    assert download(client, bijlage).status_code == 409
    assert (
        "wacht op virusscan" in client.get(reverse("bijlagen:lijst", args=[hv.pk])).content.decode()
    )
    assert not BijlageInzage.objects.exists()

    assert scans_herhalen() == {"opnieuw": 1}  # still down: still waiting
    bijlage.refresh_from_db()
    assert (bijlage.scan_status, bijlage.scan_pogingen) == (ScanStatus.WACHT, 2)

    with NepClamd() as nep:
        settings.CLAMD_PORT = nep.port
        assert scans_herhalen() == {"schoon": 1}
    bijlage.refresh_from_db()
    assert bijlage.scan_status == ScanStatus.SCHOON
    assert download(client, bijlage).status_code == 200
    assert scans_herhalen() == {}  # nothing waits any more


def test_scanner_error_answer_is_not_clean(
    client, world, clamd, settings, django_capture_on_commit_callbacks, monkeypatch
):
    # clamd refuses a stream over its StreamMaxLength with an ERROR line: no verdict, keep waiting.
    from tests.bijlagen import nep_clamd

    monkeypatch.setattr(nep_clamd, "STREAM_MAX_LENGTH", 10)
    login(client, world.coordinator_a)
    upload(
        client,
        world.hv_a_ingediend,
        SimpleUploadedFile("a.pdf", b.pdf()),
        capture=django_capture_on_commit_callbacks,
    )
    bijlage = Bijlage.objects.get()
    assert bijlage.scan_status == ScanStatus.WACHT
    assert "size limit" in bijlage.scan_melding
    assert download(client, bijlage).status_code == 409
