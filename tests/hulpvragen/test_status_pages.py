"""The Status wijzigen and Statushistorie pages, through the test client, as each persona."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hulpvragen.models import Statuswijziging
from hulpvragen.services import hulpvraag_change_status, hulpvraag_fire_event
from tests.helpers import login

pytestmark = pytest.mark.django_db


def url(name, hulpvraag):
    return reverse(f"hulpvragen:{name}", args=[hulpvraag.pk])


def status(hulpvraag, naam):
    return hulpvraag.proces.statussen.get(naam=naam)


@pytest.fixture
def tlv(new_hulpvraag):
    return new_hulpvraag("TLV_VSO")


def test_detail_page_shows_status_and_both_buttons(client, world, tlv):
    login(client, world.coordinator_a)
    body = client.get(url("detail", tlv)).content.decode()
    assert "TLV voorlopige aanvraag" in body
    assert url("status_wijzigen", tlv) in body and "Status wijzigen" in body
    assert url("statushistorie", tlv) in body and "Statushistorie" in body


def test_board_member_gets_only_the_history_button(client, world, tlv):
    login(client, world.bestuurder_a)
    body = client.get(url("detail", tlv)).content.decode()
    assert url("statushistorie", tlv) in body
    assert url("status_wijzigen", tlv) not in body


def test_school_submits_through_the_page(client, world, tlv, django_assert_max_num_queries):
    login(client, world.coordinator_a)
    # 10 of the page itself, one for the "formulier ondertekend" check of indienen and two for
    # the bijlagen check (the organisation's required kinds, the kinds present).
    with django_assert_max_num_queries(13):
        page = client.get(url("status_wijzigen", tlv))
    body = page.content.decode()
    assert page.status_code == 200
    assert "TLV aanvraag indienen" in body
    assert "controleert of de aanvraag compleet is" in body  # the target's omschrijving
    assert "TLV aanvraag compleet" not in body  # an SWV choice is not offered to the school

    indienen = status(tlv, "TLV aanvraag indienen")
    response = client.post(
        url("status_wijzigen", tlv),
        {"naar": indienen.pk, "toelichting": "", "gezien_status": tlv.status_id},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("detail", tlv)
    assert "De status is gewijzigd naar “TLV aanvraag indienen”." in response.content.decode()
    tlv.refresh_from_db()
    assert tlv.status == indienen


def test_missing_items_are_shown_and_the_toelichting_kept(client, world, new_hulpvraag):
    tlv = new_hulpvraag("TLV_VSO", adres=False)
    login(client, world.coordinator_a)
    body = client.get(url("status_wijzigen", tlv)).content.decode()
    assert "Dit ontbreekt nog:" in body and "Het adres van de leerling ontbreekt." in body
    response = client.post(
        url("status_wijzigen", tlv),
        {
            "naar": status(tlv, "TLV aanvraag indienen").pk,
            "toelichting": "Graag snel bekijken.",
            "gezien_status": tlv.status_id,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "De status kan nog niet naar “TLV aanvraag indienen”. Dit ontbreekt nog:" in body
    assert "Graag snel bekijken." in body
    tlv.refresh_from_db()
    assert tlv.status.naam == "TLV voorlopige aanvraag"


def test_stale_page_keeps_the_toelichting_and_shows_the_new_status(client, world, tlv):
    hulpvraag_change_status(
        hulpvraag=tlv, naar=status(tlv, "TLV aanvraag indienen"), door=world.coordinator_a
    )
    gezien = tlv.status_id
    hulpvraag_change_status(
        hulpvraag=tlv,
        naar=status(tlv, "TLV aanvraag incompleet"),
        door=world.loket,
        toelichting="OPP ontbreekt.",
    )
    login(client, world.coordinator_a)
    response = client.post(
        url("status_wijzigen", tlv),
        {
            "naar": status(tlv, "TLV aanvraag ingetrokken").pk,
            "toelichting": "Ouders zien af van de aanvraag.",
            "gezien_status": gezien,
        },
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "De status is intussen gewijzigd" in body
    assert "Ouders zien af van de aanvraag." in body
    assert f'name="gezien_status" value="{tlv.status_id}"' in body
    tlv.refresh_from_db()
    assert tlv.status.naam == "TLV aanvraag incompleet"


def test_loket_requires_a_toelichting_for_incompleet(client, world, tlv):
    hulpvraag_change_status(
        hulpvraag=tlv, naar=status(tlv, "TLV aanvraag indienen"), door=world.coordinator_a
    )
    login(client, world.loket)
    naar = status(tlv, "TLV aanvraag incompleet")
    body = client.get(url("status_wijzigen", tlv)).content.decode()
    assert "toelichting verplicht" in body
    response = client.post(
        url("status_wijzigen", tlv),
        {"naar": naar.pk, "toelichting": " ", "gezien_status": tlv.status_id},
    )
    assert "Vul een toelichting in" in response.content.decode()
    response = client.post(
        url("status_wijzigen", tlv),
        {"naar": naar.pk, "toelichting": "Het OPP ontbreekt.", "gezien_status": tlv.status_id},
    )
    assert response.status_code == 302
    tlv.refresh_from_db()
    assert tlv.status == naar


def test_a_choice_not_offered_is_refused_with_a_message(client, world, tlv):
    login(client, world.coordinator_a)
    response = client.post(
        url("status_wijzigen", tlv),
        {
            "naar": status(tlv, "TLV afgegeven").pk,
            "toelichting": "",
            "gezien_status": tlv.status_id,
        },
    )
    assert "kan de status niet naar “TLV afgegeven”" in response.content.decode()
    assert Statuswijziging.objects.filter(hulpvraag=tlv).count() == 1


def test_no_choice_made(client, world, tlv):
    login(client, world.coordinator_a)
    response = client.post(url("status_wijzigen", tlv), {"gezien_status": tlv.status_id})
    assert "Kies een nieuwe status." in response.content.decode()


def test_statushistorie_lists_every_change_with_omschrijving(
    client, world, tlv, django_assert_max_num_queries
):
    hulpvraag_change_status(
        hulpvraag=tlv, naar=status(tlv, "TLV aanvraag indienen"), door=world.coordinator_a
    )
    hulpvraag_change_status(
        hulpvraag=tlv,
        naar=status(tlv, "TLV aanvraag incompleet"),
        door=world.loket,
        toelichting="Het OPP ontbreekt.",
    )
    login(client, world.coordinator_a)
    with django_assert_max_num_queries(8):
        body = client.get(url("statushistorie", tlv)).content.decode()
    for naam in ("TLV voorlopige aanvraag", "TLV aanvraag indienen", "TLV aanvraag incompleet"):
        assert naam in body
    assert "Het OPP ontbreekt." in body
    assert status(tlv, "TLV aanvraag incompleet").omschrijving in body
    assert str(world.loket) in body
    # Newest first.
    assert body.index("Het OPP ontbreekt.") < body.index("TLV voorlopige aanvraag</strong>")
    for _ in range(10):  # ten more rounds of "incompleet" and an upload
        hulpvraag_fire_event(hulpvraag=tlv, event="bijlage_toegevoegd", door=world.coordinator_a)
        hulpvraag_change_status(
            hulpvraag=tlv,
            naar=status(tlv, "TLV aanvraag incompleet"),
            door=world.loket,
            toelichting="Nog steeds niet compleet.",
        )
    assert tlv.statuswijzigingen.count() > 20
    with django_assert_max_num_queries(8):
        assert client.get(url("statushistorie", tlv)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "page", "expected"),
    [
        ("coordinator_a", "status_wijzigen", 200),
        ("coordinator_a", "statushistorie", 200),
        ("bestuurder_a", "statushistorie", 200),
        ("bestuurder_a", "status_wijzigen", 200),
        ("collega_b", "status_wijzigen", 404),
        ("collega_b", "statushistorie", 404),
        ("loket", "status_wijzigen", 404),  # a voorlopige aanvraag is not there for the SWV
        ("loket", "statushistorie", 404),
        ("deskundige", "statushistorie", 404),
        ("beheerder", "statushistorie", 404),
        ("outsider", "status_wijzigen", 404),
        ("outsider", "statushistorie", 404),
    ],
)
def test_pages_answer_404_to_whoever_may_not_see_the_hulpvraag(
    client, world, tlv, persona, page, expected
):
    login(client, getattr(world, persona))
    assert client.get(url(page, tlv)).status_code == expected


def test_outsider_cannot_post_a_change(client, world, tlv):
    login(client, world.outsider)
    response = client.post(
        url("status_wijzigen", tlv),
        {"naar": status(tlv, "TLV aanvraag indienen").pk, "gezien_status": tlv.status_id},
    )
    assert response.status_code == 404
    tlv.refresh_from_db()
    assert tlv.status.naam == "TLV voorlopige aanvraag"


def test_board_member_sees_that_they_cannot_change_the_status(client, world, tlv):
    login(client, world.bestuurder_a)
    body = client.get(url("status_wijzigen", tlv)).content.decode()
    assert "U kunt de status van deze hulpvraag nu niet wijzigen." in body
    response = client.post(
        url("status_wijzigen", tlv),
        {"naar": status(tlv, "TLV aanvraag indienen").pk, "gezien_status": tlv.status_id},
    )
    assert "Alleen de school kiest" in response.content.decode()


def test_refusal_without_any_choice_still_shows_the_typed_toelichting(client, world, tlv):
    """A page with no choice (here the bevoegd gezag, which chooses nothing) has no form to put
    the toelichting back in; it is shown read-only so the typed text is not lost."""
    login(client, world.bestuurder_a)
    response = client.post(
        url("status_wijzigen", tlv),
        {
            "naar": status(tlv, "TLV aanvraag indienen").pk,
            "gezien_status": tlv.status_id,
            "toelichting": "Besproken met de ouders & de mentor <op 3 juni>.",
        },
    )
    body = response.content.decode()
    assert "Alleen de school kiest" in body
    assert "Uw toelichting (niet opgeslagen" in body
    assert "Besproken met de ouders &amp; de mentor &lt;op 3 juni&gt;." in body
    assert Statuswijziging.objects.filter(hulpvraag=tlv).count() == 1
