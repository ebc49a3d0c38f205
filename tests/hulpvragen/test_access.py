"""The access module: who sees which hulpvragen and dossiers. Foreign ids answer 404."""

from __future__ import annotations

import html

import pytest
from django.http import Http404
from django.urls import reverse

from hulpvragen.access import (
    hulpvraag_get_for,
    hulpvragen_visible_to,
    leerling_get_for,
    leerlingen_visible_to,
)
from tests.factories import grant_toegang
from tests.helpers import login

pytestmark = pytest.mark.django_db


def visible(user):
    return set(hulpvragen_visible_to(user))


def test_coordinator_sees_only_own_school_including_voorlopige(world):
    assert visible(world.coordinator_a) == {world.hv_a_voorlopig, world.hv_a_ingediend}


def test_colleague_at_other_school_sees_none_of_school_a(world):
    assert visible(world.collega_b) == {world.hv_b_ingediend}


def test_board_member_sees_schools_of_own_bestuur(world):
    assert visible(world.bestuurder_a) == {world.hv_a_voorlopig, world.hv_a_ingediend}


def test_loket_sees_submitted_hulpvragen_of_own_organisation_only(world):
    assert visible(world.loket) == {world.hv_a_ingediend, world.hv_b_ingediend}


def test_deskundige_sees_only_granted_hulpvragen_until_revoked(world):
    assert visible(world.deskundige) == set()
    toegang = grant_toegang(
        hulpvraag=world.hv_b_ingediend, gebruiker=world.deskundige, door=world.loket
    )
    assert visible(world.deskundige) == {world.hv_b_ingediend}
    toegang.ingetrokken_op = toegang.verleend_op
    toegang.save()
    assert visible(world.deskundige) == set()


def test_beheerder_sees_no_pupil_data(world):
    assert visible(world.beheerder) == set()
    assert set(leerlingen_visible_to(world.beheerder)) == set()


def test_outsider_with_same_username_sees_only_own_organisation(world):
    assert world.outsider.username == world.coordinator_a.username
    assert visible(world.outsider) == {world.hv_other_org}


def test_inactive_user_sees_nothing(world):
    world.coordinator_a.is_active = False
    assert visible(world.coordinator_a) == set()


def test_grant_in_other_organisation_gives_nothing(world):
    # A Toegang row pointing across organisations (never made by the UI) still grants nothing.
    grant_toegang(hulpvraag=world.hv_other_org, gebruiker=world.deskundige)
    assert visible(world.deskundige) == set()


def test_leerlingen_follow_the_same_rules(world):
    assert set(leerlingen_visible_to(world.coordinator_a)) == {
        world.hv_a_voorlopig.leerling,
        world.hv_a_ingediend.leerling,
    }
    assert set(leerlingen_visible_to(world.loket)) == {
        world.hv_a_ingediend.leerling,
        world.hv_b_ingediend.leerling,
    }
    with pytest.raises(Http404):
        leerling_get_for(world.collega_b, world.hv_a_ingediend.leerling_id)


@pytest.mark.parametrize("bad", ["abc", None, 10**12, -1])
def test_get_for_with_bad_ids_is_404(world, bad):
    with pytest.raises(Http404):
        hulpvraag_get_for(world.coordinator_a, bad)


@pytest.mark.parametrize(
    ("persona", "hulpvraag", "expected"),
    [
        ("coordinator_a", "hv_a_voorlopig", 200),
        ("coordinator_a", "hv_b_ingediend", 404),
        ("coordinator_a", "hv_other_org", 404),
        ("collega_b", "hv_a_ingediend", 404),
        ("bestuurder_a", "hv_a_voorlopig", 200),
        ("bestuurder_a", "hv_b_ingediend", 404),
        ("loket", "hv_a_ingediend", 200),
        ("loket", "hv_a_voorlopig", 404),
        ("loket", "hv_other_org", 404),
        ("deskundige", "hv_a_ingediend", 404),
        ("beheerder", "hv_a_ingediend", 404),
        ("outsider", "hv_a_ingediend", 404),
        ("outsider", "hv_other_org", 200),
    ],
)
def test_detail_page_answers_404_for_everything_not_visible(
    client, world, persona, hulpvraag, expected
):
    login(client, getattr(world, persona))
    response = client.get(reverse("hulpvragen:detail", args=[getattr(world, hulpvraag).pk]))
    assert response.status_code == expected


def test_list_page_shows_only_visible_rows_with_constant_queries(
    client, world, django_assert_max_num_queries
):
    from tests.factories import SchoolgegevensFactory, make_hulpvraag

    login(client, world.coordinator_a)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("hulpvragen:lijst"))
    names = {html.escape(hv.leerling.naam) for hv in (world.hv_a_voorlopig, world.hv_a_ingediend)}
    body = response.content.decode()
    assert all(name in body for name in names)
    assert html.escape(world.hv_b_ingediend.leerling.naam) not in body
    for _ in range(10):
        make_hulpvraag(schoolgegevens=SchoolgegevensFactory(school=world.school_a))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("hulpvragen:lijst")).status_code == 200


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
