"""The "bijlagen_aanwezig" check, available to processes through the engine's registry."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from formulieren.demo import formulier_invullen_en_ondertekenen
from hulpvragen.guards import guard_choices
from hulpvragen.models import Overgang
from hulpvragen.services import ControleMislukt, hulpvraag_change_status
from tests.bijlagen import bestanden as b
from tests.factories import AdresFactory
from tests.helpers import login


def test_check_is_registered():
    assert "bijlagen_aanwezig" in dict(guard_choices())


def test_indienen_requiring_bijlagen_says_what_is_missing_until_one_is_added(client, world):
    hv = world.hv_a_voorlopig
    AdresFactory(leerling=hv.leerling, organisatie=hv.organisatie)
    # The form signed by the bevoegd gezag (its own check): only the bijlagen are missing.
    formulier_invullen_en_ondertekenen(hulpvraag=hv)
    indienen = hv.proces.statussen.get(naam="TLV aanvraag indienen")
    overgang = Overgang.objects.get(proces=hv.proces, van=hv.status, naar=indienen)
    overgang.controles = [*overgang.controles, "bijlagen_aanwezig"]
    overgang.save()

    with pytest.raises(ControleMislukt) as refused:
        hulpvraag_change_status(hulpvraag=hv, naar=indienen, door=world.coordinator_a)
    assert any("OPP" in m for m in refused.value.ontbrekend)

    login(client, world.coordinator_a)
    client.post(
        reverse("bijlagen:lijst", args=[hv.pk]),
        {"bestanden": [SimpleUploadedFile("opp.pdf", b.pdf())]},
    )
    hulpvraag_change_status(hulpvraag=hv, naar=indienen, door=world.coordinator_a)
    hv.refresh_from_db()
    assert hv.status == indienen
