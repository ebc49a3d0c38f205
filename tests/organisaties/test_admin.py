"""Admin isolation: a loket or beheerder of one SWV sees and edits only its own organisation;
another organisation's ids answer 404; pupil data only through the access module."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Rol, User
from organisaties.models import Nieuwsbericht, School
from tests.factories import BestuurFactory, LabelFactory, UserFactory, grant_toegang
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def loket_b(world):
    """The loket of the other SWV."""
    return UserFactory(
        organisatie=world.other_org, username="loket", rol=Rol.SWV_LOKET, is_staff=True
    )


@pytest.fixture
def platform(db):
    return UserFactory(
        organisatie=None,
        username="platform",
        rol=Rol.PLATFORM,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def labels(world):
    return LabelFactory(organisatie=world.org, naam="Spoed"), LabelFactory(
        organisatie=world.other_org, naam="Geheim-label-elders"
    )


def changelist(model: str) -> str:
    return reverse(f"admin:{model.replace('.', '_')}_changelist")


def change(model: str, pk: int) -> str:
    return reverse(f"admin:{model.replace('.', '_')}_change", args=[pk])


@pytest.mark.parametrize("persona", ["loket", "beheerder"])
def test_changelists_show_only_own_organisation(client, world, labels, loket_b, persona):
    login(client, getattr(world, persona))
    scholen = client.get(changelist("organisaties.school"))
    assert scholen.status_code == 200
    assert {s.pk for s in scholen.context["cl"].queryset} == {world.school_a.pk, world.school_b.pk}
    body = scholen.content.decode()
    assert "School A" in body and "School elders" not in body

    users = client.get(changelist("accounts.user")).context["cl"].queryset
    assert {u.organisatie_id for u in users} == {world.org.pk}
    assert world.outsider not in users and loket_b not in users

    label_rows = client.get(changelist("hulpvragen.label")).context["cl"].queryset
    assert list(label_rows) == [labels[0]]

    organisaties = client.get(changelist("organisaties.organisatie")).context["cl"].queryset
    assert list(organisaties) == [world.org]


def test_filters_offer_only_values_of_own_organisation(client, world):
    login(client, world.loket)
    body = client.get(changelist("accounts.user")).content.decode()
    # The schools filter lists schools linked to visible users only: never School elders.
    assert "School A" in body
    assert "School elders" not in body and "PO2501" not in body


def test_other_organisations_objects_answer_404(client, world, labels, loket_b):
    login(client, world.loket)
    urls = [
        change("organisaties.school", world.school_other.pk),
        change("organisaties.bestuur", world.school_other.bestuur_id),
        change("organisaties.organisatie", world.other_org.pk),
        change("accounts.user", world.outsider.pk),
        change("accounts.user", loket_b.pk),
        change("hulpvragen.label", labels[1].pk),
        reverse("admin:auth_user_password_change", args=[world.outsider.pk]),
        reverse("admin:organisaties_school_delete", args=[world.school_other.pk]),
        reverse("admin:organisaties_school_history", args=[world.school_other.pk]),
        change("organisaties.school", 999999),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    # Posting to another organisation's object changes nothing.
    response = client.post(change("organisaties.school", world.school_other.pk), {"naam": "X"})
    assert response.status_code == 404
    world.school_other.refresh_from_db()
    assert world.school_other.naam == "School elders"


def test_own_objects_open(client, world):
    login(client, world.loket)
    assert client.get(change("organisaties.school", world.school_a.pk)).status_code == 200
    assert client.get(change("accounts.user", world.coordinator_a.pk)).status_code == 200


def test_create_sets_own_organisation_and_limits_choices(client, world):
    bestuur_elders = BestuurFactory(organisatie=world.other_org, naam="Bestuur elders")
    login(client, world.beheerder)
    add_url = reverse("admin:organisaties_school_add")
    form = client.get(add_url).context["adminform"].form
    assert set(form.fields["bestuur"].queryset) == set(world.org.besturen.all())
    assert form.fields["organisatie"].disabled

    data = {
        "organisatie": world.other_org.pk,  # ignored: the field is fixed to the own organisation
        "bestuur": world.bestuur_a.pk,
        "brin": "99ZZ",
        "vestiging": "00",
        "naam": "Nieuwe school",
        "sector": "VO",
        "plaats": "Apeldoorn",
        "actief": "on",
    }
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert School.objects.get(naam="Nieuwe school").organisatie == world.org

    # Another organisation's bestuur is not a valid choice.
    response = client.post(add_url, {**data, "brin": "98ZZ", "bestuur": bestuur_elders.pk})
    assert response.status_code == 200
    assert "bestuur" in response.context["adminform"].form.errors
    assert not School.objects.filter(brin="98ZZ").exists()


@pytest.mark.parametrize("persona", ["loket", "beheerder"])
def test_swv_roles_see_users_in_admin_read_only_and_the_service_agrees(client, world, persona):
    """Only the beheerder manages users, on the Gebruikers screen; in admin the loket and the
    beheerder only look. The service refuses the loket too, so admin and service agree."""
    user = getattr(world, persona)
    login(client, user)
    assert client.get(changelist("accounts.user")).status_code == 200
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
    data = {"organisatie": world.org.pk, "username": "nieuwe-collega", "rol": Rol.SCHOOL}
    assert client.post(reverse("admin:accounts_user_add"), data).status_code == 403
    url = change("accounts.user", world.coordinator_a.pk)
    page = client.get(url)
    assert page.status_code == 200 and "adminform" in page.context
    assert not page.context["has_change_permission"]
    client.post(url, {"username": "hernoemd", "rol": Rol.BEHEERDER})
    world.coordinator_a.refresh_from_db()
    assert world.coordinator_a.username != "hernoemd" and world.coordinator_a.rol == Rol.SCHOOL
    assert not User.objects.filter(username="nieuwe-collega").exists()

    from django.core.exceptions import ValidationError

    from accounts.services_gebruikers import gebruiker_create

    if persona == "loket":
        with pytest.raises(ValidationError):
            gebruiker_create(door=user, gegevens={"username": "x", "rol": Rol.SCHOOL})
    else:
        assert gebruiker_create(door=user, gegevens={"username": "x", "rol": Rol.SCHOOL}).pk


def test_platform_admin_creates_user_through_the_service(client, world, platform):
    login(client, platform)
    add_url = reverse("admin:accounts_user_add")
    form = client.get(add_url).context["adminform"].form
    assert "password1" not in form.fields and "usable_password" not in form.fields
    data = {
        "organisatie": world.org.pk,
        "username": "nieuwe-collega",
        "email": "nieuw@school.example",
        "rol": Rol.SWV_LOKET,
    }
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    nieuw = User.objects.get(username="nieuwe-collega")
    # As gebruiker_create makes it: own organisation, staff from the role, no usable password.
    assert nieuw.organisatie == world.org and nieuw.is_staff
    assert not nieuw.has_usable_password()

    # "piet" exists at the other SWV (the outsider) and here (coordinator_a): the same name in
    # this organisation is refused, case-insensitively, with the service's message.
    response = client.post(add_url, {**data, "username": "PIET"})
    assert response.status_code == 200
    assert "username" in response.context["adminform"].form.errors
    # Nobody sets another person's password in admin.
    pw_url = reverse("admin:auth_user_password_change", args=[nieuw.pk])
    assert client.get(pw_url).status_code == 403


def test_platform_admin_cannot_link_a_school_of_another_organisation(client, world, platform):
    login(client, platform)
    url = change("accounts.user", world.coordinator_a.pk)
    form = client.get(url).context["adminform"].form
    assert "password" not in form.fields
    response = client.post(
        url,
        {
            "organisatie": world.org.pk,
            "username": world.coordinator_a.username,
            "rol": Rol.SCHOOL,
            "scholen": [world.school_a.pk, world.school_other.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "scholen" in response.context["adminform"].form.errors
    assert world.school_other not in world.coordinator_a.scholen.all()


def test_platform_admin_sees_every_organisation(client, world, platform, labels):
    login(client, platform)
    scholen = client.get(changelist("organisaties.school")).context["cl"].queryset
    assert world.school_other in scholen and world.school_a in scholen
    assert client.get(change("organisaties.school", world.school_other.pk)).status_code == 200
    labels_seen = client.get(changelist("hulpvragen.label")).context["cl"].queryset
    assert set(labels_seen) == set(labels)


# --- Pupil data ----------------------------------------------------------------------------------


def test_loket_sees_hulpvragen_in_admin_only_through_the_access_module(client, world):
    login(client, world.loket)
    rows = client.get(changelist("hulpvragen.hulpvraag")).context["cl"].queryset
    assert set(rows) == {world.hv_a_ingediend, world.hv_b_ingediend}
    # A voorlopige aanvraag (invisible to the SWV) and another SWV's hulpvraag answer 404.
    assert client.get(change("hulpvragen.hulpvraag", world.hv_a_voorlopig.pk)).status_code == 404
    assert client.get(change("hulpvragen.hulpvraag", world.hv_other_org.pk)).status_code == 404
    leerlingen = client.get(changelist("dossiers.leerling")).context["cl"].queryset
    assert set(leerlingen) == {world.hv_a_ingediend.leerling, world.hv_b_ingediend.leerling}
    assert (
        client.get(change("dossiers.leerling", world.hv_other_org.leerling_id)).status_code == 404
    )


def test_loket_sets_coordinator_but_not_the_status(client, world):
    login(client, world.loket)
    hv = world.hv_a_ingediend
    url = change("hulpvragen.hulpvraag", hv.pk)
    form = client.get(url).context["adminform"].form
    assert set(form.fields) == {"coordinator", "labels"}
    # A coördinator is one of the loket, as on the werkvoorraad (not a deskundige or beheerder).
    assert set(form.fields["coordinator"].queryset) == {world.loket}
    response = client.post(url, {"coordinator": world.loket.pk, "labels": []})
    assert response.status_code == 302
    hv.refresh_from_db()
    assert hv.coordinator == world.loket


@pytest.mark.parametrize("persona", ["beheerder", "platform"])
def test_roles_without_pupil_access_see_no_pupil_data_in_admin(client, world, platform, persona):
    user = platform if persona == "platform" else world.beheerder
    login(client, user)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Scholen" in index
    for model in ("hulpvragen.hulpvraag", "dossiers.leerling", "hulpvragen.toegang"):
        assert reverse(f"admin:{model.replace('.', '_')}_changelist") not in index
        assert client.get(changelist(model)).status_code == 403
    # The object itself: 404, as for every object the user may not see.
    assert client.get(change("hulpvragen.hulpvraag", world.hv_a_ingediend.pk)).status_code == 404


def test_loket_grants_toegang_to_a_deskundige_of_own_organisation(client, world):
    deskundige_elders = UserFactory(organisatie=world.other_org, rol=Rol.DESKUNDIGE)
    login(client, world.loket)
    add_url = reverse("admin:hulpvragen_toegang_add")
    form = client.get(add_url).context["adminform"].form
    assert set(form.fields["hulpvraag"].queryset) == {world.hv_a_ingediend, world.hv_b_ingediend}
    assert list(form.fields["gebruiker"].queryset) == [world.deskundige]
    refused = client.post(
        add_url, {"hulpvraag": world.hv_a_ingediend.pk, "gebruiker": deskundige_elders.pk}
    )
    assert "gebruiker" in refused.context["adminform"].form.errors
    response = client.post(
        add_url, {"hulpvraag": world.hv_a_ingediend.pk, "gebruiker": world.deskundige.pk}
    )
    assert response.status_code == 302
    toegang = world.deskundige.toegangen.get()
    assert toegang.verleend_door == world.loket and toegang.organisatie == world.org
    assert (
        client.get(reverse("admin:hulpvragen_toegang_delete", args=[toegang.pk])).status_code == 403
    )


def test_toegang_of_other_organisation_answers_404(client, world):
    deskundige_elders = UserFactory(organisatie=world.other_org, rol=Rol.DESKUNDIGE)
    elders = grant_toegang(hulpvraag=world.hv_other_org, gebruiker=deskundige_elders)
    login(client, world.loket)
    assert client.get(change("hulpvragen.toegang", elders.pk)).status_code == 404


# --- Algemeen nieuws and query counts -----------------------------------------------------------


def test_only_platform_admin_edits_algemeen_nieuws(client, world, platform):
    login(client, world.loket)
    assert client.get(changelist("organisaties.nieuwsbericht")).status_code == 403
    client.logout()
    login(client, platform)
    response = client.post(
        reverse("admin:organisaties_nieuwsbericht_add"),
        {
            "titel": "Onderhoud zaterdag",
            "tekst": "Kindkans is zaterdag kort niet bereikbaar.",
            "gepubliceerd_op_0": timezone.localdate().strftime("%d-%m-%Y"),
            "gepubliceerd_op_1": "00:00:00",
            "zichtbaar": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Nieuwsbericht.objects.filter(titel="Onderhoud zaterdag").exists()
    client.logout()
    login(client, world.coordinator_a)
    assert "Onderhoud zaterdag" in client.get(reverse("start")).content.decode()


@pytest.mark.parametrize(
    "model", ["accounts.user", "organisaties.school", "hulpvragen.hulpvraag", "dossiers.leerling"]
)
def test_changelist_query_count_is_bounded(client, world, django_assert_max_num_queries, model):
    for _n in range(15):
        UserFactory(organisatie=world.org, rol=Rol.SCHOOL, scholen=[world.school_a])
    login(client, world.loket)
    with django_assert_max_num_queries(15):
        assert client.get(changelist(model)).status_code == 200


@pytest.mark.parametrize("persona", ["loket", "beheerder", "platform"])
def test_every_admin_page_the_role_may_open_renders(client, world, platform, labels, persona):
    """Smoke test over every registered model: what the index offers opens without error."""
    from django.contrib import admin

    user = platform if persona == "platform" else getattr(world, persona)
    login(client, user)
    assert client.get(reverse("admin:index")).status_code == 200
    for model, model_admin in admin.site._registry.items():
        request = client.get(reverse("admin:index")).wsgi_request
        request.user = user
        info = (model._meta.app_label, model._meta.model_name)
        if model_admin.has_view_permission(request):
            response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
            assert response.status_code == 200, info
            first = response.context["cl"].queryset.first()
            if first is not None:
                url = reverse("admin:{}_{}_change".format(*info), args=[first.pk])
                assert client.get(url).status_code == 200, info
        if model_admin.has_add_permission(request):
            assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200, info


def test_platform_admin_creates_an_organisation_with_the_default_processes(client, platform):
    login(client, platform)
    response = client.post(
        reverse("admin:organisaties_organisatie_add"),
        {
            "code": "VO9999",
            "naam": "VO9999 Nieuwstad",
            "sector": "VO",
            "loket_email": "loket@vo9999.example",
            "informatie": "",
            "actief": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    from organisaties.models import Organisatie

    nieuw = Organisatie.objects.get(code="VO9999")
    assert nieuw.processen.filter(actief=True).count() == 5
