"""Two beheer screens in the browser: the loket's personeelswijziging (preview, then apply) and the
beheerder's audit log search answering "who saw this child's dossier?"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.helpers import browser_login, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_loket_previews_and_applies_a_personeelswijziging(page, live_server, world):
    from accounts.models import Rol
    from dossiers.models import Schoolgegevens
    from tests.factories import UserFactory

    opvolger = UserFactory(
        organisatie=world.org,
        username="opvolger",
        first_name="Olga",
        last_name="Opvolger",
        email="olga@school-a.example",
        rol=Rol.SCHOOL,
        scholen=[world.school_a],
    )
    zichtbaar = world.hv_a_ingediend  # the loket sees it; hv_a_voorlopig it does not
    url = reverse("beheer:personeelswijziging_nieuw")
    browser_login(page, live_server, world.loket, next_url=url)
    page.get_by_role("heading", name="Nieuwe personeelswijziging").wait_for()

    page.get_by_label(re.compile(r"^School:?$")).select_option(value=str(world.school_a.pk))
    page.get_by_label("Vertrekkende ondersteuningscoördinator").select_option(
        value=str(world.coordinator_a.pk)
    )
    page.get_by_label("Nieuwe ondersteuningscoördinator").select_option(value=str(opvolger.pk))
    page.get_by_label("Startdatum opvolger").fill(
        (timezone.localdate() + dt.timedelta(days=7)).strftime("%d-%m-%Y")
    )
    # No "Toepassen" before a preview.
    assert page.get_by_role("button", name="Toepassen").count() == 0
    page.get_by_role("button", name="Voorbeeld tonen").click()

    voorbeeld = page.get_by_role("region", name="Voorbeeld: dit wordt gewijzigd")
    voorbeeld.wait_for()
    tekst = voorbeeld.inner_text()
    assert "2 schoolgegevens krijgen de nieuwe aanvrager" in tekst
    assert zichtbaar.leerling.naam in tekst
    assert world.hv_a_voorlopig.leerling.naam not in tekst
    assert "Van 1 open hulpvraag ziet u alleen het dossiernummer, het type en de status" in tekst
    # Nothing changed yet.
    assert Schoolgegevens.objects.get(pk=zichtbaar.schoolgegevens_id).aanvrager == (
        world.coordinator_a
    )

    page.get_by_role("button", name="Toepassen").click()
    page.get_by_text("De personeelswijziging is toegepast op 2 schoolgegevens.").wait_for()
    assert page.get_by_role("heading", name="Personeelswijziging · School A").is_visible()
    sg = Schoolgegevens.objects.get(pk=zichtbaar.schoolgegevens_id)
    assert (sg.aanvrager, sg.email) == (opvolger, "olga@school-a.example")
    # Undo is offered until the start date.
    assert page.get_by_role("button", name="Ongedaan maken").count() == 1


def test_beheerder_finds_who_saw_a_childs_dossier(page, live_server, world, client):
    from audit.models import Inzage
    from tests.factories import grant_toegang

    hv = world.hv_a_ingediend
    grant_toegang(hulpvraag=hv, gebruiker=world.deskundige)
    # Who looked, through the screens they use (the test client shares the live database).
    for persona, ip in ((world.loket, "192.0.2.10"), (world.deskundige, "192.0.2.20")):
        login(client, persona)
        assert (
            client.get(reverse("hulpvragen:detail", args=[hv.pk]), REMOTE_ADDR=ip).status_code
            == 200
        )
    login(client, world.collega_b)
    client.get(
        reverse("hulpvragen:detail", args=[world.hv_b_ingediend.pk]), REMOTE_ADDR="192.0.2.99"
    )
    assert Inzage.objects.filter(leerling_id=hv.leerling_id).count() >= 2

    browser_login(page, live_server, world.beheerder, next_url=reverse("beheer:auditlog"))
    page.get_by_role("heading", name="Auditlog").wait_for()
    page.get_by_label("Dossiernummer").fill(str(hv.leerling_id))
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**dossier=*")

    rijen = page.locator("table.tabel tbody tr")
    rijen.first.wait_for()
    tabel = page.locator("table.tabel").inner_text()
    assert world.loket.get_full_name() in tabel and "192.0.2.10" in tabel
    assert world.deskundige.get_full_name() in tabel and "192.0.2.20" in tabel
    # Another pupil's viewer and address are not in this child's answer.
    assert "192.0.2.99" not in tabel
    assert str(world.hv_b_ingediend.pk) not in [
        c.strip() for c in page.locator("table.tabel tbody td:nth-child(6)").all_inner_texts()
    ]
    # Nothing in the page names the pupil (ids only).
    assert escape(hv.leerling.achternaam) not in page.content()
