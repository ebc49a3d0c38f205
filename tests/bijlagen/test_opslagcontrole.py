"""The daily reconciliation of storage and database (bijlagen/opslagcontrole.py), through its
management command and its beat task."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from bijlagen.models import Bijlage, BijlageConcept
from tests.bijlagen import bestanden as b
from tests.bijlagen.opslag import bestanden_in
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def opslag(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "opslag")},
        },
    }
    return tmp_path / "opslag"


def _oud(map_, sleutel, dagen=2):
    pad = map_ / sleutel
    t = time.time() - dagen * 86400
    os.utime(pad, (t, t))


def _los_bestand(sleutel: str) -> str:
    return default_storage.save(sleutel, io.BytesIO(b"resten van een afgebroken upload"))


def test_orphans_older_than_a_day_go_and_missing_files_are_mailed_to_the_beheerder(
    client, world, opslag, mailoutbox
):
    login(client, world.coordinator_a)
    hv = world.hv_a_ingediend
    client.post(
        reverse("bijlagen:lijst", args=[hv.pk]),
        {
            "bestanden": [
                SimpleUploadedFile("Verslag Jansen.pdf", b.pdf(b"1")),
                SimpleUploadedFile("OPP Jansen.pdf", b.pdf(b"2")),
            ]
        },
    )
    houden, kwijt = Bijlage.objects.filter(hulpvraag=hv).order_by("pk")
    # A refused upload's staged file (referred to by a BijlageConcept) stays too.
    client.post(
        reverse("bijlagen:lijst", args=[hv.pk]),
        {
            "bestanden": [
                SimpleUploadedFile("Goed.pdf", b.pdf(b"3")),
                SimpleUploadedFile("leeg.pdf", b""),
            ]
        },
    )
    concept = BijlageConcept.objects.get()
    wees_oud = _los_bestand("bijlagen/ab/abcdef0123456789")
    wees_nieuw = _los_bestand("bijlagen/cd/cdef0123456789ab")
    quarantaine_oud = _los_bestand("quarantaine/ef/ef0123456789abcd")
    for sleutel in (wees_oud, quarantaine_oud, houden.sleutel, concept.sleutel):
        _oud(opslag, sleutel)
    default_storage.delete(kwijt.sleutel)  # a row whose file is gone

    uit = io.StringIO()
    call_command("bijlagen_opslag_controleren", stdout=uit)

    over = bestanden_in(opslag)
    assert wees_oud not in over and quarantaine_oud not in over
    assert wees_nieuw in over  # may be an upload in progress
    assert houden.sleutel in over and concept.sleutel in over
    assert "Verwijderd: 2 bestanden" in uit.getvalue()
    assert f"bijlagen zonder bestand: {kwijt.pk}" in uit.getvalue()

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [world.beheerder.email]
    assert mail.subject == "Kindkans: bijlagen zonder bestand"
    assert f"bijlage {kwijt.pk} bij hulpvraag {hv.pk}" in mail.body
    assert f"bijlage {houden.pk} " not in mail.body
    for naam in ("Jansen", hv.leerling.achternaam, hv.leerling.roepnaam):
        assert naam not in mail.body


def test_nothing_missing_nothing_mailed_and_the_beat_runs_it_daily(opslag, world, mailoutbox):
    from bijlagen.tasks import opslag_controleren

    _oud(opslag, _los_bestand("bijlagen/12/1234"))
    assert opslag_controleren.delay().get() == {"verwijderd": 1, "ontbrekend": 0}
    assert mailoutbox == []
    schema = django_settings.CELERY_BEAT_SCHEDULE["bijlagen-opslag-controleren"]
    assert schema["task"] == "bijlagen.opslag_controleren"
