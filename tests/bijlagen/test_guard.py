"""The "bijlagen_aanwezig" check: names exactly which required document kinds are missing; which
kinds a type requires is data (Bijlagevereiste, defaults in bijlagen/vereisten.json)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bijlagen.models import Bijlage, Bijlagevereiste, ScanStatus
from formulieren.demo import formulier_invullen_en_ondertekenen
from hulpvragen.guards import guard_choices
from hulpvragen.models import Overgang
from hulpvragen.services import ControleMislukt, hulpvraag_change_status
from tests.bijlagen import bestanden as b
from tests.factories import AdresFactory
from tests.helpers import login

OPP = "Het OPP ontbreekt."
OUDERS = "Het door ouders ondertekende aanvraagformulier ontbreekt."


def test_check_is_registered():
    assert "bijlagen_aanwezig" in dict(guard_choices())


@pytest.fixture
def indienen(world):
    """TLV voorlopige aanvraag (its indienen transition requires the bijlagen); the address and
    the signed form (their own checks) are there, so only the bijlagen can be missing."""
    hv = world.hv_a_voorlopig
    AdresFactory(leerling=hv.leerling, organisatie=hv.organisatie)
    formulier_invullen_en_ondertekenen(hulpvraag=hv)
    naar = hv.proces.statussen.get(naam="TLV aanvraag indienen")
    # The shipped process names the check (the manual's step 7).
    overgang = Overgang.objects.get(proces=hv.proces, van=hv.status, naar=naar)
    assert "bijlagen_aanwezig" in overgang.controles
    return hv, naar


def ontbrekend(hv, naar, door) -> list[str]:
    try:
        hulpvraag_change_status(hulpvraag=hv, naar=naar, door=door)
    except ControleMislukt as refused:
        return [m for m in refused.ontbrekend if "ontbreekt" in m]
    return []


def upload(client, hv, naam, soort=None):
    data = {"bestanden": [SimpleUploadedFile(naam, b.pdf())]}
    if soort:
        data["documentsoort"] = soort
    assert client.post(reverse("bijlagen:lijst", args=[hv.pk]), data).status_code == 302


def test_indienen_names_each_missing_kind_until_both_are_added(client, world, indienen):
    hv, naar = indienen
    assert ontbrekend(hv, naar, world.coordinator_a) == [OUDERS, OPP]
    login(client, world.coordinator_a)
    # A file of another kind does not stand in for the OPP.
    upload(client, hv, "verslag.pdf", "onderzoeksverslag")
    upload(client, hv, "toestemming.pdf", "ouderformulier")
    assert ontbrekend(hv, naar, world.coordinator_a) == [OPP]
    upload(client, hv, "opp.pdf", "opp")
    hulpvraag_change_status(hulpvraag=hv, naar=naar, door=world.coordinator_a)
    hv.refresh_from_db()
    assert hv.status == naar


def test_withdrawn_or_quarantined_bijlagen_do_not_count(client, world, indienen):
    hv, naar = indienen
    login(client, world.coordinator_a)
    upload(client, hv, "toestemming.pdf", "ouderformulier")
    upload(client, hv, "opp.pdf", "opp")
    Bijlage.objects.filter(documentsoort="opp").update(scan_status=ScanStatus.BESMET)
    assert ontbrekend(hv, naar, world.coordinator_a) == [OPP]


def test_required_kinds_come_from_the_organisations_data(client, world, indienen):
    hv, naar = indienen
    Bijlagevereiste.objects.create(
        organisatie=world.org, type=hv.type, documentsoorten=["onderzoeksverslag"]
    )
    assert ontbrekend(hv, naar, world.coordinator_a) == ["Het onderzoeksverslag ontbreekt."]
    login(client, world.coordinator_a)
    upload(client, hv, "verslag.pdf", "onderzoeksverslag")
    assert ontbrekend(hv, naar, world.coordinator_a) == []


def test_with_nothing_required_any_bijlage_will_do(client, world, indienen):
    hv, naar = indienen
    Bijlagevereiste.objects.create(organisatie=world.org, type=hv.type, documentsoorten=[])
    with pytest.raises(ControleMislukt) as refused:
        hulpvraag_change_status(hulpvraag=hv, naar=naar, door=world.coordinator_a)
    assert any("nog geen bijlage" in m for m in refused.value.ontbrekend)
    login(client, world.coordinator_a)
    upload(client, hv, "iets.pdf", "overig")
    assert ontbrekend(hv, naar, world.coordinator_a) == []


def test_another_organisations_requirements_do_not_apply(client, world, indienen):
    hv, naar = indienen
    Bijlagevereiste.objects.create(organisatie=world.other_org, type=hv.type, documentsoorten=[])
    assert ontbrekend(hv, naar, world.coordinator_a) == [OUDERS, OPP]
