"""A form posted twice records once (accounts/eenmalig.py): Status wijzigen (also the
self-transition BAG geagendeerd → BAG geagendeerd, which the stale-status check cannot tell from
a new change), uploads and the decision pages. Sequential and, on PostgreSQL, concurrent."""

from __future__ import annotations

import os
import re
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accounts.models import Inzending
from hulpvragen.models import Statuswijziging
from meldingen.models import Notificatie
from tests.helpers import login
from tests.loket.conftest import status

TOELICHTING = "De BAG-vergadering is op 12-03-2027 om 14:00 uur."


def _token(html: str) -> str:
    match = re.search(r'<input type="hidden" name="eenmalig" value="([^"]+)">', html)
    assert match, "the form carries no one-time token"
    return match.group(1)


def _status_post(client, hv, token, naar):
    return client.post(
        reverse("hulpvragen:status_wijzigen", args=[hv.pk]),
        {
            "naar": naar.pk,
            "toelichting": TOELICHTING,
            "gezien_status": hv.status_id,
            "eenmalig": token,
        },
    )


@pytest.fixture
def geagendeerd(world, ingediend):
    from hulpvragen.services import hulpvraag_change_status

    bag = ingediend("BAG")
    hulpvraag_change_status(
        hulpvraag=bag,
        naar=status(bag, "BAG geagendeerd"),
        door=world.loket,
        toelichting="Eerste datum: 05-03-2027.",
    )
    bag.refresh_from_db()
    return bag


@pytest.mark.django_db
def test_status_self_transition_posted_twice_records_once(
    client, world, geagendeerd, django_capture_on_commit_callbacks, mailoutbox
):
    bag = geagendeerd
    login(client, world.loket)
    url = reverse("hulpvragen:status_wijzigen", args=[bag.pk])
    token = _token(client.get(url).content.decode())
    naar = status(bag, "BAG geagendeerd")
    voor = Statuswijziging.objects.filter(hulpvraag=bag).count()
    mails_voor = Notificatie.objects.filter(hulpvraag=bag).count()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        eerste = _status_post(client, bag, token, naar)
    assert eerste.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        tweede = _status_post(client, bag, token, naar)
    # The second post shows the first one's result: the same page, its message, and a note.
    assert tweede.status_code == 302 and tweede["Location"] == eerste["Location"]
    pagina = client.get(tweede["Location"]).content.decode()
    assert "De status is gewijzigd naar “BAG geagendeerd”." in pagina
    assert "Dit formulier was al verstuurd; het is maar één keer verwerkt." in pagina

    assert Statuswijziging.objects.filter(hulpvraag=bag).count() == voor + 1
    nieuw = Notificatie.objects.filter(hulpvraag=bag).count() - mails_voor
    assert nieuw >= 1
    assert len(mailoutbox) == nieuw  # one change's mails, once
    inzending = Inzending.objects.get(token=token)
    assert inzending.object_id == Statuswijziging.objects.filter(hulpvraag=bag).latest("pk").pk

    # A new visit of the page has a new token: a deliberate second change is still possible.
    token2 = _token(client.get(url).content.decode())
    assert token2 != token
    bag.refresh_from_db()
    assert _status_post(client, bag, token2, naar).status_code == 302
    assert Statuswijziging.objects.filter(hulpvraag=bag).count() == voor + 2


@pytest.mark.django_db
def test_a_refused_post_does_not_use_up_the_token(client, world, geagendeerd):
    """The toelichting without a date is refused: nothing recorded, and the corrected form with
    the same token goes through."""
    bag = geagendeerd
    login(client, world.loket)
    token = _token(
        client.get(reverse("hulpvragen:status_wijzigen", args=[bag.pk])).content.decode()
    )
    naar = status(bag, "BAG geagendeerd")
    geweigerd = client.post(
        reverse("hulpvragen:status_wijzigen", args=[bag.pk]),
        {
            "naar": naar.pk,
            "toelichting": "zonder datum",
            "gezien_status": bag.status_id,
            "eenmalig": token,
        },
    )
    assert geweigerd.status_code == 200
    assert not Inzending.objects.filter(token=token).exists()
    assert _status_post(client, bag, token, naar).status_code == 302
    assert Inzending.objects.filter(token=token).exists()


def _tegelijk(functies):
    """Run the functions at the same moment (PostgreSQL) or one after the other (SQLite, which
    writes one transaction at a time anyway). In CI on PostgreSQL this must really overlap."""
    concurrent = connection.vendor == "postgresql"
    assert concurrent or not os.environ.get("TEST_DATABASE_URL")
    resultaten: dict[int, object] = {}
    barrier = threading.Barrier(len(functies))

    def run(i, f):
        try:
            if concurrent:
                barrier.wait(timeout=10)
            resultaten[i] = f()
        except Exception as error:  # noqa: BLE001 - the test inspects what happened
            resultaten[i] = error
        finally:
            if concurrent:
                connections.close_all()

    if concurrent:
        threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functies)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads)
    else:
        for i, f in enumerate(functies):
            run(i, f)
    return [resultaten[i] for i in range(len(functies))]


