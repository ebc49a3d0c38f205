"""Downloading goes only through the access-checked view, is recorded, and is never rendered."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import BijlageInzage
from bijlagen.models import Bijlage
from tests.bijlagen import bestanden as b
from tests.factories import grant_toegang
from tests.helpers import login


@pytest.fixture
def bijlage(client, world):
    login(client, world.coordinator_a)
    client.post(
        reverse("bijlagen:lijst", args=[world.hv_a_ingediend.pk]),
        {"bestanden": [SimpleUploadedFile("Verslag école.pdf", b.pdf(b"geheim"))]},
    )
    client.logout()
    return Bijlage.objects.get()


def download_url(bijlage, hulpvraag=None):
    return reverse("bijlagen:download", args=[(hulpvraag or bijlage.hulpvraag).pk, bijlage.pk])


def test_download_streams_the_file_as_attachment_and_records_access(client, world, bijlage):
    login(client, world.coordinator_a)
    response = client.get(download_url(bijlage), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b.pdf(b"geheim")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Verslag%20%C3%A9cole.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    inzage = BijlageInzage.objects.get()
    assert (inzage.bijlage, inzage.gebruiker, inzage.ip_adres) == (
        bijlage,
        world.coordinator_a,
        "192.0.2.7",
    )


@pytest.mark.parametrize("persona", ["outsider", "collega_b", "deskundige", "beheerder"])
def test_others_get_404_and_leave_no_record(client, world, bijlage, persona):
    login(client, getattr(world, persona))
    assert client.get(download_url(bijlage)).status_code == 404
    assert not BijlageInzage.objects.exists()


def test_anonymous_is_sent_to_login(client, bijlage):
    response = client.get(download_url(bijlage))
    assert response.status_code == 302
    assert "/inloggen/" in response["Location"] or "login" in response["Location"]


def test_a_bijlage_is_only_found_under_its_own_hulpvraag(client, world, bijlage):
    # coordinator_a may see hv_a_voorlopig, but the bijlage belongs to hv_a_ingediend.
    login(client, world.coordinator_a)
    assert client.get(download_url(bijlage, world.hv_a_voorlopig)).status_code == 404


def test_loket_and_granted_deskundige_may_download(client, world, bijlage):
    grant_toegang(hulpvraag=world.hv_a_ingediend, gebruiker=world.deskundige)
    for persona in (world.loket, world.deskundige, world.bestuurder_a):
        login(client, persona)
        assert client.get(download_url(bijlage)).status_code == 200
    assert BijlageInzage.objects.count() == 3


def test_storage_is_private():
    storage = settings.STORAGES["default"]
    assert storage["BACKEND"] in (
        "django.core.files.storage.FileSystemStorage",
        "storages.backends.s3.S3Storage",
    )
    if storage["BACKEND"].endswith("FileSystemStorage"):
        location = str(storage["OPTIONS"]["location"])
        assert not location.startswith(str(settings.STATIC_ROOT))
        assert storage["OPTIONS"]["file_permissions_mode"] == 0o600
