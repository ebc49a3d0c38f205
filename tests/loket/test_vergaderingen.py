"""BAG-overleg and the Overlegronde tab through the pages: the loket plans a meeting, puts a BAG
hulpvraag on it (→ BAG geagendeerd with date and place in the toelichting), records the advice
with its file (→ BAG advies uitgebracht); the school plans its own internal round, which the loket
never sees; outsiders get 404."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Rol
from bijlagen.models import Bijlage
from hulpvragen.models import Statuswijziging
from loket.models import Agendapunt, Vergadering, VergaderingSoort
from tests.bijlagen import bestanden as b
from tests.factories import UserFactory, grant_toegang
from tests.helpers import login

VERGADERINGEN = reverse("loket:vergaderingen")


def tab(hulpvraag):
    return reverse("hulpvragen:tab", args=[hulpvraag.pk, "overlegronde"])


def plan(client, soort="bag", **extra):
    data = {
        "soort": soort,
        "datum": "2026-12-10",
        "tijd": "14:30",
        "plaats": "Kantoor SWV, Apeldoorn",
        "deelnemers": "Orthopedagoog\nIB'er",
        **extra,
    }
    response = client.post(VERGADERINGEN, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Vergadering.objects.latest("id")


def test_bag_round_from_agenda_to_advice(client, world, ingediend):
    bag = ingediend("BAG")
    login(client, world.loket)
    vergadering = plan(client)
    assert vergadering.soort == VergaderingSoort.BAG
    page = client.get(reverse("loket:vergadering", args=[vergadering.pk]))
    assert f'value="{bag.pk}"' in page.content.decode()  # a candidate for the agenda

    response = client.post(
        reverse("loket:vergadering", args=[vergadering.pk]), {"hulpvraag": bag.pk}
    )
    assert response.status_code == 302
    bag.refresh_from_db()
    assert bag.status.naam == "BAG geagendeerd"
    wijziging = Statuswijziging.objects.filter(hulpvraag=bag).latest("op", "id")
    assert "10-12-2026" in wijziging.toelichting
    assert "14:30" in wijziging.toelichting and "Kantoor SWV, Apeldoorn" in wijziging.toelichting

    # The school reads when in the Statushistorie; its Overlegronde tab does not show SWV meetings.
    login(client, bag.schoolgegevens.aanvrager)
    historie = client.get(reverse("hulpvragen:statushistorie", args=[bag.pk])).content.decode()
    assert "10-12-2026" in historie
    assert "Kantoor SWV" not in client.get(tab(bag)).content.decode()

    # Loket and a deskundige with access see the meeting on the tab.
    grant_toegang(hulpvraag=bag, gebruiker=world.deskundige, door=world.loket)
    for persona in (world.loket, world.deskundige):
        login(client, persona)
        assert "Kantoor SWV, Apeldoorn" in client.get(tab(bag)).content.decode()

    login(client, world.loket)
    punt = Agendapunt.objects.get(vergadering=vergadering, hulpvraag=bag)
    url = reverse("loket:agendapunt_afhandelen", args=[vergadering.pk, punt.pk])
    # Without the advice file nothing happens.
    response = client.post(url, {"toelichting": "Advies: regulier VO met ondersteuning."})
    assert response.status_code == 302
    bag.refresh_from_db()
    assert bag.status.naam == "BAG geagendeerd"
    response = client.post(
        url,
        {
            "toelichting": "Advies: regulier VO met ondersteuning.",
            "advies": SimpleUploadedFile("bag-advies.pdf", b.pdf(), "application/pdf"),
        },
    )
    assert response.status_code == 302
    bag.refresh_from_db()
    assert bag.status.naam == "BAG advies uitgebracht"
    assert Bijlage.objects.get(hulpvraag=bag, geupload_door=world.loket).naam == "bag-advies.pdf"
    punt.refresh_from_db()
    assert punt.uitkomst == "advies"
    assert "advies uitgebracht" in client.get(tab(bag)).content.decode()


def test_only_bag_hulpvragen_go_on_a_bag_agenda(client, world, ingediend):
    tlv = ingediend("TLV_VSO")
    login(client, world.loket)
    vergadering = plan(client)
    response = client.post(
        reverse("loket:vergadering", args=[vergadering.pk]), {"hulpvraag": tlv.pk}
    )
    assert response.status_code == 400
    tlv.refresh_from_db()
    assert tlv.status.naam == "TLV aanvraag indienen"
    assert not Agendapunt.objects.exists()


def test_school_plans_an_internal_round_the_loket_never_sees(client, world, ingediend):
    tlv = ingediend("TLV_VSO")
    login(client, world.coordinator_a)
    response = client.post(
        tab(tlv),
        {"datum": "2026-12-01", "tijd": "09:00", "plaats": "Lokaal 12", "deelnemers": "Mentor"},
    )
    assert response.status_code == 302
    intern = Vergadering.objects.get(soort=VergaderingSoort.INTERN)
    assert intern.school == world.school_a
    assert "Lokaal 12" in client.get(tab(tlv)).content.decode()

    login(client, world.loket)
    assert "Lokaal 12" not in client.get(tab(tlv)).content.decode()
    assert "Lokaal 12" not in client.get(VERGADERINGEN).content.decode()
    assert client.get(reverse("loket:vergadering", args=[intern.pk])).status_code == 404
    assert client.post(tab(tlv), {"plaats": "x"}).status_code == 404  # the loket plans elsewhere


def test_internal_round_of_school_a_is_not_shown_to_school_b(client, world, ingediend):
    """Same pupil at another school: a colleague there sees neither this hulpvraag nor the round."""
    tlv = ingediend("TLV_VSO")
    login(client, world.coordinator_a)
    client.post(tab(tlv), {"datum": "2026-12-01", "tijd": "09:00", "plaats": "Lokaal 12"})
    login(client, world.collega_b)
    assert client.get(tab(tlv)).status_code == 404


@pytest.mark.parametrize(
    "persona", ["coordinator_a", "bestuurder_a", "deskundige", "beheerder", "outsider"]
)
def test_meeting_screens_are_404_for_everyone_but_the_loket(client, world, persona):
    vergadering = Vergadering.objects.create(
        organisatie=world.org,
        soort=VergaderingSoort.BAG,
        datum=date(2026, 12, 10),
        tijd=time(14, 30),
        plaats="SWV",
    )
    login(client, getattr(world, persona))
    assert client.get(VERGADERINGEN).status_code == 404
    assert client.get(reverse("loket:vergadering", args=[vergadering.pk])).status_code == 404
    assert client.post(VERGADERINGEN, {"soort": "bag"}).status_code == 404
    verplaatsen = reverse("loket:vergadering_verplaatsen", args=[vergadering.pk])
    assert client.get(verplaatsen).status_code == 404
    assert client.post(verplaatsen, {"plaats": "Elders"}).status_code == 404


def test_loket_of_another_swv_gets_404_on_our_meeting(client, world):
    vergadering = Vergadering.objects.create(
        organisatie=world.org,
        soort=VergaderingSoort.BAG,
        datum=date(2026, 12, 10),
        tijd=time(14, 30),
        plaats="SWV",
    )
    ander = UserFactory(organisatie=world.other_org, username="loket2", rol=Rol.SWV_LOKET)
    login(client, ander)
    assert client.get(reverse("loket:vergadering", args=[vergadering.pk])).status_code == 404
    verplaatsen = reverse("loket:vergadering_verplaatsen", args=[vergadering.pk])
    assert client.post(verplaatsen, {"plaats": "Elders"}).status_code == 404
    assert "Nog geen vergaderingen gepland." in client.get(VERGADERINGEN).content.decode()


def test_school_invites_an_outsider_to_its_internal_round_for_a_limited_time(
    client, world, ingediend
):
    from datetime import UTC, datetime, timedelta

    import time_machine

    from hulpvragen.models import Toegang

    vandaag = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    with time_machine.travel(vandaag, tick=False):
        tlv = ingediend("TLV_VSO")
        login(client, world.coordinator_a)
        client.post(tab(tlv), {"datum": "2026-12-01", "tijd": "09:00", "plaats": "Lokaal 12"})
        punt = Agendapunt.objects.get(hulpvraag=tlv)
        assert 'value="2026-12-01"' in client.get(tab(tlv)).content.decode()  # default: the day
        response = client.post(
            tab(tlv),
            {
                "uitnodigen": punt.pk,
                "email": "Jeugdarts@GGD.example",
                "voornaam": "Joke",
                "achternaam": "Arts",
                "geldig_tot": "2026-12-01",
            },
        )
        assert response.status_code == 302
        assert "Joke Arts is uitgenodigd" in client.get(response["Location"]).content.decode()
        toegang = Toegang.objects.get(hulpvraag=tlv, gebruiker__email="jeugdarts@ggd.example")
        assert toegang.schoolintern and toegang.geldig_tot == date(2026, 12, 1)
        assert "01-12-2026" in toegang.reden
        genodigde = toegang.gebruiker
        assert genodigde.rol == Rol.GENODIGDE

        # The loket does not see the invitation on the Toegang tab.
        login(client, world.loket)
        toegang_tab = reverse("hulpvragen:tab", args=[tlv.pk, "toegang"])
        assert "Joke" not in client.get(toegang_tab).content.decode()

    detail = reverse("hulpvragen:detail", args=[tlv.pk])
    with time_machine.travel(vandaag + timedelta(days=11), tick=False):  # 1 December
        login(client, genodigde)
        assert client.get(detail).status_code == 200  # reads the dossier
        ronde = client.get(tab(tlv)).content.decode()  # and the round it is invited to
        assert "Lokaal 12" in ronde and "Uitnodigen" not in ronde and "Plannen" not in ronde
        assert client.post(tab(tlv), {"plaats": "Elders"}).status_code == 404
    with time_machine.travel(vandaag + timedelta(days=12), tick=False):  # 2 December: expired
        login(client, genodigde)
        assert client.get(detail).status_code == 404


def test_invitation_errors_are_shown_and_only_the_school_invites(client, world, ingediend):
    tlv = ingediend("TLV_VSO")
    login(client, world.coordinator_a)
    client.post(tab(tlv), {"datum": "2026-12-01", "tijd": "09:00", "plaats": "Lokaal 12"})
    punt = Agendapunt.objects.get(hulpvraag=tlv)
    data = {
        "uitnodigen": punt.pk,
        "email": world.loket.email or "loket@swv.example",
        "voornaam": "L",
        "achternaam": "K",
        "geldig_tot": "2020-01-01",
    }
    response = client.post(tab(tlv), data)
    assert response.status_code == 400
    assert "Kies een einddatum" in response.content.decode()
    login(client, world.loket)
    assert client.post(tab(tlv), data).status_code == 404


def test_moving_a_bag_overleg_mails_the_schools_of_its_open_items(client, world, ingediend):
    """BAG geagendeerd told the school the date; when the loket moves the meeting, the school of
    every item without advice yet gets the new date, time and place (no pupil data). A PrO
    meeting's schools were never told the meeting, so they get nothing."""
    from meldingen.models import Notificatie, NotificatieSoort

    open_punt, afgehandeld = ingediend("BAG"), ingediend("BAG")
    login(client, world.loket)
    vergadering = plan(client)
    for bag in (open_punt, afgehandeld):
        client.post(reverse("loket:vergadering", args=[vergadering.pk]), {"hulpvraag": bag.pk})
    punt = Agendapunt.objects.get(vergadering=vergadering, hulpvraag=afgehandeld)
    client.post(
        reverse("loket:agendapunt_afhandelen", args=[vergadering.pk, punt.pk]),
        {
            "toelichting": "Advies uitgebracht.",
            "advies": SimpleUploadedFile("bag-advies.pdf", b.pdf(), "application/pdf"),
        },
    )
    voor = set(Notificatie.objects.values_list("pk", flat=True))

    url = reverse("loket:vergadering_verplaatsen", args=[vergadering.pk])
    assert 'value="Kantoor SWV, Apeldoorn"' in client.get(url).content.decode()
    fout = client.post(url, {"datum": "", "tijd": "15:00", "plaats": "Zaal 2"})
    assert fout.status_code == 400 and 'value="Zaal 2"' in fout.content.decode()
    response = client.post(url, {"datum": "2026-12-17", "tijd": "15:00", "plaats": "Zaal 2"})
    assert response.status_code == 302
    assert (
        "1 school krijgt hierover een e-mail" in client.get(response["Location"]).content.decode()
    )
    vergadering.refresh_from_db()
    assert (vergadering.datum, vergadering.tijd, vergadering.plaats) == (
        date(2026, 12, 17),
        time(15, 0),
        "Zaal 2",
    )
    nieuw = Notificatie.objects.exclude(pk__in=voor)
    assert [n.hulpvraag_id for n in nieuw] == [open_punt.pk]
    bericht = nieuw.get()
    assert bericht.soort == NotificatieSoort.BERICHT
    assert bericht.ontvanger == open_punt.schoolgegevens.email
    assert "17-12-2026 om 15:00, plaats: Zaal 2" in bericht.tekst
    leerling = open_punt.leerling
    for gegeven in (leerling.achternaam, leerling.roepnaam, f"{leerling.geboortedatum:%d-%m-%Y}"):
        assert gegeven not in bericht.onderwerp + bericht.tekst
    # Saving the same date again writes nothing.
    client.post(url, {"datum": "2026-12-17", "tijd": "15:00", "plaats": "Zaal 2"})
    assert Notificatie.objects.exclude(pk__in=voor).count() == 1

    pro = plan(client, soort="pro")
    pro_url = reverse("loket:vergadering_verplaatsen", args=[pro.pk])
    client.post(pro_url, {"datum": "2026-12-18", "tijd": "09:00", "plaats": "Zaal 3"})
    pro.refresh_from_db()
    assert pro.plaats == "Zaal 3" and Notificatie.objects.exclude(pk__in=voor).count() == 1
