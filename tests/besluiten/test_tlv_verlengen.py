"""A TLV nearing its einddatum: the daily beat task mails the aanvrager once, from
TLV_VERLENGING_SIGNAAL_WEKEN before the einddatum, unless a renewal is under way (a newer TLV, or a
submitted TLV hulpvraag filed after it). Through the screens, with the time moved (time-machine)."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Rol
from besluiten.models import Toelaatbaarheidsverklaring
from besluiten.services import tlv_record
from besluiten.tasks import tlv_verlenging_herinneren
from bijlagen.demo import verplichte_bijlagen_toevoegen
from formulieren.demo import formulier_invullen_en_ondertekenen
from hulpvragen.models import Hulpvraag, HulpvraagType
from meldingen.models import Notificatie
from tests.besluiten.conftest import hulpvraag_in, twee_adviezen
from tests.besluiten.test_tlv import tlv_post
from tests.factories import SchoolgegevensFactory, UserFactory, make_hulpvraag
from tests.helpers import login

pytestmark = pytest.mark.django_db

# The TLV is granted on 15-06-2026 for 01-08-2026 up to 31-07-2027; 16 weeks before the
# einddatum is 10-04-2027.
BESLUIT = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
EINDDATUM = date(2027, 7, 31)
SIGNAAL = date(2027, 4, 10)


def op(dag: date):
    return time_machine.travel(datetime(dag.year, dag.month, dag.day, 6, 0, tzinfo=UTC), tick=False)


@pytest.fixture
def tlv(client, world, kinderarts):
    """A TLV VSO recorded by the loket through the Besluit page."""
    with time_machine.travel(BESLUIT, tick=False):
        hulpvraag = hulpvraag_in(world, "TLV aanvraag compleet")
        twee_adviezen(client, world, hulpvraag, kinderarts)
        assert tlv_post(client, hulpvraag).status_code == 302
    tlv = Toelaatbaarheidsverklaring.objects.get(hulpvraag=hulpvraag)
    assert tlv.einddatum == EINDDATUM
    return tlv


def herinneren(capture) -> int:
    with capture(execute=True):
        return tlv_verlenging_herinneren()


def test_mailed_once_from_the_signal_date_without_pupil_data(
    client, world, tlv, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.TLV_VERLENGING_SIGNAAL_WEKEN = 16
    mailoutbox.clear()
    with op(date(2027, 4, 9)):  # one day before the signal period
        assert herinneren(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []
    with op(SIGNAAL):
        assert herinneren(django_capture_on_commit_callbacks) == 1
        assert herinneren(django_capture_on_commit_callbacks) == 0  # once
    with op(date(2027, 6, 1)):
        assert herinneren(django_capture_on_commit_callbacks) == 0  # and not again later
    tlv.refresh_from_db()
    assert tlv.herinnering_op is not None
    rows = Notificatie.objects.filter(hulpvraag=tlv.hulpvraag, soort="bericht")
    assert rows.count() == 1 and rows.get().ontvanger == "zorg@school-a.example"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["zorg@school-a.example"]
    assert "31-07-2027" in mail.subject and "31-07-2027" in mail.body
    assert "nieuwe aanvraag" in mail.body
    assert reverse("hulpvragen:detail", args=[tlv.hulpvraag_id]) in mail.body
    leerling = tlv.leerling
    geheimen = (
        leerling.achternaam,
        leerling.roepnaam,
        leerling.geboortedatum.strftime("%d-%m-%Y"),
        world.school_a.naam,
    )
    for html, _soort in mail.alternatives:
        for geheim in geheimen:
            assert geheim not in html
    for geheim in geheimen:
        assert geheim not in mail.subject and geheim not in mail.body


def test_not_mailed_after_the_einddatum_passed(
    client, world, tlv, mailoutbox, django_capture_on_commit_callbacks
):
    """A TLV that already ended (e.g. when this feature arrives) gets no "ends on" mail."""
    mailoutbox.clear()
    with op(date(2027, 8, 1)):
        assert herinneren(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_a_submitted_renewal_stops_the_mail_a_voorlopige_does_not(
    client, world, tlv, mailoutbox, django_capture_on_commit_callbacks
):
    leerling = tlv.leerling
    with op(date(2027, 3, 1)):
        login(client, world.coordinator_a)
        url = reverse("dossiers:nieuwe_hulpvraag", args=[leerling.pk])
        assert (
            client.post(url, {"type": "TLV_VSO", "omschrijving": "Verlenging"}).status_code == 302
        )
    nieuw = Hulpvraag.objects.get(leerling=leerling, status__naam="TLV voorlopige aanvraag")
    mailoutbox.clear()
    with op(SIGNAAL):
        # Only a draft (the SWV does not see it yet): the school still hears the TLV ends.
        assert herinneren(django_capture_on_commit_callbacks) == 1
    tlv.herinnering_op = None  # as if it had not been sent, to see the renewal stop it
    tlv.save(update_fields=["herinnering_op"])
    with op(SIGNAAL):
        formulier_invullen_en_ondertekenen(hulpvraag=nieuw)
        verplichte_bijlagen_toevoegen(hulpvraag=nieuw)
        login(client, world.coordinator_a)
        response = client.post(
            reverse("hulpvragen:status_wijzigen", args=[nieuw.pk]),
            {
                "naar": nieuw.proces.statussen.get(naam="TLV aanvraag indienen").pk,
                "gezien_status": nieuw.status_id,
                "toelichting": "",
            },
        )
        assert response.status_code == 302
        nieuw.refresh_from_db()
        assert nieuw.status.naam == "TLV aanvraag indienen"
        assert herinneren(django_capture_on_commit_callbacks) == 0
    # The renewal is withdrawn: nothing under way any more, so the school hears it after all.
    with op(date(2027, 4, 20)):
        login(client, world.coordinator_a)
        response = client.post(
            reverse("hulpvragen:status_wijzigen", args=[nieuw.pk]),
            {
                "naar": nieuw.proces.statussen.get(naam="TLV aanvraag ingetrokken").pk,
                "gezien_status": nieuw.status_id,
                "toelichting": "Toch niet.",
            },
        )
        assert response.status_code == 302
        nieuw.refresh_from_db()
        assert nieuw.status.naam == "TLV aanvraag ingetrokken"
        assert herinneren(django_capture_on_commit_callbacks) == 1


def test_a_newer_tlv_stops_the_mail(world, tlv, mailoutbox, django_capture_on_commit_callbacks):
    with op(date(2027, 3, 1)):
        sg = SchoolgegevensFactory(
            school=world.school_a, leerling=tlv.leerling, aanvrager=world.coordinator_a
        )
        pro = make_hulpvraag(
            schoolgegevens=sg,
            door=world.coordinator_a,
            type=HulpvraagType.PRO,
            status="PrO aanvraag indienen",
        )
    # The renewal was decided (recorded) before the signal date, with its own einddatum later.
    with op(date(2027, 3, 20)):
        tlv_record(hulpvraag=pro, door=world.loket, soort="PRO", ingangsdatum=EINDDATUM)
    mailoutbox.clear()
    with op(SIGNAAL):
        assert herinneren(django_capture_on_commit_callbacks) == 0
    assert not Notificatie.objects.filter(soort="bericht").exists()


def test_each_swv_mails_only_its_own_aanvragers(
    world, tlv, mailoutbox, django_capture_on_commit_callbacks
):
    """Another SWV's TLV goes to that SWV's own aanvrager; nobody gets the other's."""
    with time_machine.travel(BESLUIT, tick=False):
        elders = world.hv_other_org
        pro = make_hulpvraag(
            schoolgegevens=SchoolgegevensFactory(
                school=world.school_other, aanvrager=world.outsider, email="zorg@elders.example"
            ),
            door=world.outsider,
            type=HulpvraagType.PRO,
            status="PrO aanvraag indienen",
        )
        loket_elders = UserFactory(
            organisatie=world.other_org, username="loket-elders", rol=Rol.SWV_LOKET
        )
        tlv_record(
            hulpvraag=pro,
            door=loket_elders,
            soort="PRO",
            ingangsdatum=date(2026, 8, 1),
            einddatum=EINDDATUM,
        )
    assert elders.organisatie_id == pro.organisatie_id != tlv.organisatie_id
    mailoutbox.clear()
    with op(SIGNAAL):
        assert herinneren(django_capture_on_commit_callbacks) == 2
    ontvangers = sorted(m.to[0] for m in mailoutbox)
    assert ontvangers == ["zorg@elders.example", "zorg@school-a.example"]
    for notificatie in Notificatie.objects.filter(soort="bericht"):
        assert notificatie.organisatie_id == notificatie.hulpvraag.organisatie_id


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_mail_each_tlv_once(world, monkeypatch):
    """Two beat runs by mistake (or two workers): each TLV is claimed by one run (SELECT … FOR
    UPDATE SKIP LOCKED) and mailed once. On PostgreSQL they really overlap: writing the outbox row
    is slowed down so one run holds its row lock while the other passes by. SQLite has no row
    locks, so there the runs go one after the other."""
    import threading

    from django.db import connection, connections
    from django.utils import timezone

    from besluiten import services_herinneringen as services

    vandaag = timezone.localdate()
    for _ in range(6):
        pro = make_hulpvraag(
            schoolgegevens=SchoolgegevensFactory(
                school=world.school_a, aanvrager=world.coordinator_a, email="zorg@school.example"
            ),
            door=world.coordinator_a,
            type=HulpvraagType.PRO,
            status="PrO aanvraag indienen",
        )
        tlv_record(
            hulpvraag=pro,
            door=world.loket,
            soort="PRO",
            ingangsdatum=vandaag - timedelta(days=700),
            einddatum=vandaag + timedelta(weeks=4),
        )
    echt = services.aanvrager_notify

    def langzaam(**kwargs):
        time.sleep(0.1)
        return echt(**kwargs)

    monkeypatch.setattr(services, "aanvrager_notify", langzaam)
    concurrent = connection.vendor == "postgresql"
    assert concurrent or not os.environ.get("TEST_DATABASE_URL")
    barrier = threading.Barrier(2)
    results: dict[int, object] = {}

    def run(i):
        try:
            if concurrent:
                barrier.wait(timeout=10)
            results[i] = services.tlv_herinneringen_send(vandaag=vandaag)
        except Exception as error:  # noqa: BLE001 - the test inspects what happened
            results[i] = error
        finally:
            if concurrent:
                connections.close_all()

    if concurrent:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert not any(t.is_alive() for t in threads)
    else:
        run(0)
        run(1)
    assert sorted(results) == [0, 1] and all(isinstance(r, int) for r in results.values()), results
    assert sum(results.values()) == 6
    berichten = Notificatie.objects.filter(soort="bericht")
    assert berichten.count() == 6
    assert berichten.values("hulpvraag").distinct().count() == 6
    assert not Toelaatbaarheidsverklaring.objects.filter(herinnering_op__isnull=True).exists()


