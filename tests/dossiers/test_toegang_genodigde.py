"""Toegang for an invited outsider (genodigde): time-limited, audited, one hulpvraag only.
The loket invites for the SWV; a school invites for its own internal overlegronde, which the loket
does not see."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Rol, User
from audit.models import Inzage
from hulpvragen.models import Toegang
from hulpvragen.services_toegang import toegang_invite
from hulpvragen.tabs import tab_url
from tests.factories import TEST_PASSWORD
from tests.helpers import login

pytestmark = pytest.mark.django_db


def tab(hv, slug):
    return tab_url(hv.pk, slug)


@pytest.fixture
def verschuif_tijd(monkeypatch):
    """Move the clock forward (django.utils.timezone.now, which localdate reads too). Sessions
    expire with it, so tests log in again afterwards."""
    echt = timezone.now

    def naar(dagen: int) -> None:
        monkeypatch.setattr(timezone, "now", lambda: echt() + dt.timedelta(days=dagen))

    return naar


def uitnodigen(client, hv, *, email="j.deboer@jeugdzorg.example", dagen=14, **extra):
    data = {
        "uitnodigen": "1",
        "uitnodiging-voornaam": "Jelle",
        "uitnodiging-achternaam": "de Boer",
        "uitnodiging-email": email,
        "uitnodiging-geldig_tot": (timezone.localdate() + dt.timedelta(days=dagen)).strftime(
            "%d-%m-%Y"
        ),
        "uitnodiging-reden": "Overleg jeugdhulp",
        **extra,
    }
    return client.post(tab(hv, "toegang"), data)


def test_loket_invites_an_outsider_who_reads_the_dossier_until_the_end_date(
    client, world, verschuif_tijd, django_capture_on_commit_callbacks
):
    hv = world.hv_a_ingediend
    login(client, world.loket)
    with django_capture_on_commit_callbacks(execute=True):
        response = uitnodigen(client, hv)
    assert response.status_code == 302
    genodigde = User.objects.get(rol=Rol.GENODIGDE)
    assert genodigde.organisatie == world.org
    assert genodigde.username == "j.deboer@jeugdzorg.example"
    assert not genodigde.has_usable_password()  # the invitee sets it through the mail's link
    toegang = Toegang.objects.get(gebruiker=genodigde)
    assert toegang.hulpvraag == hv and not toegang.schoolintern
    assert toegang.geldig_tot == timezone.localdate() + dt.timedelta(days=14)
    # The invitation: a password link, the organisation, no pupil data.
    (bericht,) = mail.outbox
    assert bericht.to == ["j.deboer@jeugdzorg.example"]
    assert "/wachtwoord-herstellen/" in bericht.body and world.org.naam in bericht.body
    assert hv.leerling.achternaam not in bericht.body
    # Audited.
    assert Inzage.objects.filter(
        hulpvraag_id=hv.pk, actie="toegang_verleend", gebruiker=world.loket
    ).exists()
    # The loket sees the invitation on the Toegang tab.
    body = client.get(tab(hv, "toegang")).content.decode()
    assert "Jelle de Boer" in body and "genodigde" in body

    # The invitee sets a password through the link, then logs in like everyone (+ app).
    link = re.search(r"http\S+/wachtwoord-herstellen/\S+", bericht.body).group(0)
    client.logout()
    pad = link.split("127.0.0.1:8000", 1)[1]
    response = client.get(pad, follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": TEST_PASSWORD, "new_password2": TEST_PASSWORD},
    )
    genodigde.refresh_from_db()
    assert genodigde.check_password(TEST_PASSWORD)

    login(client, genodigde)
    assert client.get(reverse("hulpvragen:detail", args=[hv.pk])).status_code == 200
    assert client.get(tab(hv, "basisgegevens")).status_code == 200
    gedeeld = client.get(reverse("hulpvragen:gedeeld"))
    assert gedeeld.status_code == 200
    assert reverse("hulpvragen:detail", args=[hv.pk]) in gedeeld.content.decode()
    # Through the last day of geldig_tot …
    verschuif_tijd(14)
    login(client, genodigde)
    assert client.get(reverse("hulpvragen:detail", args=[hv.pk])).status_code == 200
    # … and not one day later: 404 at once, and the shared list is empty.
    verschuif_tijd(15)
    login(client, genodigde)
    assert client.get(reverse("hulpvragen:detail", args=[hv.pk])).status_code == 404
    assert client.get(tab(hv, "basisgegevens")).status_code == 404
    gedeeld = client.get(reverse("hulpvragen:gedeeld")).content.decode()
    assert reverse("hulpvragen:detail", args=[hv.pk]) not in gedeeld


def test_genodigde_sees_nothing_else(client, world):
    hv = world.hv_a_ingediend
    toegang_invite(
        hulpvraag=hv,
        door=world.loket,
        email="extern@example.org",
        voornaam="Ex",
        achternaam="Tern",
        geldig_tot=timezone.localdate() + dt.timedelta(days=3),
    )
    genodigde = User.objects.get(rol=Rol.GENODIGDE)
    login(client, genodigde)
    # Never the Hulpvragen screen, its column chooser or the new-dossier wizard.
    assert client.get(reverse("hulpvragen:lijst")).status_code == 404
    assert client.get(reverse("hulpvragen:kolommen")).status_code == 404
    assert client.get(reverse("dossiers:toevoegen")).status_code == 404
    # Any other hulpvraag, also one of the same pupil's school or another organisation: 404.
    for other in (world.hv_a_voorlopig, world.hv_b_ingediend, world.hv_other_org):
        assert client.get(reverse("hulpvragen:detail", args=[other.pk])).status_code == 404
    # No Toegang tab, no notes; no changes on a tab it reads.
    for slug in ("toegang", "notities"):
        assert client.get(tab(hv, slug)).status_code == 404
    assert client.post(tab(hv, "overlegronde"), {"plaats": "X"}).status_code == 404
    response = client.post(
        tab(hv, "basisgegevens"),
        {"straat": "X", "huisnummer": "1", "postcode": "1234 AB", "woonplaats": "Y"},
    )
    assert response.status_code == 404
    start = client.get(reverse("start")).content.decode()
    assert "Gedeelde dossiers" in start and reverse("hulpvragen:lijst") + '"' not in start


def test_school_invites_for_its_internal_round_which_the_loket_does_not_see(client, world):
    hv = world.hv_a_ingediend
    login(client, world.coordinator_a)
    body = client.get(tab(hv, "toegang")).content.decode()
    assert "Buitenstaander uitnodigen" in body and "Toegang verlenen" not in body
    assert uitnodigen(client, hv, email="ambulant@begeleiding.example").status_code == 302
    toegang = Toegang.objects.get(gebruiker__email="ambulant@begeleiding.example")
    assert toegang.schoolintern and toegang.verleend_door == world.coordinator_a
    body = client.get(tab(hv, "toegang")).content.decode()
    assert "interne overlegronde van de school" in body and "Intrekken" in body

    login(client, world.loket)
    body = client.get(tab(hv, "toegang")).content.decode()
    assert "ambulant@begeleiding.example" not in body
    assert "Jelle de Boer" not in body
    # Nor can the loket revoke it (it does not exist for the loket).
    assert client.post(tab(hv, "toegang"), {"intrekken": toegang.pk}).status_code == 404

    # The school revokes; audited; the invitee loses access at once.
    login(client, world.coordinator_a)
    assert client.post(tab(hv, "toegang"), {"intrekken": toegang.pk}).status_code == 302
    toegang.refresh_from_db()
    assert toegang.ingetrokken_op is not None
    assert Inzage.objects.filter(
        hulpvraag_id=hv.pk, actie="toegang_ingetrokken", gebruiker=world.coordinator_a
    ).exists()
    login(client, toegang.gebruiker)
    assert client.get(reverse("hulpvragen:detail", args=[hv.pk])).status_code == 404


def test_school_cannot_revoke_the_loket_grants_nor_invite_for_another_school(client, world):
    deskundige_toegang = toegang_invite(
        hulpvraag=world.hv_a_ingediend,
        door=world.loket,
        email="swv-extern@example.org",
        voornaam="A",
        achternaam="B",
        geldig_tot=timezone.localdate(),
    )
    login(client, world.coordinator_a)
    response = client.post(
        tab(world.hv_a_ingediend, "toegang"), {"intrekken": deskundige_toegang.pk}
    )
    assert response.status_code == 404
    assert uitnodigen(client, world.hv_b_ingediend).status_code == 404
    login(client, world.bestuurder_a)
    assert uitnodigen(client, world.hv_a_ingediend).status_code == 404
    login(client, world.deskundige)
    assert uitnodigen(client, world.hv_a_ingediend).status_code == 404
    assert Toegang.objects.count() == 1


def test_invitation_refuses_staff_addresses_and_dates_out_of_range(client, world, settings):
    hv = world.hv_a_ingediend
    login(client, world.loket)
    response = uitnodigen(client, hv, email=world.collega_b.email)
    assert response.status_code == 400
    assert "gebruiker van het samenwerkingsverband of een school" in response.content.decode()
    response = uitnodigen(client, hv, dagen=-1)
    assert response.status_code == 400 and "Kies een einddatum" in response.content.decode()
    response = uitnodigen(client, hv, dagen=settings.TOEGANG_UITNODIGING_MAX_DAGEN + 1)
    assert response.status_code == 400
    assert not User.objects.filter(rol=Rol.GENODIGDE).exists()
    assert not Toegang.objects.exists()


def test_second_invitation_reuses_the_account_and_expired_grant_restarts(
    client, world, verschuif_tijd
):
    hv = world.hv_a_ingediend
    login(client, world.loket)
    uitnodigen(client, hv, dagen=1)
    uitnodigen(client, world.hv_b_ingediend, dagen=5)
    genodigde = User.objects.get(rol=Rol.GENODIGDE)
    assert Toegang.objects.filter(gebruiker=genodigde).count() == 2
    # After expiry a new invitation for the same hulpvraag starts a new grant; the old row stays.
    verschuif_tijd(3)
    login(client, world.loket)
    uitnodigen(client, hv, dagen=4)
    rijen = Toegang.objects.filter(gebruiker=genodigde, hulpvraag=hv).order_by("pk")
    assert [r.ingetrokken_op is not None for r in rijen] == [True, False]
    login(client, genodigde)
    assert client.get(reverse("hulpvragen:detail", args=[hv.pk])).status_code == 200


def test_deskundige_grant_with_end_date_expires_too(client, world, verschuif_tijd):
    hv = world.hv_a_ingediend
    login(client, world.loket)
    eind = timezone.localdate() + dt.timedelta(days=2)
    client.post(
        tab(hv, "toegang"),
        {"gebruiker": world.deskundige.pk, "geldig_tot": eind.strftime("%d-%m-%Y")},
    )
    login(client, world.deskundige)
    assert client.get(reverse("hulpvragen:detail", args=[hv.pk])).status_code == 200
    verschuif_tijd(3)
    login(client, world.deskundige)
    assert client.get(reverse("hulpvragen:detail", args=[hv.pk])).status_code == 404
    assert client.get(reverse("hulpvragen:lijst")).status_code == 200
    assert (
        reverse("hulpvragen:detail", args=[hv.pk])
        not in client.get(reverse("hulpvragen:lijst")).content.decode()
    )


def test_toegang_tab_query_count_does_not_grow_with_invitations(
    client, world, django_assert_max_num_queries
):
    hv = world.hv_a_ingediend
    login(client, world.coordinator_a)
    uitnodigen(client, hv, email="een@example.org")
    reset_queries()  # the query log is a bounded deque; start counting from empty
    with CaptureQueriesContext(connection) as eerst:
        assert client.get(tab(hv, "toegang")).status_code == 200
    aantal = len(eerst.captured_queries)
    assert 0 < aantal <= 16
    for i in range(5):
        uitnodigen(client, hv, email=f"extra{i}@example.org")
    assert Toegang.objects.filter(hulpvraag=hv).count() == 6
    with django_assert_max_num_queries(aantal):
        assert client.get(tab(hv, "toegang")).status_code == 200


def test_genodigde_reads_the_rounds_of_whoever_invited_them(client, world):
    """Invited by the loket: the SWV's meetings about this hulpvraag, not the school's internal
    rounds; invited by the school: its internal rounds only. Read-only: no planning, no
    inviting."""
    from loket.models import Agendapunt, VergaderingSoort
    from loket.services_vergaderingen import interne_overlegronde_create, vergadering_create

    hv = world.hv_a_ingediend
    morgen = timezone.localdate() + dt.timedelta(days=1)
    swv = vergadering_create(
        door=world.loket,
        soort=VergaderingSoort.PRO,
        datum=morgen,
        tijd=dt.time(10, 0),
        plaats="Zaal SWV",
    )
    # Set-up only: the loket's agenda takes PrO hulpvragen; this one is a TLV.
    Agendapunt.objects.create(organisatie=world.org, vergadering=swv, hulpvraag=hv)
    interne_overlegronde_create(
        hulpvraag=hv, door=world.coordinator_a, datum=morgen, tijd=dt.time(9, 0), plaats="Lokaal 12"
    )
    uitnodiging = {"voornaam": "Ex", "achternaam": "Tern", "geldig_tot": morgen}
    van_loket = toegang_invite(
        hulpvraag=hv, door=world.loket, email="swv-gast@example.org", **uitnodiging
    ).gebruiker
    van_school = toegang_invite(
        hulpvraag=hv, door=world.coordinator_a, email="school-gast@example.org", **uitnodiging
    ).gebruiker
    login(client, van_loket)
    body = client.get(tab(hv, "overlegronde")).content.decode()
    assert "Zaal SWV" in body and "Lokaal 12" not in body
    assert "Uitnodigen" not in body and "Interne overlegronde plannen" not in body
    login(client, van_school)
    body = client.get(tab(hv, "overlegronde")).content.decode()
    assert "Lokaal 12" in body and "Zaal SWV" not in body
