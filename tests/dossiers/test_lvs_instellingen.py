"""The beheerder configures the PrO thresholds and month table of their own organisation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Rol
from dossiers.lvs import STANDAARD_INSTELLINGEN
from dossiers.models import LvsInstellingen
from dossiers.selectors import lvs_instellingen_for
from tests.factories import UserFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db

ADD = reverse("admin:dossiers_lvsinstellingen_add")


def defaults(**changes) -> dict:
    data = {
        "pro_iq_min": 55,
        "pro_iq_max": 80,
        "pro_la_min": "50",
        "min_domeinen": 2,
        "lwoo_iq_min": 75,
        "lwoo_iq_max": 90,
        "lwoo_sep_iq_max": 120,
        "lwoo_la_min": "25",
        "dl_max": 60,
    }
    data.update(
        {
            veld: w
            for veld, w in zip(
                LvsInstellingen.MAAND_VELDEN, [5, 6, 7, 8, 9, 10, 10, 10, 1, 2, 3, 4], strict=True
            )
        }
    )
    data.update(changes)
    return data


def test_defaults_without_a_row(world):
    assert lvs_instellingen_for(organisatie_id=world.org.pk) == STANDAARD_INSTELLINGEN
    assert STANDAARD_INSTELLINGEN.maandwaarden[1] == 6


def test_beheerder_sets_february_to_5_for_own_organisation(client, world):
    login(client, world.beheerder)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, defaults(maand_februari=5, pro_la_min="45.5"))
    assert response.status_code == 302, response.content.decode()
    rij = LvsInstellingen.objects.get()
    assert rij.organisatie == world.org
    inst = lvs_instellingen_for(organisatie_id=world.org.pk)
    assert inst.maandwaarden[1] == 5 and inst.pro_la_min == Decimal("45.5")
    assert lvs_instellingen_for(organisatie_id=world.other_org.pk) == STANDAARD_INSTELLINGEN
    # One row per organisation: no second "add".
    assert client.get(ADD).status_code == 403


def test_inconsistent_thresholds_are_refused_in_dutch(client, world):
    login(client, world.beheerder)
    response = client.post(ADD, defaults(pro_iq_min=85, lwoo_la_min="60", maand_maart=13))
    body = response.content.decode()
    assert response.status_code == 200
    assert "De bovengrens ligt onder de ondergrens." in body
    assert "De LWOO-grens moet lager zijn dan de grens voor praktijkonderwijs." in body
    assert not LvsInstellingen.objects.exists()


def test_other_organisations_beheerder_cannot_see_or_change_it(client, world):
    rij = LvsInstellingen.objects.create(organisatie=world.org, maand_februari=5)
    beheerder_elders = UserFactory(
        organisatie=world.other_org, username="beheerder", rol=Rol.BEHEERDER, is_staff=True
    )
    login(client, beheerder_elders)
    changelist = client.get(reverse("admin:dossiers_lvsinstellingen_changelist"))
    assert list(changelist.context["cl"].queryset) == []
    change = reverse("admin:dossiers_lvsinstellingen_change", args=[rij.pk])
    assert client.get(change).status_code == 404
    assert client.post(change, defaults(maand_februari=6)).status_code == 404
    rij.refresh_from_db()
    assert rij.maand_februari == 5


def test_loket_may_look_but_not_change(client, world):
    rij = LvsInstellingen.objects.create(organisatie=world.org)
    login(client, world.loket)
    change = reverse("admin:dossiers_lvsinstellingen_change", args=[rij.pk])
    assert client.get(change).status_code == 200
    client.post(change, defaults(maand_februari=5))
    rij.refresh_from_db()
    assert rij.maand_februari == 6
    assert client.get(ADD).status_code == 403


@pytest.mark.parametrize("persona", ["coordinator_a", "deskundige"])
def test_schools_and_deskundigen_have_no_access(client, world, persona):
    login(client, getattr(world, persona))
    response = client.get(reverse("admin:dossiers_lvsinstellingen_changelist"))
    assert response.status_code in (302, 403)


def test_thresholds_set_by_the_beheerder_change_the_advice_on_the_tab(client, world, hv_pro_groep8):
    """Every threshold reaches the coordinator's LVS tab: IQ 83 with 45 % leerachterstand is no
    PrO by the landelijke criteria, and is PrO after the beheerder sets IQ ≤ 85 and 45 %."""
    from tests.dossiers.conftest import form_data

    tab = reverse("dossiers:lvs", args=[hv_pro_groep8.pk])
    login(client, world.coordinator_a)
    data = form_data(client.get(tab))
    data.update({"iq-0-testdatum": "01-09-2025", "iq-0-totaal_iq": "83"})
    for rij in (0, 1):  # BL and IR in January, groep 8: DL 55; DLE 30 is 45,45 %
        data.update({f"toets-{rij}-toetsdatum": "20-01-2026", f"toets-{rij}-dle": "30"})
    body = client.post(tab, data, follow=True).content.decode()
    assert "<strong>Geen praktijkonderwijs</strong>" in body
    assert "45,45&nbsp;%" in body

    login(client, world.beheerder)
    response = client.post(ADD, defaults(pro_iq_max=85, pro_la_min="45"))
    assert response.status_code == 302, response.content.decode()

    login(client, world.coordinator_a)
    body = client.get(tab).content.decode()
    assert "<strong>Praktijkonderwijs</strong>" in body
    assert "tussen 55 en 85 (inclusief)" in body
