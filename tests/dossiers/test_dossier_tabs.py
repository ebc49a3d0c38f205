"""Basisgegevens with "+ Adres toevoegen", editable Schoolgegevens, private Mijn notities, and
Toegang where the loket grants and revokes read access (audited)."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from audit.models import Inzage
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.models import Notitie, Toegang
from hulpvragen.tabs import tab_url
from tests.factories import AdresFactory, UserFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db


def tab(hv, slug):
    return tab_url(hv.pk, slug)


def test_basisgegevens_shows_address_history_and_adds_a_new_current_address(client, world):
    hv = world.hv_a_ingediend
    AdresFactory(leerling=hv.leerling, straat="Oudeweg", ingangsdatum="2020-01-01")
    login(client, world.coordinator_a)
    body = client.get(tab(hv, "basisgegevens")).content.decode()
    assert "+ Adres toevoegen" in body and "Oudeweg" in body
    response = client.post(
        tab(hv, "basisgegevens"),
        {
            "straat": "Nieuwelaan",
            "huisnummer": "3",
            "postcode": "7312cd",
            "woonplaats": "Apeldoorn",
            "ingangsdatum": "01-09-2025",
        },
    )
    assert response.status_code == 302
    adressen = list(hv.leerling.adressen.all())
    assert [a.straat for a in adressen] == ["Nieuwelaan", "Oudeweg"]
    assert adressen[0].postcode == "7312 CD"
    body = client.get(tab(hv, "basisgegevens")).content.decode()
    assert body.index("Nieuwelaan") < body.index("actueel") < body.index("Oudeweg")
    assert Inzage.objects.filter(onderdeel="basisgegevens", actie="gewijzigd").exists()


def test_adres_errors_are_dutch(client, world):
    login(client, world.coordinator_a)
    response = client.post(tab(world.hv_a_ingediend, "basisgegevens"), {"postcode": "x"})
    assert response.status_code == 400
    assert "Vul een postcode in als 1234 AB." in response.content.decode()


@pytest.mark.parametrize("persona", ["bestuurder_a", "deskundige"])
def test_readers_cannot_add_addresses_or_edit_schoolgegevens(client, world, persona):
    hv = world.hv_a_ingediend
    from tests.factories import grant_toegang

    grant_toegang(hulpvraag=hv, gebruiker=world.deskundige)
    login(client, getattr(world, persona))
    assert "+ Adres toevoegen" not in client.get(tab(hv, "basisgegevens")).content.decode()
    assert client.post(tab(hv, "basisgegevens"), {"straat": "x"}).status_code == 404
    assert client.post(tab(hv, "schoolgegevens"), {"email": "x@y.nl"}).status_code == 404


def test_schoolgegevens_edit_reroutes_notifications_after_personeelswijziging(client, world):
    hv = world.hv_a_ingediend
    nieuw = UserFactory(organisatie=world.org, rol="school", scholen=[world.school_a])
    login(client, world.coordinator_a)
    body = client.get(tab(hv, "schoolgegevens"), {"bewerken": 1}).content.decode()
    for label in ("Aanvrager", "Contactpersoon", "E-mailadres", "School", "Leerjaar / groep"):
        assert label in body
    assert "Einddatum" not in body
    response = client.post(
        tab(hv, "schoolgegevens"),
        {
            "school": world.school_a.pk,
            "leerjaar_groep": "3",
            "doublures": "1",
            "aanvrager": nieuw.pk,
            "contactpersoon": "Nieuwe Coördinator",
            "email": "nieuw@school-a.example",
        },
    )
    assert response.status_code == 302
    hv.schoolgegevens.refresh_from_db()
    assert hv.schoolgegevens.email == "nieuw@school-a.example"
    assert hv.schoolgegevens.aanvrager == nieuw
    assert (hv.schoolgegevens.leerjaar, hv.schoolgegevens.doublures) == (3, 1)


def test_schoolgegevens_refuses_school_and_aanvrager_outside_the_user(client, world):
    hv = world.hv_a_ingediend
    login(client, world.coordinator_a)
    response = client.post(
        tab(hv, "schoolgegevens"),
        {
            "school": world.school_b.pk,
            "leerjaar_groep": "9",
            "doublures": "0",
            "aanvrager": world.collega_b.pk,
            "contactpersoon": "X",
            "email": "x@example.nl",
        },
    )
    assert response.status_code == 400
    hv.schoolgegevens.refresh_from_db()
    assert hv.schoolgegevens.school == world.school_a


def test_mijn_notities_are_private_to_their_author(client, world):
    hv = world.hv_a_ingediend
    login(client, world.coordinator_a)
    client.post(tab(hv, "notities"), {"tekst": "Bellen met mentor"})
    assert "Bellen met mentor" in client.get(tab(hv, "notities")).content.decode()
    login(client, world.bestuurder_a)
    assert "Bellen met mentor" not in client.get(tab(hv, "notities")).content.decode()
    login(client, world.loket)
    assert "Bellen met mentor" not in client.get(tab(hv, "notities")).content.decode()
    assert Notitie.objects.get().auteur == world.coordinator_a


def test_toegang_lists_who_sees_and_why_and_the_loket_grants_and_revokes(client, world):
    hv = world.hv_a_ingediend
    login(client, world.loket)
    body = client.get(tab(hv, "toegang")).content.decode()
    assert "Ondersteuningscoördinator van School A" in body
    assert html.escape(str(world.coordinator_a)) in body
    assert html.escape(str(world.bestuurder_a)) in body
    assert "Loket van het samenwerkingsverband" in body
    response = client.post(
        tab(hv, "toegang"), {"gebruiker": world.deskundige.pk, "reden": "Advies"}
    )
    assert response.status_code == 302
    assert hv in hulpvragen_visible_to(world.deskundige)
    toegang = Toegang.objects.get(hulpvraag=hv, gebruiker=world.deskundige)
    assert toegang.verleend_door == world.loket
    client.post(tab(hv, "toegang"), {"intrekken": toegang.pk})
    assert hv not in hulpvragen_visible_to(world.deskundige)
    toegang.refresh_from_db()
    assert toegang.ingetrokken_op is not None  # the history stays
    acties = list(
        Inzage.objects.filter(hulpvraag_id=hv.pk, onderdeel="toegang")
        .exclude(actie="bekeken")
        .values_list("actie", flat=True)
    )
    assert sorted(acties) == ["toegang_ingetrokken", "toegang_verleend"]
    login(client, world.deskundige)
    assert client.get(reverse("hulpvragen:detail", args=[hv.pk])).status_code == 404


def test_only_the_loket_grants(client, world):
    hv = world.hv_a_ingediend
    login(client, world.coordinator_a)
    body = client.get(tab(hv, "toegang")).content.decode()
    assert "Toegang verlenen" not in body
    response = client.post(tab(hv, "toegang"), {"gebruiker": world.deskundige.pk})
    assert response.status_code == 404
    assert not Toegang.objects.exists()


def test_loket_cannot_grant_to_a_non_deskundige_or_revoke_elsewhere(client, world):
    hv = world.hv_a_ingediend
    login(client, world.loket)
    response = client.post(tab(hv, "toegang"), {"gebruiker": world.outsider.pk})
    assert response.status_code == 400
    assert client.post(tab(hv, "toegang"), {"intrekken": "999"}).status_code == 404


def test_voorlopige_aanvraag_toegang_says_the_swv_does_not_see_it(client, world):
    login(client, world.coordinator_a)
    body = client.get(tab(world.hv_a_voorlopig, "toegang")).content.decode()
    assert "ziet deze hulpvraag nog niet" in body
