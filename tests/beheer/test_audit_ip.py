"""Every view of pupil data leaves exactly one audit record, with the address it came from:
the screens, a bijlage download, the formulieren pages (edit, save, sign, export,
the list to sign), beheer bulk changes; the auditlog search shows the address."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import Inzage, InzageActie
from bijlagen.models import Bijlage
from tests.bijlagen import bestanden as b
from tests.formulieren.conftest import formulier_van, volledige_post
from tests.formulieren.conftest import totp_bestuurder as _totp_bestuurder
from tests.helpers import login

IP = "198.51.100.23"


def nieuwe_records(voor: int) -> list[Inzage]:
    return list(Inzage.objects.filter(pk__gt=voor).order_by("id"))


def laatste_id() -> int:
    return Inzage.objects.order_by("-id").values_list("id", flat=True).first() or 0


def bekijk(client, url, **extra):
    """GET `url` and return the audit records it wrote."""
    voor = laatste_id()
    response = client.get(url, REMOTE_ADDR=IP, **extra)
    assert response.status_code == 200, url
    return nieuwe_records(voor)


def test_screens_record_the_address(client, world):
    hv = world.hv_a_ingediend
    login(client, world.loket)
    for url in (
        reverse("hulpvragen:lijst"),
        reverse("hulpvragen:detail", args=[hv.pk]),
        reverse("hulpvragen:tab", args=[hv.pk, "basisgegevens"]),
    ):
        records = bekijk(client, url)
        assert len(records) == 1, url
        assert records[0].ip_adres == IP


def test_behind_a_trusted_proxy_the_forwarded_address_is_recorded(client, world, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.TRUSTED_PROXY_IPS = ["10.0.0.0/8"]
    login(client, world.loket)
    voor = laatste_id()
    client.get(
        reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk]),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
    )
    assert [r.ip_adres for r in nieuwe_records(voor)] == ["203.0.113.9"]


def test_bijlage_download_is_in_the_audit_log_with_address(client, world):
    hv = world.hv_a_ingediend
    login(client, world.coordinator_a)
    client.post(
        reverse("bijlagen:lijst", args=[hv.pk]),
        {"bestanden": [SimpleUploadedFile("a.pdf", b.pdf())]},
    )
    bijlage = Bijlage.objects.get()
    login(client, world.loket)
    voor = laatste_id()
    response = client.get(reverse("bijlagen:download", args=[hv.pk, bijlage.pk]), REMOTE_ADDR=IP)
    assert response.status_code == 200
    (record,) = nieuwe_records(voor)
    assert (record.gebruiker, record.onderdeel, record.leerling_id, record.ip_adres) == (
        world.loket,
        "bijlage",
        hv.leerling_id,
        IP,
    )
    assert record.details == f"bijlage {bijlage.pk} gedownload"


totp_bestuurder = pytest.fixture(_totp_bestuurder.__wrapped__)


@pytest.fixture
def formulier(world):
    return formulier_van(world.hv_a_voorlopig)


def test_formulier_edit_save_and_export_are_audited_once_each(client, world, formulier):
    login(client, world.coordinator_a)
    bewerken = reverse("formulieren:bewerken", args=[formulier.pk])
    (bekeken,) = bekijk(client, bewerken)
    assert (bekeken.actie, bekeken.onderdeel, bekeken.hulpvraag_id, bekeken.ip_adres) == (
        InzageActie.BEKEKEN,
        "formulier bewerken",
        formulier.hulpvraag_id,
        IP,
    )
    voor = laatste_id()
    data = volledige_post(formulier, ondertekenaar=world.bestuurder_a)
    assert client.post(bewerken, data, REMOTE_ADDR=IP).status_code == 302
    (opgeslagen,) = nieuwe_records(voor)
    assert (opgeslagen.actie, opgeslagen.details) == (
        InzageActie.GEWIJZIGD,
        f"formulier {formulier.pk}: opgeslagen",
    )
    assert opgeslagen.leerling_id == formulier.hulpvraag.leerling_id
    (export,) = bekijk(client, reverse("formulieren:word", args=[formulier.pk]))
    assert (export.onderdeel, export.ip_adres) == ("formulier export", IP)


def test_formulier_sign_page_and_list_are_audited(client, world, formulier, totp_bestuurder):
    login(client, world.coordinator_a)
    data = volledige_post(formulier, ondertekenaar=world.bestuurder_a)
    client.post(reverse("formulieren:bewerken", args=[formulier.pk]), data)
    login(client, world.bestuurder_a)
    (lijst,) = bekijk(client, reverse("formulieren:te_ondertekenen"))
    assert (lijst.onderdeel, lijst.details, lijst.ip_adres) == (
        "te ondertekenen",
        "1 formulieren",
        IP,
    )
    ondertekenen = reverse("formulieren:ondertekenen", args=[formulier.pk])
    (pagina,) = bekijk(client, ondertekenen)
    assert (pagina.onderdeel, pagina.actie) == ("formulier ondertekenen", InzageActie.BEKEKEN)
    _device, totp = totp_bestuurder
    voor = laatste_id()
    assert client.post(ondertekenen, {"code": totp.now()}, REMOTE_ADDR=IP).status_code == 302
    (getekend,) = nieuwe_records(voor)
    assert (getekend.actie, getekend.details, getekend.ip_adres) == (
        InzageActie.GEWIJZIGD,
        f"formulier {formulier.pk}: ondertekend",
        IP,
    )


@pytest.mark.parametrize("persona", ["outsider", "collega_b", "deskundige", "beheerder"])
def test_no_record_for_whom_the_form_is_404(client, world, formulier, persona):
    login(client, getattr(world, persona))
    voor = laatste_id()
    for naam in ("bewerken", "ondertekenen", "word"):
        url = reverse(f"formulieren:{naam}", args=[formulier.pk])
        assert client.get(url).status_code == 404
    assert nieuwe_records(voor) == []


def test_auditlog_search_shows_the_address(client, world):
    hv = world.hv_a_ingediend
    login(client, world.loket)
    client.get(reverse("hulpvragen:detail", args=[hv.pk]), REMOTE_ADDR=IP)
    login(client, world.beheerder)
    html = client.get(reverse("beheer:auditlog"), {"dossier": hv.leerling.pk}).content.decode()
    rijen = [r for r in html.split("<tbody>")[1].split("<tr>") if "<td>" in r]
    assert rijen and all(f"<td>{IP}</td>" in r for r in rijen)
