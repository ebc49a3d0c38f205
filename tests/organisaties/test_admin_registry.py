"""Every model of every project app is in admin, with search, filters and
list_select_related for the foreign keys it lists, and every admin of organisation data shows a
non-superuser only the own organisation.

The models are enumerated from the app registry, so a model added later fails here until it is
registered (or consciously listed below with its reason). Scoping is checked through the admin
screens themselves, on the demo data (`manage.py demo`: two SWVs), for the loket and beheerder of
each SWV: no row of the other SWV in any changelist, and its ids answer 404."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Rol, User
from hulpvragen.access_admin import PupilDataAdmin
from organisaties.admin_scope import OrganisatieScopedAdmin
from organisaties.models import Organisatie
from organisaties.scope import organisatie_lookup_for
from tests.factories import UserFactory
from tests.helpers import login

#: Models deliberately not in admin, with the reason (a user's private working state: showing it
#: to a loket or beheerder would show them someone else's unfinished work).
NIET_IN_ADMIN = {
    "dossiers.DossierConcept": "a user's unfinished new-dossier wizard, seen only by its author",
    "hulpvragen.LijstVoorkeur": "one user's own column, filter and sort choices",
    "hulpvragen.Notitie": "Mijn notities are private to their author; an admin list would show a "
    "school's notes to the loket",
    "bijlagen.BijlageConcept": "files one user staged before Opslaan; the wizard owns them",
    "accounts.BewaardeInzending": "a form posted after the session expired, encrypted and kept "
    "for its author for an hour; nobody else may read it",
    "accounts.Inzending": "one-time tokens of posted forms (a double post records once); "
    "technical, removed after two days",
    "overdracht.DuoInlezing": "a beheerder's uploaded DUO rows between preview and apply; the "
    "schools themselves (and their history) are in admin",
    "overdracht.Export": "an encrypted archive only its beheerder downloads (Volledige export); "
    "the platform admin must not reach it",
    "overdracht.Uitnodiging": "the hash of a one-time link; the beheerder sees and resends open "
    "invitations on the screen Openstaande uitnodigingen",
    "accounts.Reservecodes": "backup codes are shown once; the beheerder resets them with the "
    "User admin's 'Tweede factor resetten' action (django-otp's device admins are unregistered)",
}

#: Models without a foreign-key path to an organisation, and how their admin is scoped instead.
ZONDER_ORGANISATIE = {
    "organisaties.Nieuwsbericht": "Algemeen nieuws is platform-wide; only the platform admin edits",
    "accounts.InlogTeller": "keyed by the typed organisation code; scoped by that code",
}


def project_models():
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if Path(config.path).resolve().parent == root:
            yield from config.get_models()


def inline_models():
    return {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }


def test_every_project_model_is_in_admin_or_consciously_left_out():
    registered = set(admin.site._registry) | inline_models()
    missing = [
        m._meta.label
        for m in project_models()
        if m not in registered and m._meta.label not in NIET_IN_ADMIN
    ]
    assert not missing, (
        f"not in admin (register it, or add it to NIET_IN_ADMIN with a reason): {missing}"
    )
    labels = {m._meta.label for m in project_models()}
    assert set(NIET_IN_ADMIN) <= labels and set(ZONDER_ORGANISATIE) <= labels


def test_the_walk_covers_the_newer_apps():
    apps_seen = {m._meta.app_label for m in project_models()}
    assert {"loket", "besluiten", "beheer", "meldingen", "bijlagen"} - {"meldingen"} <= apps_seen
    registered_apps = {m._meta.app_label for m in admin.site._registry}
    assert {"loket", "besluiten", "beheer", "bijlagen", "hulpvragen"} <= registered_apps


@pytest.mark.parametrize(
    "model", [m for m in project_models() if m in admin.site._registry], ids=lambda m: m._meta.label
)
def test_admin_has_dutch_names_search_filters_and_select_related(model):
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields, "no search_fields"
    assert model_admin.list_filter, "no list_filter"
    # Every foreign key shown in the list is fetched with the rows, not once per row.
    related = model_admin.list_select_related
    for name in model_admin.list_display:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_one or field.one_to_one:
            assert related is True or any(
                r == name or r.startswith(name + "__") for r in related
            ), f"{name} not in list_select_related"
    # Dutch: each model names itself (Meta.verbose_name and _plural, Dutch msgids), so the admin
    # never falls back to the English-style class name.
    assert {"verbose_name", "verbose_name_plural"} <= set(model._meta.original_attrs), model


@pytest.mark.parametrize(
    "model", [m for m in project_models() if m in admin.site._registry], ids=lambda m: m._meta.label
)
def test_admin_of_organisation_data_is_scoped(model):
    model_admin = admin.site._registry[model]
    try:
        organisatie_lookup_for(model)
    except ImproperlyConfigured:
        assert model._meta.label in ZONDER_ORGANISATIE
        assert isinstance(model_admin, OrganisatieScopedAdmin)
        return
    assert isinstance(model_admin, OrganisatieScopedAdmin), type(model_admin).__mro__


# --- Through the admin screens, on the demo data -------------------------------------------------


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())
    vo = Organisatie.objects.get(code="VO2505")
    po = Organisatie.objects.get(code="PO2501")
    personas = {
        "VO2505 loket": User.objects.get(organisatie=vo, username="loket"),
        "VO2505 beheerder": User.objects.get(organisatie=vo, username="beheerder"),
        "PO2501 loket": UserFactory(
            organisatie=po, username="loket-po", rol=Rol.SWV_LOKET, is_staff=True
        ),
        "PO2501 beheerder": UserFactory(
            organisatie=po, username="beheerder-po", rol=Rol.BEHEERDER, is_staff=True
        ),
    }
    platform = User.objects.get(rol=Rol.PLATFORM, organisatie=None, is_superuser=True)
    return personas, platform


def _own(model, organisatie: Organisatie) -> dict:
    if model._meta.label == "accounts.InlogTeller":
        return {"organisatie_code": organisatie.code}
    return {organisatie_lookup_for(model): organisatie.pk}


def _scoped_models():
    return [
        m
        for m in project_models()
        if m in admin.site._registry and m._meta.label != "organisaties.Nieuwsbericht"
    ]


def test_no_admin_screen_shows_another_organisations_rows(client, demo):
    personas, _platform = demo
    checked_foreign_404 = set()
    for naam, user in personas.items():
        client.logout()
        login(client, user)
        for model in _scoped_models():
            info = (model._meta.app_label, model._meta.model_name)
            response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
            if response.status_code == 403:
                continue
            assert response.status_code == 200, (naam, info, response.status_code)
            shown = response.context["cl"].queryset
            own = _own(model, user.organisatie)
            foreign = model.objects.filter(pk__in=shown.values("pk")).exclude(**own)
            assert not foreign.exists(), (naam, model._meta.label, list(foreign[:3]))
            other = model.objects.exclude(**own).first()
            if other is not None:
                url = reverse("admin:{}_{}_change".format(*info), args=[other.pk])
                assert client.get(url).status_code == 404, (naam, model._meta.label)
                checked_foreign_404.add(model._meta.label)
    # Not vacuous: the demo has rows of the other SWV for the core models at least.
    assert {
        "organisaties.Organisatie",
        "organisaties.School",
        "organisaties.Bestuur",
        "accounts.User",
        "dossiers.Leerling",
        "hulpvragen.Hulpvraag",
        "hulpvragen.Statuswijziging",
        "hulpvragen.Proces",
    } <= checked_foreign_404, checked_foreign_404


def test_platform_admin_sees_every_organisation_except_pupil_data(client, demo):
    _personas, platform = demo
    login(client, platform)
    for model in _scoped_models():
        info = (model._meta.app_label, model._meta.model_name)
        model_admin = admin.site._registry[model]
        response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        if isinstance(model_admin, PupilDataAdmin):
            # The access module gives the platform admin no pupil access (access_admin.py).
            assert response.status_code == 403, info
            continue
        assert response.status_code == 200, info
        assert response.context["cl"].queryset.count() == model.objects.count(), info


def test_private_working_state_is_not_in_admin():
    """What NIET_IN_ADMIN lists stays out: a private note or someone's unfinished wizard must not
    become readable to the loket through an admin list."""
    registered = {m._meta.label for m in admin.site._registry}
    assert not (set(NIET_IN_ADMIN) & registered)


def test_loket_admin_never_shows_a_schools_internal_round(client, world):
    """The Overlegronde tab hides a school's internal rounds from the loket; the admin lists of
    meetings and agenda items do too (which pupil a school discussed is the school's business)."""
    import datetime as dt

    from loket.models import Agendapunt, Vergadering
    from loket.services_vergaderingen import interne_overlegronde_create

    hv = world.hv_a_ingediend
    intern = interne_overlegronde_create(
        hulpvraag=hv,
        door=world.coordinator_a,
        datum=dt.date(2026, 12, 10),
        tijd=dt.time(9, 0),
        plaats="Lokaal 12",
    )
    login(client, world.loket)
    lijst = client.get(reverse("admin:loket_vergadering_changelist")).content.decode()
    assert "Lokaal 12" not in lijst
    for url in (
        reverse("admin:loket_vergadering_change", args=[intern.vergadering_id]),
        reverse("admin:loket_agendapunt_change", args=[intern.pk]),
    ):
        assert client.get(url).status_code == 404
    agenda = client.get(reverse("admin:loket_agendapunt_changelist"))
    assert list(agenda.context["cl"].queryset) == []
    assert Vergadering.objects.filter(pk=intern.vergadering_id).exists()
    assert Agendapunt.objects.filter(pk=intern.pk).exists()


def test_download_log_in_admin_shows_no_file_names(client, world):
    """The beheerder has no pupil access; a bijlage's name often carries the pupil's."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from audit.models import BijlageInzage
    from bijlagen.models import Bijlage
    from tests.bijlagen import bestanden

    hv = world.hv_a_ingediend
    login(client, world.coordinator_a)
    bestand = SimpleUploadedFile(
        "Toestemming_ouders-Jantje.pdf", bestanden.pdf(), content_type="application/pdf"
    )
    client.post(reverse("bijlagen:lijst", args=[hv.pk]), {"bestanden": [bestand]})
    bijlage = Bijlage.objects.get(hulpvraag=hv)
    login(client, world.loket)
    assert client.get(reverse("bijlagen:download", args=[hv.pk, bijlage.pk])).status_code == 200
    inzage = BijlageInzage.objects.get(bijlage=bijlage)
    login(client, world.beheerder)
    changelist = reverse("admin:audit_bijlageinzage_changelist")
    for url in (changelist, reverse("admin:audit_bijlageinzage_change", args=[inzage.pk])):
        assert "Jantje" not in client.get(url).content.decode(), url
    # Searching a name finds nothing; the bijlage's number does.
    assert client.get(changelist, {"q": "Jantje"}).context["cl"].result_count == 0
    assert client.get(changelist, {"q": str(bijlage.pk)}).context["cl"].result_count == 1
    body = client.get(changelist).content.decode()
    assert f">{bijlage.pk}<" in body
