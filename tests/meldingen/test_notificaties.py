"""Notifications: the engine's outbox delivered by e-mail through a real SMTP server (aiosmtpd,
in this process); first in-process (eager Celery, the embedded default), then with real Celery
workers on Redis, including the faults the outbox must survive."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bijlagen.models import Bijlage
from hulpvragen.models import Statuswijziging
from hulpvragen.services import hulpvraag_change_status
from meldingen.models import Notificatie, NotificatieSoort
from meldingen.services import (
    Uitkomst,
    aanvrager_notify,
    notificatie_send,
    notificaties_mislukt,
)
from meldingen.tasks import notificaties_doorsturen
from tests.bijlagen import bestanden as b
from tests.helpers import login
from tests.meldingen.conftest import REDIS_URL, app_sends_to


def status(hulpvraag, naam):
    return hulpvraag.proces.statussen.get(naam=naam)


def tekst_van(bericht) -> str:
    delen = [bericht["Subject"]]
    for deel in bericht.walk():
        if deel.get_content_maintype() == "text":
            delen.append(deel.get_content())
    return "\n".join(delen)


def pupil_data(hulpvraag) -> list[str]:
    leerling = hulpvraag.leerling
    return [
        leerling.voornamen,
        leerling.roepnaam,
        leerling.achternaam,
        leerling.naam,
        leerling.geboortedatum.strftime("%d-%m-%Y"),
        leerling.geboortedatum.isoformat(),
        leerling.bsn,
        hulpvraag.schoolgegevens.school.naam,
    ]


# --- In-process (no broker): content, rules, retries, relay ------------------------------------


def test_loket_change_mails_the_aanvrager_once_without_pupil_data(
    world, smtp_settings, django_capture_on_commit_callbacks
):
    hv = world.hv_a_ingediend
    with django_capture_on_commit_callbacks(execute=True):
        hulpvraag_change_status(
            hulpvraag=hv,
            naar=status(hv, "TLV aanvraag incompleet"),
            door=world.loket,
            toelichting="Het OPP ontbreekt nog.",
        )
    assert len(smtp_settings.berichten) == 1
    bericht = smtp_settings.berichten[0]
    assert bericht["To"] == hv.schoolgegevens.email
    inhoud = tekst_van(bericht)
    assert "TLV VSO" in inhoud
    assert "TLV aanvraag incompleet" in inhoud
    assert "Het OPP ontbreekt nog." in inhoud
    assert status(hv, "TLV aanvraag incompleet").omschrijving[:40] in inhoud
    assert f"https://kindkans.example.nl/hulpvragen/{hv.pk}/" in inhoud
    for gegeven in filter(None, pupil_data(hv)):
        assert gegeven not in inhoud, gegeven
    assert bericht.get_body(("html",)) is not None and bericht.get_body(("plain",)) is not None
    notificatie = Notificatie.objects.get()
    assert notificatie.verzonden_op is not None
    assert notificatie.pogingen == 1


def test_a_bericht_outside_a_status_change_reaches_the_current_aanvrager(
    world, smtp_settings, django_capture_on_commit_callbacks
):
    """What the Aanpak tab and the FA reminder use: the same outbox, the address on
    Schoolgegevens at the moment of writing, no pupil data, escaped in the HTML part."""
    hv = world.hv_a_ingediend
    sg = hv.schoolgegevens
    sg.email = "opvolger@school-a.example"
    sg.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notificatie = aanvrager_notify(
            hulpvraag=hv,
            onderwerp="Aanpak geplaatst",
            tekst="Het samenwerkingsverband heeft de aanpak <besluit> geplaatst.",
        )
    assert notificatie.soort == NotificatieSoort.BERICHT and notificatie.statuswijziging is None
    [bericht] = smtp_settings.berichten
    assert bericht["To"] == "opvolger@school-a.example"
    assert bericht["Subject"] == "Kindkans: TLV VSO – Aanpak geplaatst"
    inhoud = tekst_van(bericht)
    assert "de aanpak <besluit> geplaatst" in bericht.get_body(("plain",)).get_content()
    assert "&lt;besluit&gt;" in bericht.get_body(("html",)).get_content()
    assert f"https://kindkans.example.nl/hulpvragen/{hv.pk}/" in inhoud
    for gegeven in filter(None, pupil_data(hv)):
        assert gegeven not in inhoud, gegeven
    notificatie.refresh_from_db()
    assert notificatie.verzonden_op is not None

    sg.email = ""
    sg.save(update_fields=["email"])
    assert aanvrager_notify(hulpvraag=hv, onderwerp="x", tekst="y") is None


def test_html_part_escapes_what_users_typed(
    world, smtp_settings, django_capture_on_commit_callbacks
):
    hv = world.hv_a_ingediend
    with django_capture_on_commit_callbacks(execute=True):
        hulpvraag_change_status(
            hulpvraag=hv,
            naar=status(hv, "TLV aanvraag incompleet"),
            door=world.loket,
            toelichting="<script>alert(1)</script>",
        )
    html = smtp_settings.berichten[0].get_body(("html",)).get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_smtp_refusal_is_recorded_and_the_relay_delivers_later(
    world, smtp_settings, django_capture_on_commit_callbacks
):
    smtp_settings.weigeren = 1
    hv = world.hv_a_ingediend
    with django_capture_on_commit_callbacks(execute=True):
        hulpvraag_change_status(
            hulpvraag=hv,
            naar=status(hv, "TLV aanvraag incompleet"),
            door=world.loket,
            toelichting="Graag het OPP.",
        )
    notificatie = Notificatie.objects.get()
    assert notificatie.verzonden_op is None
    assert notificatie.pogingen == 1
    assert "451" in notificatie.laatste_fout
    assert smtp_settings.berichten == []
    # Not due yet (backoff); once it is, the beat relay sends it, once.
    assert notificaties_doorsturen() == 0
    Notificatie.objects.update(aangemaakt_op=timezone.now() - timedelta(hours=2))
    assert notificaties_doorsturen() == 1
    assert notificaties_doorsturen() == 0
    assert len(smtp_settings.berichten) == 1


def test_after_the_last_attempt_the_row_is_failed_and_left_alone(
    world, smtp_settings, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIE_MAX_POGINGEN = 2
    settings.NOTIFICATIE_TRAAG_TOT_SECONDEN = 0  # no slow attempts after the fast ones
    smtp_settings.weigeren = 10
    hv = world.hv_a_ingediend
    with django_capture_on_commit_callbacks(execute=True):
        hulpvraag_change_status(
            hulpvraag=hv,
            naar=status(hv, "TLV aanvraag incompleet"),
            door=world.loket,
            toelichting="x",
        )
    notificatie = Notificatie.objects.get()
    assert notificatie_send(notificatie_id=notificatie.pk) is Uitkomst.MISLUKT
    assert list(notificaties_mislukt()) == [notificatie]
    assert notificatie_send(notificatie_id=notificatie.pk) is Uitkomst.NIETS
    Notificatie.objects.update(aangemaakt_op=timezone.now() - timedelta(days=1))
    assert notificaties_doorsturen() == 0
    assert smtp_settings.geweigerd == 2


def test_submission_tells_the_swv_and_not_the_aanvrager_who_made_it(
    world, smtp_settings, django_capture_on_commit_callbacks
):
    from bijlagen.demo import verplichte_bijlagen_toevoegen
    from formulieren.demo import formulier_invullen_en_ondertekenen
    from tests.factories import AdresFactory

    hv = world.hv_a_voorlopig
    AdresFactory(leerling=hv.leerling, organisatie=hv.organisatie)
    formulier_invullen_en_ondertekenen(hulpvraag=hv)  # indienen waits for the signed form
    verplichte_bijlagen_toevoegen(hulpvraag=hv)
    with django_capture_on_commit_callbacks(execute=True):
        hulpvraag_change_status(
            hulpvraag=hv, naar=status(hv, "TLV aanvraag indienen"), door=world.coordinator_a
        )
    assert [m["To"] for m in smtp_settings.berichten] == [world.org.loket_email]
    assert Notificatie.objects.get().soort == NotificatieSoort.SWV_INFORMEREN


# --- The upload fires the engine's event once --------------------------------------------------


@pytest.mark.parametrize("aantal", [1, 3])
def test_one_upload_action_moves_the_status_once(
    client, world, smtp_settings, django_capture_on_commit_callbacks, aantal
):
    hv = world.hv_a_ingediend
    with django_capture_on_commit_callbacks(execute=True):
        hulpvraag_change_status(
            hulpvraag=hv,
            naar=status(hv, "TLV vragen gesteld"),
            door=world.loket,
            toelichting="Zie het document met vragen.",
        )
    smtp_settings.berichten.clear()
    login(client, world.coordinator_a)
    bestanden = [SimpleUploadedFile(f"antwoord{n}.docx", b.docx()) for n in range(aantal)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("bijlagen:lijst", args=[hv.pk]),
            {"bestanden": bestanden, "beantwoordt_vragen": "on"},
        )
    assert response.status_code == 302
    hv.refresh_from_db()
    assert hv.status.naam == "TLV aanvraag aangevuld"
    automatisch = Statuswijziging.objects.filter(hulpvraag=hv, automatisch=True, van__isnull=False)
    assert automatisch.count() == 1
    assert Bijlage.objects.filter(hulpvraag=hv, beantwoordt_vragen=True).count() == aantal
    # The SWV is told once (aangevuld); the aanvrager made the change, so is not mailed.
    assert [m["To"] for m in smtp_settings.berichten] == [world.org.loket_email]


def test_a_second_upload_after_aangevuld_changes_nothing(
    client, world, django_capture_on_commit_callbacks
):
    hv = world.hv_a_ingediend
    hulpvraag_change_status(
        hulpvraag=hv, naar=status(hv, "TLV aanvraag incompleet"), door=world.loket, toelichting="x"
    )
    login(client, world.coordinator_a)
    url = reverse("bijlagen:lijst", args=[hv.pk])
    client.post(url, {"bestanden": [SimpleUploadedFile("a.pdf", b.pdf())]})
    client.post(url, {"bestanden": [SimpleUploadedFile("b.pdf", b.pdf())]})
    assert (
        Statuswijziging.objects.filter(hulpvraag=hv, automatisch=True, van__isnull=False).count()
        == 1
    )


def test_a_refused_upload_fires_nothing(client, world):
    hv = world.hv_a_ingediend
    hulpvraag_change_status(
        hulpvraag=hv, naar=status(hv, "TLV aanvraag incompleet"), door=world.loket, toelichting="x"
    )
    login(client, world.coordinator_a)
    client.post(
        reverse("bijlagen:lijst", args=[hv.pk]),
        {"bestanden": [SimpleUploadedFile("a.pdf", b.pdf()), SimpleUploadedFile("b.pdf", b.exe())]},
    )
    hv.refresh_from_db()
    assert hv.status.naam == "TLV aanvraag incompleet"
    assert not Statuswijziging.objects.filter(
        hulpvraag=hv, automatisch=True, van__isnull=False
    ).exists()


# --- Real workers on Redis ----------------------------------------------------------------------


def _verzonden(pk):
    return Notificatie.objects.filter(pk=pk, verzonden_op__isnull=False).first()


@pytest.mark.django_db(transaction=True)
def test_real_worker_delivers_a_status_change_exactly_once(world, smtp, workers):
    worker = workers()
    hv = world.hv_a_ingediend
    with app_sends_to(REDIS_URL, workers.queue):
        with transaction.atomic():
            hulpvraag_change_status(
                hulpvraag=hv,
                naar=status(hv, "TLV aanvraag incompleet"),
                door=world.loket,
                toelichting="Het OPP ontbreekt.",
            )
        notificatie = Notificatie.objects.get()
        worker.wait_for(lambda: _verzonden(notificatie.pk))
    time.sleep(1.5)  # room for a duplicate to show up, if there were one
    assert len(smtp.berichten) == 1
    inhoud = tekst_van(smtp.berichten[0])
    assert "TLV aanvraag incompleet" in inhoud
    for gegeven in filter(None, pupil_data(hv)):
        assert gegeven not in inhoud
    assert Notificatie.objects.get().pogingen == 1


@pytest.mark.django_db(transaction=True)
def test_real_worker_retries_after_smtp_refusal_and_delivers_once(world, smtp, workers):
    smtp.weigeren = 2
    worker = workers()
    hv = world.hv_a_ingediend
    with app_sends_to(REDIS_URL, workers.queue):
        with transaction.atomic():
            hulpvraag_change_status(
                hulpvraag=hv,
                naar=status(hv, "TLV aanvraag incompleet"),
                door=world.loket,
                toelichting="x",
            )
        notificatie = Notificatie.objects.get()
        verzonden = worker.wait_for(lambda: _verzonden(notificatie.pk), timeout=40)
    assert smtp.geweigerd == 2
    assert len(smtp.berichten) == 1
    assert verzonden.pogingen == 3
    assert "451" in verzonden.laatste_fout


@pytest.mark.django_db(transaction=True)
def test_broker_down_at_commit_does_not_hang_and_mail_arrives_later(world, smtp, workers):
    hv = world.hv_a_ingediend
    # Nothing listens on port 1: the broker is down while the loket changes the status.
    with app_sends_to("redis://127.0.0.1:1/6", workers.queue):
        begin = time.monotonic()
        with transaction.atomic():
            hulpvraag_change_status(
                hulpvraag=hv,
                naar=status(hv, "TLV aanvraag incompleet"),
                door=world.loket,
                toelichting="x",
            )
        duur = time.monotonic() - begin
    assert duur < 2.5, duur
    hv.refresh_from_db()
    assert hv.status.naam == "TLV aanvraag incompleet"
    notificatie = Notificatie.objects.get()
    assert notificatie.verzonden_op is None
    # Redis is back: the beat relay finds the row and sends it, once.
    worker = workers(beat=True)
    worker.wait_for(lambda: _verzonden(notificatie.pk), timeout=40)
    worker.wait_for_relay_runs(2)
    assert len(smtp.berichten) == 1


# --- The beheerder sees failed e-mails and retries them -----------------------------------------


def test_beheerder_sees_failed_mail_with_its_error_and_retries_it(
    client, world, smtp_settings, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIE_MAX_POGINGEN = 1
    settings.NOTIFICATIE_TRAAG_TOT_SECONDEN = 0  # no slow attempts after the fast ones
    smtp_settings.weigeren = 1
    hv = world.hv_a_ingediend
    with django_capture_on_commit_callbacks(execute=True):
        hulpvraag_change_status(
            hulpvraag=hv,
            naar=status(hv, "TLV aanvraag incompleet"),
            door=world.loket,
            toelichting="x",
        )
    notificatie = Notificatie.objects.get()
    login(client, world.beheerder)
    lijst = reverse("admin:meldingen_notificatie_changelist")
    pagina = client.get(lijst, {"toestand": "mislukt"}).content.decode()
    assert notificatie.ontvanger in pagina
    assert "451" in pagina
    assert hv.leerling.achternaam not in pagina
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            lijst, {"action": "opnieuw_proberen", "_selected_action": [notificatie.pk]}
        )
    assert response.status_code == 302
    notificatie.refresh_from_db()
    assert notificatie.verzonden_op is not None
    assert len(smtp_settings.berichten) == 1


def test_beheerder_of_another_organisation_sees_nothing(
    client, world, smtp_settings, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    hv = world.hv_a_ingediend
    with django_capture_on_commit_callbacks(execute=True):
        hulpvraag_change_status(
            hulpvraag=hv,
            naar=status(hv, "TLV aanvraag incompleet"),
            door=world.loket,
            toelichting="x",
        )
    ander = UserFactory(organisatie=world.other_org, rol="beheerder", is_staff=True)
    login(client, ander)
    pagina = client.get(reverse("admin:meldingen_notificatie_changelist")).content.decode()
    assert Notificatie.objects.get().ontvanger not in pagina


# --- More faults --------------------------------------------------------------------------------


def test_double_clicked_status_change_is_one_change_and_one_mail(
    client, world, smtp_settings, django_capture_on_commit_callbacks
):
    hv = world.hv_a_ingediend
    login(client, world.loket)
    data = {
        "naar": status(hv, "TLV aanvraag incompleet").pk,
        "toelichting": "Het OPP ontbreekt.",
        "gezien_status": hv.status_id,
    }
    url = reverse("hulpvragen:status_wijzigen", args=[hv.pk])
    with django_capture_on_commit_callbacks(execute=True):
        eerste = client.post(url, data)
        tweede = client.post(url, data)
    assert eerste.status_code == 302
    assert tweede.status_code in (200, 400, 409)
    assert "intussen gewijzigd" in tweede.content.decode()
    assert Statuswijziging.objects.filter(hulpvraag=hv, van__isnull=False).count() == 1
    assert len(smtp_settings.berichten) == 1


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_send_is_delivered_and_recorded_once(world, smtp, workers):
    smtp.vasthouden = True
    eerste = workers()
    hv = world.hv_a_ingediend
    with app_sends_to(REDIS_URL, workers.queue), transaction.atomic():
        hulpvraag_change_status(
            hulpvraag=hv,
            naar=status(hv, "TLV aanvraag incompleet"),
            door=world.loket,
            toelichting="x",
        )
    notificatie = Notificatie.objects.get()
    eerste.wait_for(lambda: smtp.vastgehouden == 1)
    eerste.stop(kill=True)  # SIGKILL in the middle of the SMTP conversation
    notificatie.refresh_from_db()
    assert notificatie.verzonden_op is None
    smtp.vasthouden = False
    # A new worker with beat: the relay finds the row the dead worker never finished.
    tweede = workers(beat=True)
    verzonden = tweede.wait_for(lambda: _verzonden(notificatie.pk), timeout=40)
    tweede.wait_for_relay_runs(2)
    assert len(smtp.berichten) == 1
    assert verzonden.pogingen == 1


@pytest.mark.django_db(transaction=True)
def test_worker_killed_after_the_server_took_the_mail_sends_it_twice_with_one_message_id(
    world, smtp, workers
):
    """The outbox's guarantee is at least once (docs/bijlagen-en-meldingen.md): the SMTP server
    has the message, the worker dies before it records that; the relay sends the row again. Both
    copies carry the row's Message-ID, so they are recognisably one message; the row ends sent."""
    smtp.na_ontvangst_vasthouden = True
    eerste = workers()
    hv = world.hv_a_ingediend
    with app_sends_to(REDIS_URL, workers.queue), transaction.atomic():
        hulpvraag_change_status(
            hulpvraag=hv,
            naar=status(hv, "TLV aanvraag incompleet"),
            door=world.loket,
            toelichting="x",
        )
    notificatie = Notificatie.objects.get()
    eerste.wait_for(lambda: smtp.vastgehouden == 1)
    eerste.stop(kill=True)  # SIGKILL: the message is with the server, the commit never came
    notificatie.refresh_from_db()
    assert notificatie.verzonden_op is None
    smtp.na_ontvangst_vasthouden = False
    tweede = workers(beat=True)
    tweede.wait_for(lambda: _verzonden(notificatie.pk), timeout=40)
    tweede.wait_for_relay_runs(2)
    assert len(smtp.berichten) == 2
    eerste_kopie, tweede_kopie = smtp.berichten
    assert eerste_kopie["Message-ID"] == tweede_kopie["Message-ID"]
    assert eerste_kopie["Message-ID"].startswith(f"<notificatie-{notificatie.pk}@")
