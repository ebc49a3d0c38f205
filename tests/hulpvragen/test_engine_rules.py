"""The engine's refusals, checks, history and outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from audit.models import AppendOnlyError
from hulpvragen import guards
from hulpvragen.models import Overgang, Statuswijziging
from hulpvragen.selectors import available_transitions
from hulpvragen.services import (
    ControleMislukt,
    OvergangNietToegestaan,
    VerouderdeStatus,
    hulpvraag_change_status,
    hulpvraag_fire_event,
)
from meldingen.models import Notificatie, NotificatieSoort
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def status(hulpvraag, naam):
    return hulpvraag.proces.statussen.get(naam=naam)


def change(hulpvraag, naam, door, **kwargs):
    return hulpvraag_change_status(
        hulpvraag=hulpvraag, naar=status(hulpvraag, naam), door=door, **kwargs
    )


@pytest.fixture
def ingediend(world, new_hulpvraag):
    hulpvraag = new_hulpvraag("TLV_VSO")
    change(hulpvraag, "TLV aanvraag indienen", world.coordinator_a)
    return hulpvraag


# --- Refusals: wrong role, wrong status, no access, stale page ----------------------------------


@pytest.mark.parametrize(
    ("persona", "naar", "message"),
    [
        ("coordinator_a", "TLV aanvraag compleet", "Alleen het samenwerkingsverband kiest"),
        ("coordinator_a", "TLV afgegeven", "Vanuit de status “TLV aanvraag indienen” kan"),
        ("loket", "TLV aanvraag ingetrokken", "Alleen de school kiest"),
        ("loket", "TLV afgegeven", "Vanuit de status “TLV aanvraag indienen” kan de status"),
        ("bestuurder_a", "TLV aanvraag ingetrokken", "Alleen de school kiest"),
        ("collega_b", "TLV aanvraag ingetrokken", "U kunt de status van deze hulpvraag niet"),
        ("deskundige", "TLV aanvraag compleet", "U kunt de status van deze hulpvraag niet"),
        ("beheerder", "TLV aanvraag compleet", "U kunt de status van deze hulpvraag niet"),
        ("outsider", "TLV aanvraag ingetrokken", "U kunt de status van deze hulpvraag niet"),
    ],
)
def test_refused_transitions_change_nothing(world, ingediend, persona, naar, message):
    before = Statuswijziging.objects.count(), Notificatie.objects.count()
    with pytest.raises(OvergangNietToegestaan, match=message):
        change(ingediend, naar, getattr(world, persona), toelichting="x")
    ingediend.refresh_from_db()
    assert ingediend.status.naam == "TLV aanvraag indienen"
    assert (Statuswijziging.objects.count(), Notificatie.objects.count()) == before


def test_loket_cannot_touch_a_voorlopige_aanvraag(world, new_hulpvraag):
    hulpvraag = new_hulpvraag("TLV_VSO")
    with pytest.raises(OvergangNietToegestaan, match="niet wijzigen"):
        change(hulpvraag, "TLV aanvraag indienen", world.loket)


def test_school_cannot_withdraw_before_submitting(world, new_hulpvraag):
    hulpvraag = new_hulpvraag("TLV_VSO")
    with pytest.raises(OvergangNietToegestaan, match="kan de status niet naar"):
        change(hulpvraag, "TLV aanvraag ingetrokken", world.coordinator_a)


def test_a_status_of_another_process_is_refused(world, ingediend, new_hulpvraag):
    fa = new_hulpvraag("FA")
    with pytest.raises(OvergangNietToegestaan):
        hulpvraag_change_status(
            hulpvraag=ingediend,
            naar=status(fa, "FA aanvraag ingetrokken"),
            door=world.coordinator_a,
        )


def test_final_status_offers_nothing_and_refuses_everything(world, ingediend):
    change(ingediend, "TLV aanvraag ingetrokken", world.coordinator_a)
    assert available_transitions(hulpvraag=ingediend, user=world.coordinator_a) == []
    assert available_transitions(hulpvraag=ingediend, user=world.loket) == []
    with pytest.raises(OvergangNietToegestaan):
        change(ingediend, "TLV aanvraag compleet", world.loket)


def test_stale_page_is_refused_with_both_statuses_named(world, ingediend):
    gezien = ingediend.status  # the school's page shows "TLV aanvraag indienen"
    change(ingediend, "TLV aanvraag incompleet", world.loket, toelichting="OPP ontbreekt.")
    with pytest.raises(VerouderdeStatus) as refused:
        change(
            ingediend,
            "TLV aanvraag ingetrokken",
            world.coordinator_a,
            toelichting="Ouders willen niet meer.",
            gezien_status=gezien,
        )
    assert "u zag “TLV aanvraag indienen”" in refused.value.message
    assert "staat nu op “TLV aanvraag incompleet”" in refused.value.message
    assert "uw toelichting is bewaard" in refused.value.message
    ingediend.refresh_from_db()
    assert ingediend.status.naam == "TLV aanvraag incompleet"


# --- Guards and required toelichting -------------------------------------------------------------


def test_indienen_without_address_says_exactly_what_is_missing(world, new_hulpvraag):
    hulpvraag = new_hulpvraag("TLV_VSO", adres=False)
    with pytest.raises(ControleMislukt) as refused:
        change(hulpvraag, "TLV aanvraag indienen", world.coordinator_a)
    assert refused.value.message == (
        "De status kan nog niet naar “TLV aanvraag indienen”. Dit ontbreekt nog:"
    )
    assert refused.value.ontbrekend == [
        "Het adres van de leerling ontbreekt. Voeg het toe op het tabblad Basisgegevens via "
        "“+ Adres toevoegen”."
    ]
    assert Statuswijziging.objects.filter(hulpvraag=hulpvraag).count() == 1


def test_every_missing_item_is_listed_in_order(world, new_hulpvraag):
    hulpvraag = new_hulpvraag(
        "FA", adres=False, begindatum=dt.date(2020, 8, 1), einddatum=dt.date(2024, 7, 31)
    )
    with pytest.raises(ControleMislukt) as refused:
        change(hulpvraag, "FA aanvraag indienen", world.coordinator_a)
    assert len(refused.value.ontbrekend) == 2
    assert refused.value.ontbrekend[0].startswith("Het adres van de leerling ontbreekt.")
    assert refused.value.ontbrekend[1].startswith(
        "De schoolgegevens hebben een einddatum (31-07-2024)"
    )


def test_required_toelichting_and_meeting_date(world, new_hulpvraag, ib_basisschool):
    bag = new_hulpvraag("BAG")
    change(bag, "BAG aanvraag indienen", ib_basisschool)
    with pytest.raises(ControleMislukt) as refused:
        change(bag, "BAG geagendeerd", world.loket)
    assert refused.value.ontbrekend == [
        "Vul een toelichting in: bij de status “BAG geagendeerd” is die verplicht.",
        "Vermeld in de toelichting de datum van de vergadering (dd-mm-jjjj).",
    ]
    with pytest.raises(ControleMislukt) as refused:
        change(bag, "BAG geagendeerd", world.loket, toelichting="Binnenkort, 31-02-2027.")
    assert refused.value.ontbrekend == [
        "Vermeld in de toelichting de datum van de vergadering (dd-mm-jjjj)."
    ]
    change(bag, "BAG geagendeerd", world.loket, toelichting="  Op 03-03-2027 om 14.00 uur. ")
    assert bag.statuswijzigingen.last().toelichting == "Op 03-03-2027 om 14.00 uur."


def test_available_transitions_show_what_is_missing(world, new_hulpvraag):
    hulpvraag = new_hulpvraag("TLV_VSO", adres=False)
    [keuze] = available_transitions(hulpvraag=hulpvraag, user=world.coordinator_a)
    assert keuze.naar.naam == "TLV aanvraag indienen"
    assert keuze.ontbrekend and "adres" in keuze.ontbrekend[0]
    assert available_transitions(hulpvraag=hulpvraag, user=world.bestuurder_a) == []


def test_loket_choices_after_indienen(world, ingediend):
    names = [k.naar.naam for k in available_transitions(hulpvraag=ingediend, user=world.loket)]
    assert names == ["TLV aanvraag incompleet", "TLV vragen gesteld", "TLV aanvraag compleet"]
    school = [
        k.naar.naam for k in available_transitions(hulpvraag=ingediend, user=world.coordinator_a)
    ]
    assert school == ["TLV aanvraag ingetrokken"]
    # A school user of another school (who cannot see it) is offered nothing.
    assert available_transitions(hulpvraag=ingediend, user=world.collega_b) == []
    assert available_transitions(hulpvraag=ingediend, user=world.outsider) == []


def test_a_guard_registered_by_another_app_is_used(world, new_hulpvraag, monkeypatch):
    monkeypatch.setattr(guards, "_REGISTRY", dict(guards._REGISTRY))

    @guards.register_guard("test_formulier_ondertekend", label="Formulier ondertekend")
    def ondertekend(ctx):
        return ["Het formulier “Aanvraag TLV VSO” is nog niet ondertekend door het bevoegd gezag."]

    hulpvraag = new_hulpvraag("TLV_VSO")
    overgang = Overgang.objects.get(proces=hulpvraag.proces, naar__naam="TLV aanvraag indienen")
    overgang.controles = [*overgang.controles, "test_formulier_ondertekend"]
    overgang.save()
    with pytest.raises(ControleMislukt) as refused:
        change(hulpvraag, "TLV aanvraag indienen", world.coordinator_a)
    assert refused.value.ontbrekend == [
        "Het formulier “Aanvraag TLV VSO” is nog niet ondertekend door het bevoegd gezag."
    ]
    with pytest.raises(ValueError, match="al geregistreerd"):
        guards.register_guard("test_formulier_ondertekend", label="x")(lambda ctx: [])


def test_unknown_guard_fails_closed(world, new_hulpvraag):
    hulpvraag = new_hulpvraag("SV")
    overgang = Overgang.objects.get(proces=hulpvraag.proces, naar__naam="SV aanvraag indienen")
    overgang.controles = ["bestaat_niet"]
    overgang.save()
    with pytest.raises(ControleMislukt) as refused:
        change(hulpvraag, "SV aanvraag indienen", world.coordinator_a)
    assert refused.value.ontbrekend == [
        "De controle “bestaat_niet” is niet beschikbaar; neem contact op met de beheerder."
    ]


# --- Events --------------------------------------------------------------------------------------


def test_event_without_a_transition_changes_nothing(world, ingediend):
    before = Statuswijziging.objects.count()
    assert (
        hulpvraag_fire_event(
            hulpvraag=ingediend, event="bijlage_toegevoegd", door=world.coordinator_a
        )
        is None
    )
    assert (
        hulpvraag_fire_event(
            hulpvraag=ingediend, event="formulier_ondertekend", door=world.bestuurder_a
        )
        is None
    )
    assert Statuswijziging.objects.count() == before


def test_one_upload_of_several_files_moves_the_status_once(world, ingediend):
    change(ingediend, "TLV aanvraag incompleet", world.loket, toelichting="OPP ontbreekt.")
    results = [
        hulpvraag_fire_event(
            hulpvraag=ingediend, event="bijlage_toegevoegd", door=world.coordinator_a
        )
        for _ in range(3)
    ]
    assert results[0] is not None and results[1:] == [None, None]
    assert ingediend.status.naam == "TLV aanvraag aangevuld"
    assert ingediend.statuswijzigingen.filter(automatisch=True, van__isnull=False).count() == 1


def test_unknown_or_manual_event_is_a_programming_error(world, ingediend):
    with pytest.raises(ValueError):
        hulpvraag_fire_event(hulpvraag=ingediend, event="bijlage_verwijderd", door=None)
    with pytest.raises(ValueError):
        hulpvraag_fire_event(hulpvraag=ingediend, event="handmatig", door=None)


# --- History is append-only ----------------------------------------------------------------------


def test_statuswijziging_is_never_edited_or_deleted(world, ingediend):
    wijziging = ingediend.statuswijzigingen.last()
    wijziging.toelichting = "achteraf veranderd"
    with pytest.raises(AppendOnlyError):
        wijziging.save()
    with pytest.raises(AppendOnlyError):
        wijziging.delete()
    with pytest.raises(AppendOnlyError):
        Statuswijziging.objects.filter(pk=wijziging.pk).update(toelichting="x")
    with pytest.raises(AppendOnlyError):
        Statuswijziging.objects.filter(pk=wijziging.pk).delete()
    wijziging.refresh_from_db()
    assert wijziging.toelichting == ""


def test_creation_starts_the_history(world, new_hulpvraag):
    hulpvraag = new_hulpvraag("PRO")
    [eerste] = hulpvraag.statuswijzigingen.all()
    assert eerste.van is None and eerste.naar.naam == "PrO voorlopige aanvraag"
    assert eerste.door == world.coordinator_a and eerste.automatisch


# --- Outbox --------------------------------------------------------------------------------------


def rows(hulpvraag):
    return sorted(Notificatie.objects.filter(hulpvraag=hulpvraag).values_list("soort", "ontvanger"))


def test_school_submitting_tells_the_loket_not_itself(world, ingediend):
    assert rows(ingediend) == [(NotificatieSoort.SWV_INFORMEREN, world.org.loket_email)]
    notificatie = Notificatie.objects.get(hulpvraag=ingediend)
    assert notificatie.statuswijziging == ingediend.statuswijzigingen.last()
    assert notificatie.verzonden_op is None and notificatie.pogingen == 0


def test_loket_change_mails_the_contact_address_on_schoolgegevens(world, ingediend):
    Notificatie.objects.all().delete()
    change(ingediend, "TLV aanvraag incompleet", world.loket, toelichting="OPP ontbreekt.")
    # The Schoolgegevens address, not the account's own e-mail: a personeelswijziging re-routes.
    assert rows(ingediend) == [(NotificatieSoort.STATUS_GEWIJZIGD, "zorg@school-a.example")]


def test_supplement_goes_to_the_coordinator_when_there_is_one(world, ingediend):
    coordinator = UserFactory(organisatie=world.org, rol="swv_loket", email="coord@swv.example")
    ingediend.coordinator = coordinator
    ingediend.save()
    change(ingediend, "TLV vragen gesteld", world.loket, toelichting="Vragen.")
    Notificatie.objects.all().delete()
    hulpvraag_fire_event(hulpvraag=ingediend, event="bijlage_toegevoegd", door=world.coordinator_a)
    assert rows(ingediend) == [(NotificatieSoort.SWV_INFORMEREN, "coord@swv.example")]


def test_colleague_submitting_mails_the_aanvrager_and_the_swv(world, new_hulpvraag):
    collega = UserFactory(organisatie=world.org, rol="school", scholen=[world.school_a])
    hulpvraag = new_hulpvraag("SV")
    change(hulpvraag, "SV aanvraag indienen", collega)
    assert rows(hulpvraag) == [
        (NotificatieSoort.STATUS_GEWIJZIGD, "zorg@school-a.example"),
        (NotificatieSoort.SWV_INFORMEREN, world.org.loket_email),
    ]


def test_rollback_takes_status_history_and_outbox_back(world, ingediend):
    before = (Statuswijziging.objects.count(), Notificatie.objects.count())
    with pytest.raises(RuntimeError), transaction.atomic():
        change(ingediend, "TLV aanvraag incompleet", world.loket, toelichting="OPP ontbreekt.")
        assert Notificatie.objects.count() == before[1] + 1  # written inside the transaction
        raise RuntimeError("the request failed after the change")
    ingediend.refresh_from_db()
    assert ingediend.status.naam == "TLV aanvraag indienen"
    assert (Statuswijziging.objects.count(), Notificatie.objects.count()) == before
