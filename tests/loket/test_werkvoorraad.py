"""The werkvoorraad through the pages the loket uses: which hulpvragen it lists, the decision
clock with the time moved (time-machine), assigning coördinator and labels, the settings, who
may see it, and a constant number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Rol
from hulpvragen.models import Hulpvraag, Label
from loket.models import Termijn
from tests.bijlagen import bestanden as b
from tests.factories import UserFactory
from tests.helpers import login
from tests.loket.conftest import status

T0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
WERKVOORRAAD = reverse("loket:werkvoorraad")


def op(dagen: int):
    return time_machine.travel(T0 + timedelta(days=dagen), tick=False)


def rij(response, hulpvraag) -> str:
    """The HTML of the hulpvraag's row on the page ("" when it is not listed)."""
    tekst = response.content.decode()
    start = tekst.find(f'id="hv-{hulpvraag.pk}"')
    if start == -1:
        return ""
    return tekst[start : tekst.find("</tr>", start)]


def test_lists_submitted_hulpvragen_with_days_and_deadline(client, world, ingediend):
    with op(0):
        tlv = ingediend("TLV_VSO")
    with op(10):
        login(client, world.loket)
        response = client.get(WERKVOORRAAD)
    assert response.status_code == 200
    html = rij(response, tlv)
    assert "TLV aanvraag indienen" in html
    assert "<td>10</td>" in html  # days since indienen
    assert (T0 + timedelta(weeks=8)).strftime("%d-%m-%Y") in html
    assert "Termijn verstreken" not in html
    # A voorlopige aanvraag and a hulpvraag of another SWV are not on it.
    assert rij(response, world.hv_a_voorlopig) == ""
    assert rij(response, world.hv_other_org) == ""


def test_full_clock_round_trip_with_pause_and_overdue(client, world, ingediend):
    """Submitted on day 0; the loket finds it incomplete on day 5 (clock stops); the school
    uploads on day 15 (aangevuld, clock runs again): the deadline moves 10 days to day 66."""
    with op(0):
        tlv = ingediend("TLV_VSO")
    with op(5):
        login(client, world.loket)
        response = client.post(
            reverse("hulpvragen:status_wijzigen", args=[tlv.pk]),
            {
                "naar": status(tlv, "TLV aanvraag incompleet").pk,
                "gezien_status": tlv.status_id,
                "toelichting": "Het OPP ontbreekt.",
            },
        )
        assert response.status_code == 302
        assert Termijn.objects.get(hulpvraag=tlv).pauze_sinds == T0 + timedelta(days=5)
    with op(12):
        login(client, world.loket)
        response = client.get(WERKVOORRAAD)
        assert rij(response, tlv) == ""  # waiting for the school, not for the SWV
        response = client.get(WERKVOORRAAD + "?weergave=bij_school")
        assert "klok staat stil" in rij(response, tlv)
        # While paused the deadline shown moves with the pause: 56 + (12 - 5) days.
        assert (T0 + timedelta(days=63)).strftime("%d-%m-%Y") in rij(response, tlv)
    with op(15):
        login(client, world.coordinator_a)
        response = client.post(
            reverse("bijlagen:lijst", kwargs={"hulpvraag_pk": tlv.pk}),
            {"bestanden": [SimpleUploadedFile("opp.pdf", b.pdf(), "application/pdf")]},
        )
        assert response.status_code == 302
    tlv.refresh_from_db()
    assert tlv.status.naam == "TLV aanvraag aangevuld"
    deadline = T0 + timedelta(days=66)
    assert Termijn.objects.get(hulpvraag=tlv).deadline == deadline
    with op(66):
        login(client, world.loket)
        response = client.get(WERKVOORRAAD + "?weergave=aangevuld")
        html = rij(response, tlv)
        assert deadline.strftime("%d-%m-%Y") in html
        assert "Termijn verstreken" not in html
        assert rij(client.get(WERKVOORRAAD + "?weergave=te_laat"), tlv) == ""
    with op(67):
        login(client, world.loket)
        response = client.get(WERKVOORRAAD)
        html = rij(response, tlv)
        assert "werkvoorraad--te-laat" in html
        assert "Termijn verstreken" in html
        assert rij(client.get(WERKVOORRAAD + "?weergave=te_laat"), tlv) != ""


def test_decision_takes_it_off_the_list(client, world, ingediend):
    with op(0):
        fa = ingediend("FA")
    with op(70):
        login(client, world.loket)
        # The rejection is recorded with its letter on the Besluit page (besluiten).
        response = client.post(
            reverse("besluiten:besluit", args=[fa.pk]),
            {
                "actie": "afwijzing",
                "gezien_status": fa.status_id,
                "motivering": "Eerst de basisondersteuning.",
                "toelichting": "Zie de brief bij de bijlagen.",
                "besluitdatum": (T0 + timedelta(days=70)).strftime("%d-%m-%Y"),
            },
        )
        assert response.status_code == 302
        assert fa.__class__.objects.get(pk=fa.pk).status.naam == "FA afgewezen"
        for weergave in ("open", "te_laat"):
            assert rij(client.get(f"{WERKVOORRAAD}?weergave={weergave}"), fa) == ""
    assert Termijn.objects.get(hulpvraag=fa).gestopt_op == T0 + timedelta(days=70)


def test_soonest_deadline_first(client, world, ingediend):
    with op(0):
        oud = ingediend("SV")
    with op(3):
        nieuw = ingediend("PRO")
    login(client, world.loket)
    tekst = client.get(WERKVOORRAAD).content.decode()
    assert tekst.index(f'id="hv-{oud.pk}"') < tekst.index(f'id="hv-{nieuw.pk}"')