@pytest.mark.django_db(transaction=True)
def test_status_posted_twice_at_the_same_moment_records_once(world, geagendeerd, mailoutbox):
    bag = geagendeerd
    naar = status(bag, "BAG geagendeerd")
    clients = [Client(), Client()]
    for c in clients:
        login(c, world.loket)
    token = _token(
        clients[0].get(reverse("hulpvragen:status_wijzigen", args=[bag.pk])).content.decode()
    )
    voor = Statuswijziging.objects.filter(hulpvraag=bag).count()
    mailoutbox.clear()
    antwoorden = _tegelijk([lambda c=c: _status_post(c, bag, token, naar) for c in clients])
    assert all(getattr(a, "status_code", None) == 302 for a in antwoorden), antwoorden
    assert {a["Location"] for a in antwoorden} == {reverse("hulpvragen:detail", args=[bag.pk])}
    assert Statuswijziging.objects.filter(hulpvraag=bag).count() == voor + 1
    wijziging = Statuswijziging.objects.filter(hulpvraag=bag).latest("pk")
    assert Notificatie.objects.filter(statuswijziging=wijziging).count() == len(mailoutbox)


@pytest.mark.django_db
def test_an_upload_posted_twice_adds_the_files_once(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bijlagen.models import Bijlage
    from tests.bijlagen import bestanden as b

    hv = world.hv_a_ingediend
    login(client, world.coordinator_a)
    url = reverse("bijlagen:lijst", args=[hv.pk])
    token = _token(client.get(url).content.decode())

    def post():
        return client.post(
            url,
            {
                "bestanden": [
                    SimpleUploadedFile("Verslag.pdf", b.pdf(b"1")),
                    SimpleUploadedFile("OPP.pdf", b.pdf(b"2")),
                ],
                "eenmalig": token,
            },
        )

    eerste, tweede = post(), post()
    assert eerste.status_code == tweede.status_code == 302
    assert tweede["Location"] == eerste["Location"] == url
    assert Bijlage.objects.filter(hulpvraag=hv).count() == 2
    pagina = client.get(url).content.decode()
    assert "2 bijlagen toegevoegd." in pagina
    assert "Dit formulier was al verstuurd" in pagina


@pytest.mark.django_db(transaction=True)
def test_an_upload_posted_twice_at_the_same_moment_adds_once(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bijlagen.models import Bijlage
    from tests.bijlagen import bestanden as b

    hv = world.hv_a_ingediend
    clients = [Client(), Client()]
    for c in clients:
        login(c, world.coordinator_a)
    url = reverse("bijlagen:lijst", args=[hv.pk])
    token = _token(clients[0].get(url).content.decode())

    def post(c):
        return c.post(
            url,
            {"bestanden": [SimpleUploadedFile("V.pdf", b.pdf(b"1"))], "eenmalig": token},
        )

    antwoorden = _tegelijk([lambda c=c: post(c) for c in clients])
    assert all(getattr(a, "status_code", None) == 302 for a in antwoorden), antwoorden
    assert Bijlage.objects.filter(hulpvraag=hv).count() == 1


@pytest.mark.django_db
def test_a_decision_posted_twice_is_recorded_once_and_shows_its_result(client, world):
    """Arrangement vastleggen twice: one arrangement, one letter, one status change; the second
    post gets the first one's page and message instead of a stale-status refusal."""
    from besluiten.models import FinancieelArrangement
    from bijlagen.models import Bijlage
    from hulpvragen.models import HulpvraagType
    from tests.besluiten.conftest import hulpvraag_in

    fa = hulpvraag_in(world, "FA aanvraag indienen", type_=HulpvraagType.FA)
    login(client, world.loket)
    url = reverse("besluiten:besluit", args=[fa.pk])
    pagina = client.get(url).content.decode()
    token = re.search(
        r'name="eenmalig" value="([^"]+)"><input type="hidden" name="actie" value="fa"', pagina
    ).group(1)
    data = {
        "actie": "fa",
        "gezien_status": fa.status_id,
        "bedrag": "12345,60",
        "ingangsdatum": "01-08-2026",
        "einddatum": "31-07-2027",
        "evaluatiedatum": "01-06-2027",
        "besluitdatum": "10-07-2026",
        "toelichting": "",
        "eenmalig": token,
    }
    voor = Statuswijziging.objects.filter(hulpvraag=fa).count()
    eerste = client.post(url, data)
    tweede = client.post(url, data)
    assert eerste.status_code == tweede.status_code == 302
    assert tweede["Location"] == eerste["Location"]
    assert FinancieelArrangement.objects.filter(hulpvraag=fa).count() == 1
    assert Bijlage.objects.filter(hulpvraag=fa, documentsoort="brief").count() == 1
    assert Statuswijziging.objects.filter(hulpvraag=fa).count() == voor + 1
    pagina = client.get(tweede["Location"]).content.decode()
    assert "Het arrangement is vastgelegd en de toewijzingsbrief is gemaakt." in pagina
    assert "Dit formulier was al verstuurd" in pagina
    inzending = Inzending.objects.get(token=token)
    assert inzending.object_id == FinancieelArrangement.objects.get(hulpvraag=fa).pk


@pytest.mark.django_db
def test_old_tokens_are_removed_daily(world):
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from accounts.tasks import inzendingen_opruimen

    oud = Inzending.objects.create(token="oud", gebruiker=world.loket)
    Inzending.objects.filter(pk=oud.pk).update(aangemaakt_op=timezone.now() - timedelta(days=3))
    Inzending.objects.create(token="nieuw", gebruiker=world.loket)
    assert inzendingen_opruimen.delay().get() == 1
    assert list(Inzending.objects.values_list("token", flat=True)) == ["nieuw"]
    schema = settings.CELERY_BEAT_SCHEDULE["accounts-inzendingen-opruimen"]
    assert schema["task"] == "accounts.inzendingen_opruimen"
