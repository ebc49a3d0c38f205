"""Migration besluiten/0002 adds the decision checks to processes that organisations loaded
before the checks existed (and takes them out again on the way back)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from hulpvragen.models import Overgang

pytestmark = pytest.mark.django_db

migratie = importlib.import_module("besluiten.migrations.0002_controles_bestaande_processen")


def _controles(world, naar):
    """The checks of the manual transitions to `naar` (one list when they all agree)."""
    lijsten = {
        tuple(o.controles)
        for o in Overgang.objects.filter(
            proces__organisatie=world.org, naar__naam=naar, trigger="handmatig"
        )
    }
    assert len(lijsten) == 1, lijsten
    return list(lijsten.pop())


def test_existing_processes_get_the_decision_checks(world):
    for overgang in Overgang.objects.filter(proces__organisatie=world.org):
        overgang.controles = [c for c in overgang.controles if not c.endswith("_vastgelegd")]
        overgang.save(update_fields=["controles"])
    assert _controles(world, "TLV afgegeven") == []

    migratie.toevoegen(apps, None)
    migratie.toevoegen(apps, None)  # twice: no duplicates
    assert _controles(world, "TLV afgegeven") == ["tlv_vastgelegd"]
    assert _controles(world, "TLV afwijzing toegelicht") == ["afwijzing_vastgelegd"]
    assert _controles(world, "FA afgegeven") == ["fa_vastgelegd"]
    assert "tlv_vastgelegd" not in _controles(world, "TLV aanvraag indienen")

    migratie.verwijderen(apps, None)
    assert _controles(world, "TLV afgegeven") == []


def test_pro_afgegeven_gets_its_check_and_status_wijzigen_refuses_without_the_tlv(client, world):
    from django.urls import reverse

    from tests.besluiten.conftest import hulpvraag_in
    from tests.helpers import login

    pro = importlib.import_module("besluiten.migrations.0003_controle_pro_afgegeven")
    pro.verwijderen(apps, None)
    assert _controles(world, "PrO afgegeven") == []
    pro.toevoegen(apps, None)
    assert _controles(world, "PrO afgegeven") == ["tlv_pro_vastgelegd"]

    hv = hulpvraag_in(world, "PrO aanvraag indienen", type_="PRO")
    login(client, world.loket)
    naar = hv.proces.statussen.get(naam="PrO afgegeven")
    response = client.post(
        reverse("hulpvragen:status_wijzigen", args=[hv.pk]),
        {"naar": naar.pk, "toelichting": "", "gezien_status": hv.status_id},
    )
    assert "De TLV PrO is nog niet vastgelegd" in response.content.decode()
    hv.refresh_from_db()
    assert hv.status.naam == "PrO aanvraag indienen"


def test_fa_afgewezen_gets_its_check_in_existing_processes(world):
    fa = importlib.import_module("besluiten.migrations.0004_fa_afwijzing")
    fa.verwijderen(apps, None)
    assert _controles(world, "FA afgewezen") == []
    assert _controles(world, "TLV afwijzing toegelicht") == ["afwijzing_vastgelegd"]  # untouched
    fa.toevoegen(apps, None)
    fa.toevoegen(apps, None)  # twice: no duplicates
    assert _controles(world, "FA afgewezen") == ["afwijzing_vastgelegd"]
