"""The loket reaches the decision where it looks: on the Hulpvraag tab, next to Status wijzigen, a
button to the Besluit page whenever the process has a decision step (a transition whose check
has that page: TLV VSO, FA), in every status; not for processes without one and not for others."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hulpvragen.models import HulpvraagType
from tests.besluiten.conftest import hulpvraag_in
from tests.factories import SchoolgegevensFactory, make_hulpvraag, school_voor_type
from tests.helpers import login

pytestmark = pytest.mark.django_db


def detail(client, hulpvraag) -> str:
    response = client.get(reverse("hulpvragen:detail", args=[hulpvraag.pk]))
    assert response.status_code == 200
    return response.content.decode()


def knop(label, hulpvraag) -> str:
    return f'href="{reverse("besluiten:besluit", args=[hulpvraag.pk])}">{label}</a>'


@pytest.mark.parametrize(
    ("type_", "status", "label"),
    [
        (HulpvraagType.TLV_VSO, "TLV aanvraag indienen", "Deskundigen en besluit"),
        (HulpvraagType.TLV_VSO, "TLV aanvraag compleet", "Deskundigen en besluit"),
        (HulpvraagType.TLV_VSO, "TLV afgegeven", "Deskundigen en besluit"),
        (HulpvraagType.FA, "FA aanvraag indienen", "Besluit"),
        (HulpvraagType.FA, "FA afgewezen", "Besluit"),
    ],
)
def test_loket_finds_the_besluit_button_on_the_hulpvraag_tab(client, world, type_, status, label):
    hulpvraag = hulpvraag_in(world, status, type_)
    login(client, world.loket)
    body = detail(client, hulpvraag)
    assert knop(label, hulpvraag) in body
    # Next to Status wijzigen, in the status row.
    rij = body[body.index('class="status__acties"') :]
    assert rij.index(knop(label, hulpvraag)) < rij.index("</dd>")
    assert client.get(reverse("besluiten:besluit", args=[hulpvraag.pk])).status_code == 200


@pytest.mark.parametrize(
    ("type_", "status"),
    [
        (HulpvraagType.PRO, "PrO aanvraag indienen"),
        (HulpvraagType.SV, "SV aanvraag indienen"),
        (HulpvraagType.BAG, "BAG aanvraag indienen"),
    ],
)
def test_no_button_without_a_decision_step(client, world, type_, status):
    school = school_voor_type(type_, school=world.school_a, gebruiker=world.coordinator_a)
    sg = SchoolgegevensFactory(
        school=school,
        aanvrager=world.coordinator_a,
        **({"leerjaar": None, "groep": 8} if school.sector == "PO" else {}),
    )
    hulpvraag = make_hulpvraag(
        schoolgegevens=sg, door=world.coordinator_a, type=type_, status=status
    )
    login(client, world.loket)
    assert reverse("besluiten:besluit", args=[hulpvraag.pk]) not in detail(client, hulpvraag)


def test_the_school_gets_no_besluit_button(client, world):
    hulpvraag = hulpvraag_in(world, "TLV aanvraag compleet")
    login(client, world.coordinator_a)
    assert reverse("besluiten:besluit", args=[hulpvraag.pk]) not in detail(client, hulpvraag)
