"""The Hulpvragen screen answers a request with "HX-Request: true" (the in-place update of
static/js/hulpvragen-lijst.js) with only the results, and says so in Vary; without the header the
same URL is the whole page, so everything works without JavaScript."""

from __future__ import annotations

import pytest
from django.db import reset_queries
from django.urls import reverse

from tests.helpers import login

pytestmark = pytest.mark.django_db
LIJST = reverse("hulpvragen:lijst")
HX = {"HTTP_HX_REQUEST": "true"}


def test_hx_request_gets_only_the_results_and_both_vary_on_it(client, world):
    login(client, world.coordinator_a)
    vol = client.get(LIJST, {"sortering": "laatste_datum"})
    assert "HX-Request" in vol["Vary"]
    assert "<html" in vol.content.decode() and 'id="resultaten"' in vol.content.decode()
    deel = client.get(LIJST, {"sortering": "laatste_datum"}, **HX)
    assert deel.status_code == 200 and "HX-Request" in deel["Vary"]
    tekst = deel.content.decode()
    assert "<html" not in tekst and "Kolommenkiezer" not in tekst
    assert 'aria-sort="ascending"' in tekst
    assert reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk]) in tekst
    assert reverse("hulpvragen:detail", args=[world.hv_b_ingediend.pk]) not in tekst


def test_hx_search_errors_show_in_the_results(client, world):
    login(client, world.coordinator_a)
    deel = client.get(LIJST, {"zoeken": "1", "q": "ab"}, **HX).content.decode()
    assert "minstens 3 tekens" in deel


def test_hx_request_goes_through_the_same_access_rules(client, world):
    for persona in (world.beheerder, world.outsider):
        login(client, persona)
        if persona is world.beheerder:
            assert client.get(LIJST, **HX).status_code == 404
        else:
            tekst = client.get(LIJST, **HX).content.decode()
            assert reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk]) not in tekst


def test_hx_request_costs_no_more_queries_than_the_page(
    client, world, django_assert_max_num_queries
):
    login(client, world.loket)
    client.get(LIJST)  # preferences row written once
    reset_queries()
    with django_assert_max_num_queries(16) as vol:
        client.get(LIJST)
    n = len(vol.captured_queries)
    with django_assert_max_num_queries(n):
        client.get(LIJST, **HX)
