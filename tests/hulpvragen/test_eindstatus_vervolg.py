"""A final status has no outgoing transitions unless that is configured explicitly
(`Status.vervolg_toegestaan`, "vervolg na eindstatus"): "FA afgegeven" ends the FA procedure and the
school's evaluation upload is its one configured follow-up. Validation, the engine, the admin,
the shipped data and the migration for existing organisations."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hulpvragen.models import Hulpvraag, HulpvraagType, Proces, Status
from hulpvragen.process_validation import OvergangSpec, StatusSpec, proces_problems
from hulpvragen.selectors import hulpvragen_open
from hulpvragen.services import hulpvraag_fire_event
from hulpvragen.services_processen import proces_new_version
from tests.besluiten.test_fa import fa_post
from tests.helpers import login
from tests.hulpvragen.test_proces_admin import change_url, form_data

pytestmark = pytest.mark.django_db

S = StatusSpec
O = OvergangSpec  # noqa: E741


def fa_achtig(*, eind=True, vervolg=True, overgang=True):
    statussen = [
        S(1, "voorlopig", initieel=True, kiezen_door="systeem"),
        S(2, "indienen", kiezen_door="school"),
        S(3, "afgegeven", eindstatus=eind, vervolg_toegestaan=vervolg),
        S(4, "evaluatie", eindstatus=True, kiezen_door="systeem"),
    ]
    overgangen = [O(1, 2, "school"), O(2, 3, "swv")]
    if overgang:
        overgangen.append(O(3, 4, "systeem", "bijlage_toegevoegd"))
    else:
        overgangen.append(O(2, 4, "systeem", "bijlage_toegevoegd"))
    return statussen, overgangen


# --- Validation ----------------------------------------------------------------------------------


def test_a_final_status_with_a_configured_follow_up_is_valid():
    assert proces_problems(*fa_achtig()) == []


def test_without_the_flag_the_outgoing_transition_of_a_final_status_is_refused():
    problems = proces_problems(*fa_achtig(vervolg=False))
    assert problems == [
        "De eindstatus “afgegeven” heeft uitgaande overgangen; een eindstatus beëindigt de "
        "procedure. Zijn die overgangen de bedoeling (zoals de evaluatie na een afgegeven "
        "arrangement), zet dan bij deze status “vervolg na eindstatus” aan."
    ]


def test_the_flag_only_on_a_final_status_with_a_transition():
    assert "“afgegeven” heeft “vervolg na eindstatus” aan, maar is geen eindstatus." in " ".join(
        proces_problems(*fa_achtig(eind=False))
    )
    assert (
        "De eindstatus “afgegeven” heeft “vervolg na eindstatus” aan, maar geen uitgaande "
        "overgang." in proces_problems(*fa_achtig(overgang=False))
    )


# --- Shipped data and what counts as open --------------------------------------------------------


def test_shipped_fa_afgegeven_is_final_with_its_evaluation_as_the_only_follow_up(world):
    proces = Proces.objects.get(organisatie=world.org, type="FA", actief=True)
    afgegeven = proces.statussen.get(naam="FA afgegeven")
    assert afgegeven.eindstatus and afgegeven.vervolg_toegestaan
    uit = list(afgegeven.uitgaand.values_list("naar__naam", "trigger", "door"))
    assert uit == [("FA evaluatie toegevoegd", "bijlage_toegevoegd", "systeem")]
    # No other shipped final status keeps anything open.
    assert list(
        Status.objects.filter(proces__organisatie=world.org, vervolg_toegestaan=True).values_list(
            "naam", flat=True
        )
    ) == ["FA afgegeven"]


@pytest.fixture
def fa_afgegeven(client, world):
    from tests.besluiten.conftest import hulpvraag_in

    fa = hulpvraag_in(world, "FA aanvraag indienen", type_=HulpvraagType.FA)
    login(client, world.loket)
    assert fa_post(client, fa).status_code == 302
    fa.refresh_from_db()
    assert fa.status.naam == "FA afgegeven"
    return fa


def upload(client, hulpvraag, naam="evaluatie.pdf"):
    pdf = SimpleUploadedFile(naam, b"%PDF-1.4\n%evaluatie\n", "application/pdf")
    return client.post(reverse("bijlagen:lijst", args=[hulpvraag.pk]), {"bestanden": [pdf]})


def test_fa_afgegeven_awaits_the_evaluation_then_the_procedure_is_closed(
    client, world, fa_afgegeven
):
    fa = fa_afgegeven
    # Decided (no hand choices for anyone), but open until the evaluation is in: the
    # personeelswijziging re-routes its mail and the school may still upload.
    assert fa in hulpvragen_open(Hulpvraag.objects.all())
    login(client, world.coordinator_a)
    detail = client.get(reverse("hulpvragen:detail", args=[fa.pk])).content.decode()
    assert reverse("hulpvragen:status_wijzigen", args=[fa.pk]) not in detail  # nothing to choose
    page = client.get(reverse("hulpvragen:status_wijzigen", args=[fa.pk])).content.decode()
    # The follow-up is automatic, never chosen by hand: nothing to choose for anyone.
    assert 'name="naar"' not in page
    assert "U kunt de status van deze hulpvraag nu niet wijzigen." in page
    for user in (world.coordinator_a, world.loket):  # nor can anyone post it by hand
        login(client, user)
        response = client.post(
            reverse("hulpvragen:status_wijzigen", args=[fa.pk]),
            {
                "naar": fa.proces.statussen.get(naam="FA evaluatie toegevoegd").pk,
                "toelichting": "Evaluatie per post.",
                "gezien_status": fa.status_id,
            },
        )
        assert "Vanuit de status “FA afgegeven” kan de status niet naar “FA evaluatie " in (
            response.content.decode()
        )
    login(client, world.coordinator_a)
    assert (
        "Bijlagen toevoegen" in client.get(reverse("bijlagen:lijst", args=[fa.pk])).content.decode()
    )

    assert upload(client, fa).status_code == 302
    fa.refresh_from_db()
    assert fa.status.naam == "FA evaluatie toegevoegd"
    assert fa.statuswijzigingen.last().automatisch
    assert fa not in hulpvragen_open(Hulpvraag.objects.all())
    # Closed: no more uploads by the school, no Status wijzigen button.
    assert upload(client, fa, "nog-een.pdf").status_code == 403
    detail = client.get(reverse("hulpvragen:detail", args=[fa.pk])).content.decode()
    assert reverse("hulpvragen:status_wijzigen", args=[fa.pk]) not in detail


def test_the_engine_takes_no_transition_out_of_a_final_status_without_the_flag(world, fa_afgegeven):
    """Defence in depth: stored data that skipped validation still cannot move a closed
    hulpvraag."""
    Status.objects.filter(pk=fa_afgegeven.status_id).update(vervolg_toegestaan=False)
    fa_afgegeven.refresh_from_db()
    assert (
        hulpvraag_fire_event(
            hulpvraag=fa_afgegeven, event="bijlage_toegevoegd", door=world.coordinator_a
        )
        is None
    )
    fa_afgegeven.refresh_from_db()
    assert fa_afgegeven.status.naam == "FA afgegeven"


# --- Admin ---------------------------------------------------------------------------------------


def test_beheerder_configures_a_follow_up_only_explicitly(client, world, basisschool):
    """BAG advies uitgebracht is final; a transition back to geagendeerd out of it is refused
    until the beheerder ticks “vervolg na eindstatus” on that status."""
    proces = Proces.objects.get(organisatie=world.org, type="BAG", actief=True)
    advies = proces.statussen.get(naam="BAG advies uitgebracht")
    geagendeerd = proces.statussen.get(naam="BAG geagendeerd")
    login(client, world.beheerder)
    data = form_data(client.get(change_url(proces)))
    n = int(data["overgangen-TOTAL_FORMS"]) - 1  # the empty extra form
    data.update(
        {
            f"overgangen-{n}-van": advies.pk,
            f"overgangen-{n}-naar": geagendeerd.pk,
            f"overgangen-{n}-door": "swv",
            f"overgangen-{n}-trigger": "handmatig",
            f"overgangen-{n}-volgorde": "99",
        }
    )
    response = client.post(change_url(proces), data)
    assert response.status_code == 200
    assert "De eindstatus “BAG advies uitgebracht” heeft uitgaande overgangen" in (
        response.content.decode()
    )
    assert not advies.uitgaand.exists()

    index = next(
        k.split("-")[1]
        for k, v in data.items()
        if k.startswith("statussen-") and k.endswith("-id") and str(v) == str(advies.pk)
    )
    data[f"statussen-{index}-vervolg_toegestaan"] = "on"
    response = client.post(change_url(proces), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    advies.refresh_from_db()
    assert advies.vervolg_toegestaan and advies.eindstatus
    assert list(advies.uitgaand.values_list("naar__naam", flat=True)) == ["BAG geagendeerd"]
    # A hulpvraag in that final status: the loket gets Status wijzigen with the follow-up.
    from tests.factories import SchoolgegevensFactory, make_hulpvraag

    bag = make_hulpvraag(
        schoolgegevens=SchoolgegevensFactory(school=basisschool, leerjaar=None, groep=8),
        type="BAG",
        status="BAG advies uitgebracht",
    )
    login(client, world.loket)
    detail = client.get(reverse("hulpvragen:detail", args=[bag.pk])).content.decode()
    assert reverse("hulpvragen:status_wijzigen", args=[bag.pk]) in detail
    page = client.get(reverse("hulpvragen:status_wijzigen", args=[bag.pk])).content.decode()
    assert f'name="naar" id="naar-{geagendeerd.pk}"' in page


# --- Migration for existing organisations --------------------------------------------------------

migratie = importlib.import_module("hulpvragen.migrations.0006_fa_afgegeven_eindstatus")


def oude_vorm(proces):
    """FA afgegeven as organisations loaded it before: not final, no flag."""
    Status.objects.filter(proces=proces, naam="FA afgegeven").update(
        eindstatus=False, vervolg_toegestaan=False
    )


def test_migration_changes_an_unused_fa_process_in_place(world):
    v1 = Proces.objects.get(organisatie=world.other_org, type="FA")
    assert not v1.hulpvragen.exists()
    oude_vorm(v1)
    migratie.vooruit(apps, None)
    migratie.vooruit(apps, None)  # twice: nothing more
    afgegeven = v1.statussen.get(naam="FA afgegeven")
    assert afgegeven.eindstatus and afgegeven.vervolg_toegestaan
    assert Proces.objects.filter(organisatie=world.other_org, type="FA").count() == 1

    migratie.terug(apps, None)
    afgegeven.refresh_from_db()
    assert not afgegeven.eindstatus and not afgegeven.vervolg_toegestaan


def test_migration_makes_a_new_version_of_a_process_in_use(world, new_hulpvraag):
    oud = new_hulpvraag("FA")
    v1 = oud.proces
    assert v1.versie == 1
    oude_vorm(v1)
    migratie.vooruit(apps, None)

    v1.refresh_from_db()
    v2 = Proces.objects.get(organisatie=world.org, type="FA", versie=2)
    assert v2.actief and not v1.actief
    # The hulpvraag keeps its version, unchanged; new hulpvragen start in the new one.
    assert not v1.statussen.get(naam="FA afgegeven").eindstatus
    afgegeven = v2.statussen.get(naam="FA afgegeven")
    assert afgegeven.eindstatus and afgegeven.vervolg_toegestaan
    assert v2.statussen.count() == v1.statussen.count()
    assert sorted(v2.overgangen.values_list("van__naam", "naar__naam", "trigger", "controles")) == (
        sorted(v1.overgangen.values_list("van__naam", "naar__naam", "trigger", "controles"))
    )
    oud.refresh_from_db()
    assert oud.proces == v1
    assert new_hulpvraag("FA").proces == v2

    # The old inactive version in use is left alone on a second run.
    migratie.vooruit(apps, None)
    assert Proces.objects.filter(organisatie=world.org, type="FA").count() == 2


def test_migration_leaves_a_beheerders_own_follow_up_alone(world):
    v1 = Proces.objects.get(organisatie=world.other_org, type="FA")
    v2 = proces_new_version(proces=v1)  # an unused draft next to it
    for proces in (v1, v2):
        oude_vorm(proces)
    # The beheerder lets the loket take FA afgegeven back to vragen gesteld by hand (v2 only).
    afgegeven = v2.statussen.get(naam="FA afgegeven")
    v2.overgangen.create(van=afgegeven, naar=v2.statussen.get(naam="FA vragen gesteld"), door="swv")
    migratie.vooruit(apps, None)
    assert v1.statussen.get(naam="FA afgegeven").eindstatus
    assert not v2.statussen.get(naam="FA afgegeven").eindstatus


def test_a_dossier_waiting_for_the_fa_evaluation_is_kept(client, world, fa_afgegeven):
    """Retention counts only closed hulpvragen: FA afgegeven still expects the evaluation."""
    import datetime as dt

    from beheer.selectors import dossiers_verlopen_for

    fa = fa_afgegeven
    later = dt.date.today() + dt.timedelta(days=5 * 366)

    def due():
        return [
            v.leerling_id
            for v in dossiers_verlopen_for(
                organisatie_id=world.org.pk, vandaag=later, leerling_ids=[fa.leerling_id]
            )
        ]

    assert due() == []
    login(client, world.coordinator_a)
    assert upload(client, fa).status_code == 302
    assert due() == [fa.leerling_id]
