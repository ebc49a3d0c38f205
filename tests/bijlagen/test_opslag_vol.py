"""Storage full or failing during an upload: a Dutch message, nothing added, nothing left behind.

The storage is a real FileSystemStorage that fills up part-way (tests/bijlagen/opslag.py)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bijlagen.models import Bijlage, BijlageConcept
from hulpvragen.models import Statuswijziging
from meldingen.models import Notificatie
from tests.bijlagen import bestanden as b
from tests.bijlagen.opslag import bestanden_in
from tests.factories import make_hulpvraag
from tests.helpers import login

pytestmark = pytest.mark.django_db

MELDING = "De bijlage kon niet worden opgeslagen; er is niets toegevoegd."
GROOT = 200 * 1024  # more than one 64 KB chunk: the write fails in the middle of a file


def _pdf(naam: str, grootte: int = GROOT) -> SimpleUploadedFile:
    inhoud = b.pdf() + bytes(grootte - len(b.pdf()))
    return SimpleUploadedFile(naam, inhoud, content_type="application/pdf")


@pytest.fixture
def schijf(settings, tmp_path):
    """A disk with room for `ruimte` bytes; returns a function that sets it up."""

    def maak(ruimte: int):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "tests.bijlagen.opslag.VolleSchijf",
                "OPTIONS": {"location": str(tmp_path / "bijlagen"), "ruimte": ruimte},
            },
        }
        return tmp_path / "bijlagen"

    return maak


@pytest.fixture
def vragen_gesteld(world):
    """A TLV in "vragen gesteld": the school's upload fires "bijlage toegevoegd", which moves the
    status and mails the SWV."""
    return make_hulpvraag(
        schoolgegevens=world.hv_a_voorlopig.schoolgegevens,
        door=world.coordinator_a,
        status="TLV vragen gesteld",
    )


def _upload(client, hv, *bestanden):
    return client.post(reverse("bijlagen:lijst", args=[hv.pk]), {"bestanden": list(bestanden)})


def test_with_room_the_upload_moves_the_status_and_mails(
    client, world, schijf, vragen_gesteld, django_capture_on_commit_callbacks, mailoutbox
):
    """The control: the same upload on a disk with room does everything the next test expects
    not to happen."""
    map_ = schijf(10 * GROOT)
    login(client, world.coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, vragen_gesteld, _pdf("a.pdf"), _pdf("b.pdf"), _pdf("c.pdf"))
    assert response.status_code == 302
    assert Bijlage.objects.filter(hulpvraag=vragen_gesteld).count() == 3
    assert Statuswijziging.objects.filter(hulpvraag=vragen_gesteld).count() == 2
    assert Notificatie.objects.filter(hulpvraag=vragen_gesteld).exists()
    assert len(bestanden_in(map_)) == 3


@pytest.mark.parametrize("ruimte", [GROOT // 2, GROOT + GROOT // 2, 2 * GROOT + 100])
def test_disk_full_part_way_adds_nothing_and_leaves_no_file(
    client,
    world,
    schijf,
    vragen_gesteld,
    ruimte,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    """The first, second or third of three files does not fit: a Dutch message instead of a
    500; no row, no status change, no mail; neither the partial file nor the complete files
    stored before it in the same action stay on disk."""
    map_ = schijf(ruimte)
    login(client, world.coordinator_a)
    status = vragen_gesteld.status
    wijzigingen = Statuswijziging.objects.filter(hulpvraag=vragen_gesteld).count()
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, vragen_gesteld, _pdf("a.pdf"), _pdf("b.pdf"), _pdf("c.pdf"))
    assert response.status_code in (400, 503)
    assert MELDING in response.content.decode()
    assert not Bijlage.objects.filter(hulpvraag=vragen_gesteld).exists()
    assert not BijlageConcept.objects.exists()
    vragen_gesteld.refresh_from_db()
    assert vragen_gesteld.status == status
    assert Statuswijziging.objects.filter(hulpvraag=vragen_gesteld).count() == wijzigingen
    assert not Notificatie.objects.filter(hulpvraag=vragen_gesteld).exists()
    assert mailoutbox == []
    assert default_storage.geschreven > 0  # something was written before the disk was full
    assert bestanden_in(map_) == []


def test_disk_full_while_keeping_the_good_files_of_a_refused_upload(client, world, schijf):
    """A refused upload keeps its good files for the next try; when those do not fit either,
    the same message and nothing on disk."""
    map_ = schijf(GROOT + 10)
    login(client, world.coordinator_a)
    hv = world.hv_a_voorlopig
    leeg = SimpleUploadedFile("leeg.pdf", b"", content_type="application/pdf")
    response = _upload(client, hv, _pdf("a.pdf"), _pdf("b.pdf"), leeg)
    assert MELDING in response.content.decode()
    assert not BijlageConcept.objects.exists() and not Bijlage.objects.exists()
    assert bestanden_in(map_) == []


def test_disk_full_in_the_new_dossier_wizard_is_the_same_message(client, world, schijf):
    """Another view that stores files (the wizard's hulpvraag step): the message, no 500."""
    from tests.dossiers.test_wizard import step_url
    from tests.dossiers.test_wizard_bijlagen import to_hulpvraag_step

    map_ = schijf(GROOT + GROOT // 2)
    login(client, world.coordinator_a)
    concept = to_hulpvraag_step(client, world)
    response = client.post(
        step_url(concept, "hulpvraag"),
        {"type": "TLV_VSO", "alleen_bijlagen": "1", "bestanden": [_pdf("a.pdf"), _pdf("b.pdf")]},
    )
    assert response.status_code == 503
    assert MELDING in response.content.decode()
    concept.refresh_from_db()
    assert not concept.gegevens.get("bijlagen")
    assert bestanden_in(map_) == []
