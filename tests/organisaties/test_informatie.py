"""The SWV's own information below “Aangemeld”: edited by its loket and beheerder through a
small page reachable from the start page; everybody else gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Rol
from tests.factories import UserFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db

URL = reverse("informatie_wijzigen")


@pytest.mark.parametrize("persona", ["loket", "beheerder"])
def test_loket_and_beheerder_edit_the_information_from_the_start_page(client, world, persona):
    login(client, getattr(world, persona))
    start = client.get(reverse("start")).content.decode()
    assert f'href="{URL}"' in start
    form = client.get(URL)
    assert form.status_code == 200
    assert 'label for="id_informatie"' in form.content.decode()

    tekst = "Het loket is op woensdag gesloten.\n\nVragen: loket@swv.example"
    response = client.post(URL, {"informatie": tekst}, follow=True)
    assert response.redirect_chain == [(reverse("start"), 302)]
    body = response.content.decode()
    assert "De informatie op de startpagina is opgeslagen." in body
    assert "<p>Het loket is op woensdag gesloten.</p>" in body
    world.org.refresh_from_db()
    assert world.org.informatie == tekst


def test_every_user_of_the_swv_sees_the_new_information(client, world):
    login(client, world.loket)
    client.post(URL, {"informatie": "Nieuw: PrO zij-instroom via Kindkans."})
    client.logout()
    login(client, world.coordinator_a)
    assert "Nieuw: PrO zij-instroom via Kindkans." in client.get(reverse("start")).content.decode()
    client.logout()
    login(client, world.outsider)
    assert "PrO zij-instroom" not in client.get(reverse("start")).content.decode()


@pytest.mark.parametrize("persona", ["coordinator_a", "bestuurder_a", "deskundige", "outsider"])
def test_other_roles_get_404_and_change_nothing(client, world, persona):
    world.org.informatie = "Oorspronkelijk"
    world.org.save()
    login(client, getattr(world, persona))
    assert f'href="{URL}"' not in client.get(reverse("start")).content.decode()
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"informatie": "Gekaapt"}).status_code == 404
    world.org.refresh_from_db()
    world.other_org.refresh_from_db()
    assert world.org.informatie == "Oorspronkelijk"
    assert world.other_org.informatie != "Gekaapt"


def test_platform_admin_has_no_swv_information_but_a_link_to_the_news(client, world):
    platform = UserFactory(
        organisatie=None, username="platform", rol=Rol.PLATFORM, is_staff=True, is_superuser=True
    )
    login(client, platform)
    assert client.get(URL).status_code == 404
    start = client.get(reverse("start")).content.decode()
    assert reverse("admin:organisaties_nieuwsbericht_changelist") in start


def test_loket_of_another_swv_edits_only_its_own(client, world):
    loket_b = UserFactory(organisatie=world.other_org, rol=Rol.SWV_LOKET, is_staff=True)
    world.org.informatie = "Van VO2505"
    world.org.save()
    login(client, loket_b)
    client.post(URL, {"informatie": "Van PO2501"})
    world.org.refresh_from_db()
    world.other_org.refresh_from_db()
    assert world.org.informatie == "Van VO2505"
    assert world.other_org.informatie == "Van PO2501"


def test_information_is_escaped_and_length_is_limited(client, world):
    login(client, world.loket)
    client.post(URL, {"informatie": "<script>alert(1)</script>"})
    body = client.get(reverse("start")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
    response = client.post(URL, {"informatie": "x" * 5001})
    assert response.status_code == 200
    assert response.context["form"].errors["informatie"]


def test_start_page_query_count_is_bounded(client, world, django_assert_max_num_queries):
    login(client, world.loket)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("start")).status_code == 200
