"""The TLV renewal reminder delivered through a real SMTP server (aiosmtpd, eager Celery as in the
embedded mode): one message to the aanvrager with the einddatum and the link, no pupil data in
any part, and the outbox row marked sent."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from besluiten.services import tlv_record
from besluiten.tasks import tlv_verlenging_herinneren
from hulpvragen.models import HulpvraagType
from meldingen.models import Notificatie
from tests.factories import SchoolgegevensFactory, make_hulpvraag
from tests.meldingen.test_notificaties import pupil_data, tekst_van


def test_the_renewal_reminder_arrives_once_without_pupil_data(
    world,
    smtp_settings,  # tests/meldingen/conftest.py
    django_capture_on_commit_callbacks,
):
    vandaag = timezone.localdate()
    sg = SchoolgegevensFactory(
        school=world.school_a, aanvrager=world.coordinator_a, email="zorg@school-a.example"
    )
    hv = make_hulpvraag(
        schoolgegevens=sg,
        door=world.coordinator_a,
        type=HulpvraagType.PRO,
        status="PrO aanvraag indienen",
    )
    einddatum = vandaag + timedelta(weeks=10)
    with django_capture_on_commit_callbacks(execute=True):
        tlv_record(
            hulpvraag=hv,
            door=world.loket,
            soort="PRO",
            ingangsdatum=vandaag - timedelta(days=700),
            einddatum=einddatum,
        )
    smtp_settings.berichten.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tlv_verlenging_herinneren() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tlv_verlenging_herinneren() == 0
    [bericht] = smtp_settings.berichten
    datum = einddatum.strftime("%d-%m-%Y")
    assert bericht["To"] == "zorg@school-a.example"
    # A long subject is folded on the wire; compare the unfolded words.
    assert (
        " ".join(str(bericht["Subject"]).split())
        == f"Kindkans: Praktijkonderwijs – TLV loopt af op {datum}"
    )
    inhoud = tekst_van(bericht)
    assert "nieuwe aanvraag" in inhoud and datum in inhoud
    assert f"https://kindkans.example.nl/hulpvragen/{hv.pk}/" in inhoud
    for gegeven in filter(None, pupil_data(hv)):
        assert gegeven not in inhoud, gegeven
    notificatie = Notificatie.objects.get(hulpvraag=hv, soort="bericht")
    assert notificatie.verzonden_op is not None
