"""The Aanpak tab through the pages: the loket posts the beschikking and the agreed approach, the
school gets an e-mail without pupil data through the outbox and reads it on the tab."""

from __future__ import annotations

import pytest
from django.urls import reverse

from loket.models import Aanpak
from meldingen.models import Notificatie
from tests.factories import grant_toegang
from tests.helpers import login


def tab(hulpvraag):
    return reverse("hulpvragen:tab", args=[hulpvraag.pk, "aanpak"])


def test_loket_posts_school_is_mailed_and_reads_it(
    client, world, ingediend, mailoutbox, django_capture_on_commit_callbacks
):
    fa = ingediend("FA")
    login(client, world.loket)
    assert "nog geen aanpak" in client.get(tab(fa)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            tab(fa),
            {
                "beschikking": "Arrangement toegekend: 4 uur begeleiding per week.",
                "aanpak": "Mentor en begeleider evalueren elke 6 weken.",
            },
        )
    assert response.status_code == 302
    notificatie = Notificatie.objects.get(soort="bericht")
    assert notificatie.ontvanger == fa.schoolgegevens.email
    assert notificatie.verzonden_op is not None
    (mail,) = [m for m in mailoutbox if "nieuwe aanpak" in m.subject]
    assert mail.to == [fa.schoolgegevens.email]
    inhoud = mail.body + mail.alternatives[0][0]
    assert f"/hulpvragen/{fa.pk}/" in inhoud and "tabblad Aanpak" in inhoud
    leerling = fa.leerling
    for gegeven in (leerling.roepnaam, leerling.achternaam, "4 uur begeleiding", "Mentor"):
        assert gegeven not in inhoud, gegeven

    for persona in (world.coordinator_a, world.bestuurder_a, world.loket):
        login(client, persona)
        page = client.get(tab(fa)).content.decode()
        assert "Arrangement toegekend: 4 uur begeleiding per week." in page
        assert "Mentor en begeleider evalueren elke 6 weken." in page


def test_a_new_aanpak_is_added_on_top_and_the_old_one_stays(client, world, ingediend):
    fa = ingediend("FA")
    login(client, world.loket)
    client.post(tab(fa), {"beschikking": "Eerste", "aanpak": "A"})
    client.post(tab(fa), {"beschikking": "Tweede", "aanpak": "B"})
    page = client.get(tab(fa)).content.decode()
    assert page.index("Tweede") < page.index("Eerste")
    assert Aanpak.objects.filter(hulpvraag=fa).count() == 2


def test_empty_fields_are_refused(client, world, ingediend):
    fa = ingediend("FA")
    login(client, world.loket)
    response = client.post(tab(fa), {"beschikking": "", "aanpak": ""})
    assert response.status_code == 400
    assert not Aanpak.objects.exists()
    assert not Notificatie.objects.filter(soort="bericht").exists()


@pytest.mark.parametrize("persona", ["coordinator_a", "bestuurder_a", "deskundige"])
def test_only_the_loket_posts(client, world, ingediend, persona):
    fa = ingediend("FA")
    grant_toegang(hulpvraag=fa, gebruiker=world.deskundige, door=world.loket)
    login(client, getattr(world, persona))
    assert client.get(tab(fa)).status_code == 200
    assert client.post(tab(fa), {"beschikking": "x", "aanpak": "y"}).status_code == 404
    assert not Aanpak.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "collega_b", "deskundige", "beheerder"])
def test_others_get_404(client, world, ingediend, persona):
    fa = ingediend("FA")
    login(client, world.loket)
    client.post(tab(fa), {"beschikking": "Geheim", "aanpak": "Geheim"})
    login(client, getattr(world, persona))
    assert client.get(tab(fa)).status_code == 404
    assert client.post(tab(fa), {"beschikking": "x", "aanpak": "y"}).status_code == 404
