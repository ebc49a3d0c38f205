"""The Besluit page in steps with a table of contents; advice durations in Dutch singular/plural
("1 schooljaar", "2 schooljaren"); the loket's questions page says what its button does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hulpvragen.models import HulpvraagType
from tests.besluiten.conftest import hulpvraag_in, twee_adviezen
from tests.helpers import login

pytestmark = pytest.mark.django_db


def besluit(client, hulpvraag) -> str:
    response = client.get(reverse("besluiten:besluit", args=[hulpvraag.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_tlv_besluit_page_has_steps_linking_to_its_sections(client, world, compleet):
    login(client, world.loket)
    body = besluit(client, compleet)
    stappen = body[
        body.index('aria-labelledby="stappen-kop"') : body.index(
            "</nav>", body.index("stappen-kop")
        )
    ]
    assert "<ol>" in stappen
    for anker in ("deskundigen", "tlv-vastleggen", "afwijzing-vastleggen"):
        assert f'href="#{anker}"' in stappen
        assert f'<section class="paneel" id="{anker}"' in body
    # The steps come in the order of the work: advice first, then the decision.
    assert stappen.index("#deskundigen") < stappen.index("#tlv-vastleggen")


def test_fa_besluit_page_has_steps_too(client, world):
    fa = hulpvraag_in(world, "FA aanvraag indienen", HulpvraagType.FA)
    login(client, world.loket)
    body = besluit(client, fa)
    for anker in ("arrangement-vastleggen", "afwijzing-vastleggen"):
        assert f'href="#{anker}"' in body and f'id="{anker}"' in body
    assert 'href="#deskundigen"' not in body


@pytest.mark.parametrize(("duur", "tekst"), [(1, "1 schooljaar"), (2, "2 schooljaren")])
def test_advice_duration_singular_and_plural(client, world, compleet, kinderarts, duur, tekst):
    twee_adviezen(client, world, compleet, kinderarts, duur=duur)
    tab = client.get(reverse("hulpvragen:tab", args=[compleet.pk, "tlv"])).content.decode()
    assert f"{tekst}</td>" in tab
    assert "schooljaar/schooljaren" not in tab
    if duur == 1:
        assert "1 schooljaren" not in tab
    assert "Er is 1 van de 2" not in besluit(client, compleet)  # both advised: no warning


def test_one_advice_out_of_two_in_the_singular(client, world, compleet, kinderarts):
    from tests.besluiten.conftest import adviseren, toewijzen

    login(client, world.loket)
    toewijzen(client, compleet, world.deskundige, 1, "orthopedagoog")
    toewijzen(client, compleet, kinderarts, 2, "kinderarts")
    login(client, world.deskundige)
    assert adviseren(client, compleet).status_code == 302
    login(client, world.loket)
    body = besluit(client, compleet)
    assert "Er is 1 van de 2 deskundigenadviezen uitgebracht" in body


def test_the_questions_page_button_says_what_it_does(client, world, compleet):
    login(client, world.loket)
    body = client.get(reverse("loket:vragen", args=[compleet.pk])).content.decode()
    assert ">Vragen versturen</button>" in body
    assert "Terug naar de school" not in body
