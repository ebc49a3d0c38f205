"""hulpvraag_create enforces the type-per-sector configuration (TypePerSector): a school cannot
create a type not offered to its sector, whatever a form posted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dossiers.models import DossierConcept
from hulpvragen.models import Hulpvraag, HulpvraagType, TypePerSector
from hulpvragen.services import hulpvraag_create
from organisaties.models import Sector
from tests.dossiers.test_wizard import BASIS, school_data, start, step_url
from tests.factories import SchoolFactory, SchoolgegevensFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_crafted_post_of_a_vo_title_for_a_basisschool_is_refused_in_dutch(client, world):
    basisschool = SchoolFactory(organisatie=world.org, bestuur=world.bestuur_a, sector=Sector.PO)
    world.coordinator_a.scholen.add(basisschool)
    login(client, world.coordinator_a)
    concept = start(client)
    client.post(step_url(concept, "basisgegevens"), BASIS)
    client.post(
        step_url(concept, "schoolgegevens"),
        school_data(world, school=basisschool.pk, leerjaar_groep="7"),
    )
    response = client.post(step_url(concept, "hulpvraag"), {"type": "TLV_VSO"})
    assert response.status_code == 400
    assert "wordt niet aangeboden" in response.content.decode()
    assert not Hulpvraag.objects.filter(leerling__achternaam="Dijk").exists()
    assert DossierConcept.objects.filter(pk=concept.pk).exists()  # nothing lost


def test_new_hulpvraag_for_a_known_pupil_refuses_a_type_not_offered(client, world):
    leerling = world.hv_a_ingediend.leerling
    login(client, world.coordinator_a)
    url = reverse("dossiers:nieuwe_hulpvraag", args=[leerling.pk])
    response = client.post(url, {"type": "BAG"})
    assert response.status_code == 400
    assert "wordt niet aangeboden" in response.content.decode()
    assert not Hulpvraag.objects.filter(leerling=leerling, type="BAG").exists()


def test_the_service_refuses_whatever_the_caller(world):
    """The rule lives in hulpvraag_create, so no view, admin action or import can bypass it."""
    sg = SchoolgegevensFactory(school=world.school_a, aanvrager=world.coordinator_a)
    with pytest.raises(ValidationError) as exc:
        hulpvraag_create(schoolgegevens=sg, type=HulpvraagType.BAG, door=world.loket)
    assert "BAG wordt niet aangeboden voor School A" in exc.value.messages[0]
    # Configuration changes take effect at once: FA no longer offered to VO schools.
    TypePerSector.objects.filter(organisatie=world.org, sector=Sector.VO, type="FA").delete()
    with pytest.raises(ValidationError):
        hulpvraag_create(schoolgegevens=sg, type=HulpvraagType.FA, door=world.coordinator_a)
    before = Hulpvraag.objects.count()
    hulpvraag_create(schoolgegevens=sg, type=HulpvraagType.PRO, door=world.coordinator_a)
    assert Hulpvraag.objects.count() == before + 1
