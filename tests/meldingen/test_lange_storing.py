"""A long SMTP outage: after the fast attempts the outbox keeps trying hourly for three days, the
beheerder's start page warns after an hour, and a resend has the same Message-ID (at-least-once:
docs/bijlagen-en-meldingen.md). Through a real SMTP server (aiosmtpd) in this process."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hulpvragen.services import hulpvraag_change_status
from meldingen.models import Notificatie
from meldingen.services import Uitkomst, max_pogingen, notificatie_send
from meldingen.tasks import notificaties_doorsturen
from tests.helpers import login
from tests.meldingen.test_notificaties import status

pytestmark = pytest.mark.django_db

WAARSCHUWING = "E-mail wordt niet verzonden"


def _wijziging(world, django_capture_on_commit_callbacks) -> Notificatie:
    hv = world.hv_a_ingediend
    with django_capture_on_commit_callbacks(execute=True):
        hulpvraag_change_status(
            hulpvraag=hv,
            naar=status(hv, "TLV aanvraag incompleet"),
            door=world.loket,
            toelichting="Graag het OPP.",
        )
    return Notificatie.objects.get()


def _relay_tot(start, uren: float, stap_minuten: int = 15):
    """Run the beat relay every `stap_minuten` from `start` until `uren` later."""
    stappen = int(uren * 60 / stap_minuten)
    for i in range(1, stappen + 1):
        with time_machine.travel(start + timedelta(minutes=i * stap_minuten), tick=False):
            notificaties_doorsturen()


def test_a_long_outage_is_retried_hourly_and_delivered_when_smtp_is_back(
    world, smtp_settings, django_capture_on_commit_callbacks
):
    smtp_settings.weigeren = 10**6
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        notificatie = _wijziging(world, django_capture_on_commit_callbacks)
    assert notificatie.pogingen == 1  # the on-commit attempt

    # Fast attempts within the first hour; after that about one an hour, and never given up.
    _relay_tot(start, 2)
    notificatie.refresh_from_db()
    assert 6 <= notificatie.pogingen <= 8 and notificatie.verzonden_op is None
    _relay_tot(start + timedelta(hours=2), 46)
    notificatie.refresh_from_db()
    assert 6 + 44 <= notificatie.pogingen <= 6 + 48, notificatie.pogingen
    assert notificatie.pogingen < max_pogingen()  # still "wacht": nothing gave up in 2 days

    smtp_settings.weigeren = 0  # the mail server is back
    _relay_tot(start + timedelta(hours=48), 2)
    notificatie.refresh_from_db()
    assert notificatie.verzonden_op is not None
    assert len(smtp_settings.berichten) == 1


def test_after_three_days_of_outage_the_row_is_given_up(
    world, smtp_settings, django_capture_on_commit_callbacks
):
    smtp_settings.weigeren = 10**6
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        notificatie = _wijziging(world, django_capture_on_commit_callbacks)
    _relay_tot(start, 71, stap_minuten=30)
    notificatie.refresh_from_db()
    assert notificatie.pogingen < max_pogingen()
    _relay_tot(start + timedelta(hours=71), 4, stap_minuten=30)
    notificatie.refresh_from_db()
    assert notificatie.pogingen == max_pogingen() == 6 + 72
    assert notificatie.verzonden_op is None
    # Given up: nothing tries it again (the beheerder's "opnieuw proberen" does).
    _relay_tot(start + timedelta(hours=75), 3, stap_minuten=30)
    notificatie.refresh_from_db()
    assert notificatie.pogingen == 6 + 72


def test_beheerder_start_page_warns_after_an_hour_of_failing_mail(
    client, world, smtp_settings, django_capture_on_commit_callbacks, settings
):
    smtp_settings.weigeren = 10**6
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        notificatie = _wijziging(world, django_capture_on_commit_callbacks)
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        login(client, world.beheerder)
        assert WAARSCHUWING not in client.get(reverse("start")).content.decode()
    with time_machine.travel(start + timedelta(minutes=70), tick=False):
        login(client, world.beheerder)
        pagina = client.get(reverse("start")).content.decode()
    assert WAARSCHUWING in pagina
    assert "1 e-mail wacht al sinds" in pagina
    assert reverse("admin:meldingen_notificatie_changelist") in pagina
    assert world.hv_a_ingediend.leerling.achternaam not in pagina
    # Only the beheerder of that organisation; the loket's start page has no such notice.
    with time_machine.travel(start + timedelta(minutes=70), tick=False):
        login(client, world.loket)
        assert WAARSCHUWING not in client.get(reverse("start")).content.decode()
    # Given up: the notice points at "Mislukte e-mails opnieuw proberen".
    Notificatie.objects.filter(pk=notificatie.pk).update(pogingen=max_pogingen())
    login(client, world.beheerder)
    pagina = client.get(reverse("start")).content.decode()
    assert "Mislukte e-mails opnieuw proberen" in pagina
    # Sent: no notice.
    Notificatie.objects.filter(pk=notificatie.pk).update(verzonden_op=timezone.now())
    assert "Mislukte e-mails opnieuw proberen" not in client.get(reverse("start")).content.decode()


def test_a_resend_after_a_lost_commit_has_the_same_message_id(
    world, smtp_settings, django_capture_on_commit_callbacks
):
    """At-least-once: the SMTP server accepted the mail, but the sender's commit never happened
    (a worker killed in between). The row is sent again, with the same Message-ID, so the two
    copies are recognisably one message."""
    smtp_settings.weigeren = 10**6
    notificatie = _wijziging(world, django_capture_on_commit_callbacks)
    smtp_settings.weigeren = 0
    with pytest.raises(RuntimeError), transaction.atomic():
        assert notificatie_send(notificatie_id=notificatie.pk) is Uitkomst.VERZONDEN
        raise RuntimeError("de worker stierf voor de commit")
    notificatie.refresh_from_db()
    assert notificatie.verzonden_op is None
    assert notificatie_send(notificatie_id=notificatie.pk) is Uitkomst.VERZONDEN
    eerste, tweede = smtp_settings.berichten
    assert eerste["Message-ID"] == tweede["Message-ID"]
    assert eerste["Message-ID"].startswith(f"<notificatie-{notificatie.pk}@")
    # Another row: another Message-ID.
    notificatie.refresh_from_db()
    assert notificatie.verzonden_op is not None