def test_no_address_or_a_closed_school_is_not_marked_as_mailed(
    client, world, tlv, mailoutbox, django_capture_on_commit_callbacks
):
    """The werkvoorraad's "School gemaild" must be true: without an address, or at a school that
    was closed, nothing is sent and nothing is marked; the next run tries again."""
    from dossiers.models import Schoolgegevens

    mailoutbox.clear()
    Schoolgegevens.objects.filter(pk=tlv.hulpvraag.schoolgegevens_id).update(email="")
    with op(SIGNAAL):
        assert herinneren(django_capture_on_commit_callbacks) == 0
    tlv.refresh_from_db()
    assert tlv.herinnering_op is None and mailoutbox == []

    Schoolgegevens.objects.filter(pk=tlv.hulpvraag.schoolgegevens_id).update(
        email="zorg@school-a.example"
    )
    world.school_a.actief = False
    world.school_a.save()
    with op(SIGNAAL + timedelta(days=1)):
        assert herinneren(django_capture_on_commit_callbacks) == 0
    tlv.refresh_from_db()
    assert tlv.herinnering_op is None and mailoutbox == []

    world.school_a.actief = True
    world.school_a.save()
    with op(SIGNAAL + timedelta(days=2)):
        assert herinneren(django_capture_on_commit_callbacks) == 1
    tlv.refresh_from_db()
    assert tlv.herinnering_op is not None and len(mailoutbox) == 1
