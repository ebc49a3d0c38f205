"""The admin writes through the services: the same validation, audit and history as the screens
(docs/beheer-en-privacy.md, "Admin en schermen")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Rol
from audit.models import Inzage, InzageActie
from beheer.models import Schoolwijziging, SchoolwijzigingSoort
from hulpvragen.models import HulpvraagType, Label, Toegang
from organisaties.models import Organisatie, School, Sector
from tests.factories import (
    BestuurFactory,
    SchoolFactory,
    SchoolgegevensFactory,
    UserFactory,
    make_hulpvraag,
)
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(db):
    return UserFactory(
        organisatie=None, username="platform", rol=Rol.PLATFORM, is_staff=True, is_superuser=True
    )


def test_granting_toegang_in_admin_writes_the_audit_row_of_toegang_grant(client, world):
    login(client, world.loket)
    hv = world.hv_a_ingediend
    tot = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(
        reverse("admin:hulpvragen_toegang_add"),
        {
            "hulpvraag": hv.pk,
            "gebruiker": world.deskundige.pk,
            "reden": "Advies",
            "geldig_tot": tot.strftime("%d-%m-%Y"),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    toegang = Toegang.objects.get(hulpvraag=hv, gebruiker=world.deskundige)
    assert toegang.verleend_door == world.loket and toegang.geldig_tot == tot
    rij = Inzage.objects.get(actie=InzageActie.TOEGANG_VERLEEND, hulpvraag_id=hv.pk)
    assert rij.gebruiker == world.loket and rij.leerling_id == hv.leerling_id
    assert f"gebruiker {world.deskundige.pk}" in rij.details

    # A later end date extends the grant like the Toegang tab (audited), revoking is audited.
    url = reverse("admin:hulpvragen_toegang_change", args=[toegang.pk])
    later = tot + dt.timedelta(days=10)
    response = client.post(url, {"geldig_tot": later.strftime("%d-%m-%Y")})
    assert response.status_code == 302, response.context["adminform"].form.errors
    toegang.refresh_from_db()
    assert toegang.geldig_tot == later
    assert Inzage.objects.filter(details__startswith="leestoegang verlengd").count() == 1
    nu = timezone.localtime()
    response = client.post(
        url,
        {
            "geldig_tot": later.strftime("%d-%m-%Y"),
            "ingetrokken_op_0": nu.strftime("%d-%m-%Y"),
            "ingetrokken_op_1": nu.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    toegang.refresh_from_db()
    assert toegang.ingetrokken_op is not None
    assert Inzage.objects.filter(actie=InzageActie.TOEGANG_INGETROKKEN).count() == 1


def test_granting_toegang_to_a_non_deskundige_is_refused_with_the_service_message(client, world):
    login(client, world.loket)
    response = client.post(
        reverse("admin:hulpvragen_toegang_add"),
        {"hulpvraag": world.hv_a_ingediend.pk, "gebruiker": world.coordinator_a.pk},
    )
    assert response.status_code == 200
    assert "gebruiker" in response.context["adminform"].form.errors
    assert not Toegang.objects.filter(gebruiker=world.coordinator_a).exists()
    assert not Inzage.objects.filter(actie=InzageActie.TOEGANG_VERLEEND).exists()


@pytest.mark.parametrize("persona", ["loket", "beheerder", "platform"])
def test_editing_a_school_in_admin_writes_its_history_like_school_update(
    client, world, platform, persona
):
    user = platform if persona == "platform" else getattr(world, persona)
    login(client, user)
    school = world.school_a
    nieuw_bestuur = BestuurFactory(organisatie=world.org, naam="Nieuw bestuur")
    url = reverse("admin:organisaties_school_change", args=[school.pk])
    response = client.post(
        url,
        {
            "bestuur": nieuw_bestuur.pk,
            "brin": school.brin,
            "vestiging": school.vestiging,
            "naam": "School A (nieuwe naam)",
            "sector": school.sector,
            "plaats": school.plaats,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    school.refresh_from_db()
    assert school.naam == "School A (nieuwe naam)" and school.bestuur == nieuw_bestuur
    soorten = dict(Schoolwijziging.objects.filter(school=school).values_list("soort", "door_naam"))
    assert set(soorten) == {SchoolwijzigingSoort.HERNOEMD, SchoolwijzigingSoort.BESTUUR}
    row = Schoolwijziging.objects.get(school=school, soort=SchoolwijzigingSoort.HERNOEMD)
    assert row.door == user and row.oud == {"naam": "School A"}
    # Closing is the Scholen screen's (it moves open hulpvragen), and a school is never deleted.
    assert school.actief
    assert (
        client.get(reverse("admin:organisaties_school_delete", args=[school.pk])).status_code == 403
    )


def test_a_school_created_in_admin_gets_its_history_and_a_foreign_bestuur_is_refused(client, world):
    login(client, world.beheerder)
    bestuur_elders = BestuurFactory(organisatie=world.other_org)
    add = reverse("admin:organisaties_school_add")
    data = {
        "bestuur": world.school_a.bestuur_id,
        "brin": "77XY",
        "vestiging": "00",
        "naam": "Nieuwe school",
        "sector": Sector.VO,
        "plaats": "Epe",
    }
    assert client.post(add, data).status_code == 302
    school = School.objects.get(brin="77XY")
    assert Schoolwijziging.objects.get(school=school).soort == SchoolwijzigingSoort.NIEUW
    response = client.post(add, {**data, "brin": "78XY", "bestuur": bestuur_elders.pk})
    assert response.status_code == 200
    assert not School.objects.filter(brin="78XY").exists()


def test_an_organisation_created_in_admin_can_file_a_tlv_vso_with_its_form_at_once(
    client, platform
):
    login(client, platform)
    response = client.post(
        reverse("admin:organisaties_organisatie_add"),
        {
            "code": "VO2599",
            "naam": "VO2599 Nieuw",
            "sector": Sector.VO,
            "loket_email": "loket@vo2599.example",
            "actief": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    org = Organisatie.objects.get(code="VO2599")
    school = SchoolFactory(organisatie=org, sector=Sector.VO)
    coordinator = UserFactory(organisatie=org, rol=Rol.SCHOOL, scholen=[school])
    hulpvraag = make_hulpvraag(
        type=HulpvraagType.TLV_VSO,
        door=coordinator,
        schoolgegevens=SchoolgegevensFactory(school=school),
    )
    formulier = hulpvraag.formulieren.get()
    assert formulier.definitie.hulpvraag_type == HulpvraagType.TLV_VSO
    assert formulier.definitie.organisatie == org and formulier.definitie.actief


def test_an_organisation_is_made_only_by_a_platform_admin(client, world):
    login(client, world.beheerder)
    assert client.get(reverse("admin:organisaties_organisatie_add")).status_code == 403
    from django.core.exceptions import ValidationError

    from beheer.services_scholen import organisatie_create

    with pytest.raises(ValidationError):
        organisatie_create(door=world.beheerder, organisatie=Organisatie(code="X", naam="X"))


def test_labels_in_admin_go_through_the_service(client, world):
    login(client, world.loket)
    add = reverse("admin:hulpvragen_label_add")
    assert client.post(add, {"naam": " Spoed "}).status_code == 302
    label = Label.objects.get(organisatie=world.org)
    assert label.naam == "Spoed"
    # The service's check: a name once per organisation, regardless of case.
    response = client.post(add, {"naam": "spoed"})
    assert response.status_code == 200 and "naam" in response.context["adminform"].form.errors
    delete = reverse("admin:hulpvragen_label_delete", args=[label.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Label.objects.filter(pk=label.pk).exists()
