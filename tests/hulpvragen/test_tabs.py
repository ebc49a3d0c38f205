"""The hulpvraag view: the pupil's hulpvragen on the left, tabs per role, one URL per tab, honest
empty states, 404 for everything not visible, audit records and constant query counts."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Inzage
from bijlagen.models import Bijlage
from hulpvragen.models import HulpvraagType, Statuswijziging
from hulpvragen.tabs import TABS, register, render_tab, tab_url
from tests.factories import LabelFactory, SchoolgegevensFactory, grant_toegang, make_hulpvraag
from tests.helpers import login

pytestmark = pytest.mark.django_db
ALLE_TABS = [
    "Basisgegevens",
    "Schoolgegevens",
    "Hulpvraag",
    "LVS",
    "Aanpak",
    "TLV",
    "Formulier",
    "Overlegronde",
    "Mijn notities",
    "Toegang",
]


def tab(hv, slug):
    return tab_url(hv.pk, slug)


def tab_labels(response) -> list[str]:
    import re

    nav = response.content.decode().split('class="dossiertabs"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r">([^<>]+)</a>", nav)


def test_hulpvraag_tab_shows_the_manual_fields(client, world):
    hv = world.hv_a_ingediend
    hv.labels.add(LabelFactory(organisatie=world.org, naam="Spoed"))
    login(client, world.coordinator_a)
    body = client.get(reverse("hulpvragen:detail", args=[hv.pk])).content.decode()
    for label in (
        "Type",
        "Hulpvraagdatum",
        "Status",
        "Schoolgegevens",
        "Hulpvraag",
        "Omschrijving",
        "Coördinator",
        "Labels",
        "TLV aanvraag indienen",
        "Spoed",
        "School A",
        "Nieuwe hulpvraag toevoegen",
        hv.hulpvraagdatum.strftime("%d-%m-%Y"),
    ):
        assert label in body, label


def test_left_list_shows_this_pupils_visible_hulpvragen_only(client, world):
    hv = world.hv_a_ingediend
    same_pupil_school_b = make_hulpvraag(
        schoolgegevens=SchoolgegevensFactory(school=world.school_b, leerling=hv.leerling),
        type=HulpvraagType.FA,
    )
    second = make_hulpvraag(schoolgegevens=hv.schoolgegevens, type=HulpvraagType.PRO)
    login(client, world.coordinator_a)
    body = client.get(reverse("hulpvragen:detail", args=[hv.pk])).content.decode()
    aside = body.split("<aside", 1)[1].split("</aside>", 1)[0]
    assert f"/hulpvragen/{second.pk}/" in aside
    assert f"/hulpvragen/{hv.pk}/" in aside
    assert f"/hulpvragen/{same_pupil_school_b.pk}/" not in aside


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        # The school plans its own internal overlegronde there (loket app).
        ("coordinator_a", ALLE_TABS),
        ("bestuurder_a", [t for t in ALLE_TABS if t != "Overlegronde"]),
        ("loket", ALLE_TABS),
        ("deskundige", [t for t in ALLE_TABS if t != "Toegang"]),
    ],
)
def test_tabs_per_role(client, world, persona, expected):
    hv = world.hv_a_ingediend
    grant_toegang(hulpvraag=hv, gebruiker=world.deskundige, door=world.loket)
    login(client, getattr(world, persona))
    assert tab_labels(client.get(reverse("hulpvragen:detail", args=[hv.pk]))) == expected
    hidden = [slug for slug, t in TABS.items() if str(t.label) not in expected]
    for slug in hidden:
        assert client.get(tab(hv, slug)).status_code == 404


@pytest.mark.parametrize("slug", list(TABS))
@pytest.mark.parametrize("persona", ["outsider", "collega_b", "beheerder", "deskundige"])
def test_every_tab_is_404_for_who_may_not_see_the_hulpvraag(client, world, slug, persona):
    login(client, getattr(world, persona))
    assert client.get(tab(world.hv_a_ingediend, slug)).status_code == 404
    assert client.post(tab(world.hv_a_ingediend, slug), {"tekst": "x"}).status_code == 404


def test_unknown_tab_is_404(client, world):
    login(client, world.coordinator_a)
    response = client.get(f"/hulpvragen/{world.hv_a_ingediend.pk}/bestaat-niet/")
    assert response.status_code == 404


def test_a_tab_without_a_view_says_so_honestly(client, world):
    """Every tab is filled by now; a tab whose app is not installed (view None) must still answer
    honestly instead of failing."""
    saved = TABS["aanpak"].view
    try:
        TABS["aanpak"].view = None
        TABS["aanpak"]._resolved = None
        login(client, world.loket)
        response = client.get(tab(world.hv_a_ingediend, "aanpak"))
        assert response.status_code == 200
        assert "Nog niet beschikbaar" in response.content.decode()
    finally:
        register("aanpak", saved)


def test_another_app_plugs_a_tab_in_without_editing_the_list(client, world):
    saved = TABS["aanpak"].view

    def aanpak(request, hulpvraag):
        return render_tab(request, hulpvraag, "aanpak", "hulpvragen/tab_leeg.html", {"uitleg": "X"})

    try:
        register("aanpak", aanpak)
        login(client, world.coordinator_a)
        response = client.get(tab(world.hv_a_ingediend, "aanpak"))
        assert response.status_code == 200
        assert response.context["actieve_tab"] == "aanpak"
    finally:
        register("aanpak", saved)


def test_each_tab_view_writes_an_audit_record(client, world):
    login(client, world.loket)
    hv = world.hv_a_ingediend
    for slug in TABS:
        assert client.get(tab(hv, slug)).status_code == 200
    onderdelen = set(
        Inzage.objects.filter(gebruiker=world.loket, hulpvraag_id=hv.pk).values_list(
            "onderdeel", flat=True
        )
    )
    assert onderdelen == set(TABS)
    assert all(i.leerling_id == hv.leerling_id for i in Inzage.objects.filter(hulpvraag_id=hv.pk))


@pytest.mark.parametrize("slug", list(TABS))
def test_tab_query_count_does_not_grow_with_data(client, world, slug):
    hv = world.hv_a_ingediend
    login(client, world.loket)
    with CaptureQueriesContext(connection) as few:
        assert client.get(tab(hv, slug)).status_code == 200
    # More of everything a tab shows: hulpvragen of this pupil, labels, addresses, grants, notes,
    # status changes and bijlagen.
    from tests.factories import AdresFactory, UserFactory

    for i in range(8):
        make_hulpvraag(schoolgegevens=hv.schoolgegevens, status="TLV aanvraag indienen")
        hv.labels.add(LabelFactory(organisatie=world.org))
        AdresFactory(leerling=hv.leerling)
        deskundige = UserFactory(organisatie=world.org, rol="deskundige")
        grant_toegang(hulpvraag=hv, gebruiker=deskundige, door=world.loket)
        client.post(tab(hv, "notities"), {"tekst": f"notitie {i}"})
        Statuswijziging.objects.create(
            organisatie=world.org, hulpvraag=hv, van=hv.status, naar=hv.status, door=world.loket
        )
        Bijlage.objects.create(
            organisatie=world.org,
            hulpvraag=hv,
            sleutel=f"test-{uuid.uuid4()}",
            naam=f"opp-{i}.pdf",
            originele_naam=f"opp-{i}.pdf",
            grootte=10,
            content_type="application/pdf",
            soort="pdf",
            sha256="0" * 64,
            upload=uuid.uuid4(),
            geupload_door=world.coordinator_a,
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(tab(hv, slug)).status_code == 200
    assert len(many) == len(few) <= 14