def test_beheerder_changes_the_term_and_deadlines_follow(client, world, ingediend):
    with op(0):
        tlv = ingediend("TLV_VSO")
    login(client, world.beheerder)
    url = reverse("loket:instellingen")
    assert client.get(url).status_code == 200
    assert client.post(url, {"beslistermijn_weken": 0}).status_code == 200  # refused, shown
    response = client.post(url, {"beslistermijn_weken": 6})
    assert response.status_code == 302
    assert Termijn.objects.get(hulpvraag=tlv).deadline == T0 + timedelta(weeks=6)
    # A new submission uses the new term too.
    with op(1):
        sv = ingediend("SV")
    assert Termijn.objects.get(hulpvraag=sv).deadline == T0 + timedelta(days=1, weeks=6)


@pytest.mark.parametrize("persona", ["coordinator_a", "deskundige", "loket", "outsider"])
def test_only_the_beheerder_opens_the_settings(client, world, persona):
    login(client, getattr(world, persona))
    assert client.get(reverse("loket:instellingen")).status_code == 404


def test_assign_coordinator_and_labels_from_the_row(client, world, ingediend):
    tlv = ingediend("TLV_VSO")
    spoed = Label.objects.create(organisatie=world.org, naam="Spoed")
    Label.objects.create(organisatie=world.org, naam="Herindicatie")
    login(client, world.loket)
    response = client.post(
        reverse("loket:toewijzen", args=[tlv.pk]),
        {"coordinator": world.loket.pk, "labels": [spoed.pk], "terug": WERKVOORRAAD + "?x=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == WERKVOORRAAD + "?x=1"
    tlv.refresh_from_db()
    assert tlv.coordinator == world.loket
    assert list(tlv.labels.all()) == [spoed]
    html = rij(client.get(WERKVOORRAAD + "?coordinator=mij"), tlv)
    # Labels are check boxes (no Ctrl-click multi-select), the chosen one ticked.
    assert f'<input type="checkbox" name="labels" value="{spoed.pk}" checked> Spoed' in html
    assert "multiple" not in html
    # The coördinator is chosen among the loket only: not a deskundige or the beheerder.
    keuze = html[html.index('name="coordinator"') : html.index("</select>")]
    assert f'<option value="{world.loket.pk}" selected>' in keuze
    assert f'value="{world.deskundige.pk}"' not in keuze
    assert f'value="{world.beheerder.pk}"' not in keuze
    assert rij(client.get(WERKVOORRAAD + "?coordinator=geen"), tlv) == ""


def test_assigning_refuses_outside_choices(client, world, ingediend):
    tlv = ingediend("TLV_VSO")
    elders = Label.objects.create(organisatie=world.other_org, naam="Elders")
    login(client, world.loket)
    for data in (
        {"coordinator": world.coordinator_a.pk},  # a school user is no coördinator
        {"coordinator": world.deskundige.pk},  # nor a deskundige (the loket handles it)
        {"coordinator": world.beheerder.pk},  # nor the beheerder
        {"labels": [elders.pk]},
        {"terug": "https://evil.example/"},
    ):
        response = client.post(reverse("loket:toewijzen", args=[tlv.pk]), data)
        assert response.status_code == 302
        assert response["Location"].startswith(WERKVOORRAAD)
    tlv.refresh_from_db()
    assert tlv.coordinator is None
    assert not tlv.labels.exists()


@pytest.mark.parametrize(
    "persona", ["coordinator_a", "bestuurder_a", "deskundige", "beheerder", "outsider"]
)
def test_others_get_404(client, world, ingediend, persona):
    tlv = ingediend("TLV_VSO")
    login(client, getattr(world, persona))
    assert client.get(WERKVOORRAAD).status_code == 404
    response = client.post(reverse("loket:toewijzen", args=[tlv.pk]), {"coordinator": ""})
    assert response.status_code == 404


def test_loket_of_another_swv_gets_404_on_our_hulpvraag(client, world, ingediend):
    tlv = ingediend("TLV_VSO")
    ander_loket = UserFactory(organisatie=world.other_org, username="loket2", rol=Rol.SWV_LOKET)
    login(client, ander_loket)
    assert rij(client.get(WERKVOORRAAD), tlv) == ""
    response = client.post(reverse("loket:toewijzen", args=[tlv.pk]), {"coordinator": ""})
    assert response.status_code == 404


def test_navigation_links_the_werkvoorraad_for_the_loket_only(client, world):
    login(client, world.loket)
    assert WERKVOORRAAD in client.get(reverse("start")).content.decode()
    login(client, world.coordinator_a)
    assert WERKVOORRAAD not in client.get(reverse("start")).content.decode()


def test_query_count_does_not_grow_with_rows(
    client, world, ingediend, django_assert_max_num_queries
):
    labels = [Label.objects.create(organisatie=world.org, naam=f"L{i}") for i in range(3)]
    login(client, world.loket)

    def maak(n):
        for i in range(n):
            hv = ingediend(["TLV_VSO", "FA", "PRO", "SV"][i % 4])
            hv.labels.set(labels[: i % 3])
            Hulpvraag.objects.filter(pk=hv.pk).update(coordinator=world.loket)

    maak(2)
    with django_assert_max_num_queries(20) as weinig:
        assert client.get(WERKVOORRAAD).status_code == 200
    maak(12)
    with django_assert_max_num_queries(len(weinig.captured_queries)) as veel:
        response = client.get(WERKVOORRAAD)
    assert response.content.decode().count('class="toewijzen"') == 14
    assert len(veel.captured_queries) == len(weinig.captured_queries)
