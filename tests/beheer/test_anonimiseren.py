"""Retention by anonymising: names, BSN, address and birth date replaced, forms,
notes, LVS data and bijlagen (files included) gone, no orphan rows, the hulpvragen and their
history kept so the kengetallen still count them; a record without content; run in a Celery task
after the beheerder's confirmation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from audit.models import BijlageInzage, Inzage
from beheer.models import Bewaarsignalering, Verwijdering
from bijlagen.models import Bijlage
from bijlagen.services import bijlage_open_for_download
from dossiers.models import Adres, IqTest, Leerling, Schoolgegevens
from formulieren.demo import formulier_invullen_en_ondertekenen
from formulieren.models import Formulier
from hulpvragen.models import Hulpvraag, HulpvraagType, Notitie, Statuswijziging, Toegang
from tests.beheer.test_bewaartermijnen import _bijlage, _fk_rijen_naar, _gesloten, _hulpvraag
from tests.factories import AdresFactory, grant_toegang
from tests.helpers import login

pytestmark = pytest.mark.django_db
URL = reverse("beheer:bewaartermijnen")


def _vol_dossier(world):
    """A closed TLV and FA of one pupil with everything a dossier can hold."""
    hv = _hulpvraag(world)
    leerling = hv.leerling
    AdresFactory(leerling=leerling)
    formulier_invullen_en_ondertekenen(hulpvraag=hv)
    Notitie.objects.create(
        organisatie=world.org, hulpvraag=hv, auteur=world.coordinator_a, tekst=leerling.naam
    )
    IqTest.objects.create(
        organisatie=world.org,
        leerling=leerling,
        testdatum=dt.date(2020, 1, 1),
        totaal_iq=80,
        gewijzigd_door=world.coordinator_a,
    )
    grant_toegang(hulpvraag=hv, gebruiker=world.deskundige)
    bijlage = _bijlage(hv, world.coordinator_a)
    bijlage_open_for_download(bijlage=bijlage, door=world.coordinator_a, ip_adres=None).close()
    tweede = _hulpvraag(world, HulpvraagType.FA, leerling=leerling)
    Hulpvraag.objects.filter(pk=hv.pk).update(omschrijving=f"Over {leerling.naam}")
    _gesloten(hv, dagen_geleden=4 * 365, status="TLV afgegeven")
    _gesloten(tweede, dagen_geleden=4 * 365, status="FA afgewezen")
    return hv, tweede, bijlage


def _kengetallen(client, world) -> str:
    login(client, world.loket)
    html = client.get(reverse("beheer:kengetallen"), {"van": "01-01-2000", "tot": "31-12-2099"})
    assert html.status_code == 200
    return html.content.decode()


def test_anonymising_keeps_statistics_and_removes_everything_personal(
    client, world, django_capture_on_commit_callbacks
):
    hv, tweede, bijlage = _vol_dossier(world)
    leerling = Leerling.objects.get(pk=hv.leerling_id)
    oud = {
        "naam": leerling.achternaam,
        "bsn": leerling.bsn,
        "geboortedatum": leerling.geboortedatum,
    }
    sg_ids = list(Schoolgegevens.objects.filter(leerling=leerling).values_list("pk", flat=True))
    stappen = Statuswijziging.objects.filter(hulpvraag__leerling=leerling).count()
    figuren_voor = _kengetallen(client, world)
    blijft = _hulpvraag(world)  # another pupil's open dossier: untouched
    blijft_bijlage = _bijlage(blijft, world.coordinator_a)

    login(client, world.beheerder)
    client.post(URL, {"actie": "controleren"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {
                "actie": "verwijderen",
                "soort": "anonimiseren",
                "leerling_ids": str(leerling.pk),
                "bevestigd": "on",
            },
        )
    assert response.status_code == 302

    leerling.refresh_from_db()
    assert leerling.geanonimiseerd_op is not None
    assert oud["naam"] not in leerling.naam and "Geanonimiseerd" in leerling.naam
    assert (leerling.bsn, leerling.onderwijsnummer) == ("", "")
    assert leerling.geboortedatum == dt.date(oud["geboortedatum"].year, 1, 1)
    # Everything personal that hung off the dossier is gone, files from storage too.
    assert not Adres.objects.filter(leerling=leerling).exists()
    assert not IqTest.objects.filter(leerling=leerling).exists()
    assert not Notitie.objects.filter(hulpvraag__leerling=leerling).exists()
    assert not Formulier.objects.filter(hulpvraag__leerling=leerling).exists()
    assert not Toegang.objects.filter(hulpvraag__leerling=leerling).exists()
    assert not Bijlage.objects.filter(pk=bijlage.pk).exists()
    assert not BijlageInzage.objects.filter(bijlage_id=bijlage.pk).exists()
    assert not default_storage.exists(bijlage.sleutel)
    assert default_storage.exists(blijft_bijlage.sleutel)
    # What is kept points only at kept rows: no orphans, no other rows left on the dossier.
    assert _fk_rijen_naar(Bijlage, [bijlage.pk]) == {}
    rest = _fk_rijen_naar(Hulpvraag, [hv.pk, tweede.pk])
    assert set(rest) == {"Statuswijziging.hulpvraag"}
    assert rest["Statuswijziging.hulpvraag"] == stappen
    assert set(_fk_rijen_naar(Leerling, [leerling.pk])) == {
        "Hulpvraag.leerling",
        "Schoolgegevens.leerling",
    }
    assert set(_fk_rijen_naar(Schoolgegevens, sg_ids)) <= {"Hulpvraag.schoolgegevens"}
    # Free text that could name the pupil is emptied; the steps stay.
    assert (
        not Statuswijziging.objects.filter(hulpvraag__leerling=leerling)
        .exclude(toelichting="")
        .exists()
    )
    assert Hulpvraag.objects.get(pk=hv.pk).omschrijving == ""
    # The statistics are unchanged.
    assert _tabellen(_kengetallen(client, world)) == _tabellen(figuren_voor)
    assert Hulpvraag.objects.get(pk=blijft.pk).leerling.geanonimiseerd_op is None

    record = Verwijdering.objects.get()
    assert (record.soort, record.status, record.aantal_dossiers) == ("anonimiseren", "klaar", 1)
    assert (record.aantal_hulpvragen, record.aantal_bijlagen) == (2, 1)
    assert oud["naam"] not in str(record.__dict__) and oud["bsn"] not in str(record.__dict__)
    audit = Inzage.objects.get(onderdeel="bewaartermijn", leerling_id=leerling.pk)
    assert audit.details == "dossier geanonimiseerd na de bewaartermijn"
    # An anonymised dossier is not listed again.
    login(client, world.beheerder)
    client.post(URL, {"actie": "controleren"})
    assert not Bewaarsignalering.objects.filter(leerling_id=leerling.pk).exists()


def _tabellen(html: str) -> list[str]:
    return [deel.split("</table>")[0] for deel in html.split("<table")[1:]]


def _met_tlv(world):
    """A closed TLV VSO dossier with its decision record (besluiten), which PROTECTs both the
    hulpvraag and the pupil."""
    from besluiten.models import Toelaatbaarheidsverklaring

    hv = _gesloten(_hulpvraag(world), dagen_geleden=4 * 365, status="TLV afgegeven")
    tlv = Toelaatbaarheidsverklaring.objects.create(
        organisatie=world.org,
        besluitdatum=dt.date(2021, 1, 1),
        vastgelegd_door=world.loket,
        hulpvraag=hv,
        leerling=hv.leerling,
        soort="VSO",
        bekostigingscategorie="midden",
        ingangsdatum=dt.date(2021, 1, 1),
        einddatum=dt.date(2022, 8, 1),
    )
    tlv.brieven.add(_bijlage(hv, world.loket))
    return hv, tlv


@pytest.mark.parametrize("soort", ["verwijderen", "anonimiseren"])
def test_dossiers_with_a_tlv_record(client, world, soort, django_capture_on_commit_callbacks):
    from besluiten.models import Toelaatbaarheidsverklaring

    hv, tlv = _met_tlv(world)
    login(client, world.beheerder)
    client.post(URL, {"actie": "controleren"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            URL,
            {
                "actie": "verwijderen",
                "soort": soort,
                "leerling_ids": str(hv.leerling_id),
                "bevestigd": "on",
            },
        )
    record = Verwijdering.objects.get()
    assert (record.status, record.aantal_dossiers, record.aantal_bijlagen) == ("klaar", 1, 1)
    if soort == "verwijderen":
        assert not Leerling.objects.filter(pk=hv.leerling_id).exists()
        assert _fk_rijen_naar(Leerling, [hv.leerling_id]) == {}
        assert _fk_rijen_naar(Hulpvraag, [hv.pk]) == {}
        assert not Toelaatbaarheidsverklaring.objects.exists()
    else:
        # Kept for the report of TLVs by bekostigingscategorie; its letter (a file) is gone.
        tlv.refresh_from_db()
        assert (tlv.soort, tlv.bekostigingscategorie) == ("VSO", "midden")
        assert not tlv.brieven.exists()
        assert Leerling.objects.get(pk=hv.leerling_id).geanonimiseerd_op is not None
