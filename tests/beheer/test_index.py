"""The Beheer tab: one page that leads to every beheer screen the role may use."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "wel", "niet"),
    [
        (
            "loket",
            ["Personeelswijzigingen", "Scholen", "Kengetallen", "Informatie op de startpagina"],
            ["Gebruikers", "Bewaartermijnen", "Inzage (AVG)"],
        ),
        (
            "beheerder",
            [
                "Personeelswijzigingen",
                "Scholen",
                "Gebruikers",
                "Bewaartermijnen",
                "Inzage (AVG)",
                "Kengetallen",
            ],
            [],
        ),
    ],
)
def test_index_lists_the_screens_of_the_role(
    client, world, persona, wel, niet, django_assert_max_num_queries
):
    login(client, getattr(world, persona))
    with django_assert_max_num_queries(5):
        html = client.get(reverse("beheer:index")).content.decode()
    for label in wel:
        assert f">{label}</a>" in html, label
    for label in niet:
        assert f">{label}</a>" not in html, label
    assert 'href="/swv/" aria-current="page"' in html


def test_a_school_gets_the_personeelswijziging_tab(client, world):
    login(client, world.coordinator_a)
    html = client.get(reverse("start")).content.decode()
    assert f'href="{reverse("beheer:aanvragen")}"' in html
    assert 'href="/swv/"' not in html
