"""Processes as data: the shipped files are valid processes, validation finds what is wrong,
versions, and which types a school may choose."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from hulpvragen.models import (
    Hulpvraag,
    Proces,
    Statuswijziging,
    TypePerSector,
)
from hulpvragen.process_validation import (
    OvergangSpec,
    StatusSpec,
    proces_problems,
    proces_validate,
)
from hulpvragen.selectors import hulpvraag_types_for_school
from hulpvragen.services import hulpvraag_change_status
from hulpvragen.services_processen import (
    proces_activate,
    proces_new_version,
    processen_load_defaults,
)
from organisaties.models import Organisatie

pytestmark = pytest.mark.django_db


def test_every_shipped_process_is_valid_and_has_instructions(world):
    processen = Proces.objects.filter(organisatie=world.org)
    assert sorted(processen.values_list("type", flat=True)) == ["BAG", "FA", "PRO", "SV", "TLV_VSO"]
    for proces in processen:
        assert proces_validate(proces) == []
        for status in proces.statussen.all():
            assert len(status.omschrijving) > 60, status.naam
        initieel = proces.statussen.get(initieel=True)
        assert initieel.naam.endswith("voorlopige aanvraag") and not initieel.zichtbaar_voor_swv
        assert proces.statussen.filter(zichtbaar_voor_swv=False).count() == 1


def test_loading_twice_changes_nothing(world):
    counts = (Proces.objects.count(), TypePerSector.objects.count())
    assert processen_load_defaults(organisatie=world.org) == []
    assert (Proces.objects.count(), TypePerSector.objects.count()) == counts


S = StatusSpec
O = OvergangSpec  # noqa: E741


def valid():
    return (
        [
            S(1, "voorlopig", initieel=True, kiezen_door="systeem"),
            S(2, "indienen", kiezen_door="school"),
            S(3, "afgegeven", eindstatus=True),
        ],
        [O(1, 2, "school"), O(2, 3, "swv")],
    )


def test_validation_accepts_a_small_valid_process():
    assert proces_problems(*valid()) == []


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (lambda s, o: (s + [S(4, "tweede begin", initieel=True)], o), "precies één beginstatus"),
        (lambda s, o: (s + [S(4, "wees", eindstatus=True)], o), "“wees” is niet bereikbaar"),
        (lambda s, o: (s, o + [O(3, 2, "swv")]), "eindstatus “afgegeven” heeft uitgaande"),
        (
            lambda s, o: (s + [S(4, "doodlopend")], o + [O(2, 4, "swv")]),
            "“doodlopend” heeft geen uitgaande overgang",
        ),
        (lambda s, o: (s, [O(1, 2, "systeem"), o[1]]), "niet automatisch"),
        (lambda s, o: (s, o + [O(2, 3, "school")]), "maar de status “afgegeven” kiest"),
        (
            lambda s, o: (s, [O(1, 2, "school", controles=("bestaat_niet",)), o[1]]),
            "de controle “bestaat_niet” bestaat niet",
        ),
        (
            lambda s, o: (
                s + [S(4, "x", eindstatus=True)],
                o
                + [
                    O(2, 3, "systeem", "bijlage_toegevoegd"),
                    O(2, 4, "systeem", "bijlage_toegevoegd"),
                ],
            ),
            "meerdere overgangen op “bijlage toegevoegd”",
        ),
        (lambda s, o: ([x for x in s if not x.eindstatus], o[:1]), "geen eindstatus"),
    ],
)
def test_validation_names_the_problem(mutate, problem):
    problems = proces_problems(*mutate(*valid()))
    assert any(problem in p for p in problems), problems


def test_hulpvraag_keeps_its_process_version(world, new_hulpvraag):
    oud = new_hulpvraag("SV")
    v1 = oud.proces
    v2 = proces_new_version(proces=v1)
    assert (v2.versie, v2.actief) == (2, False)
    assert v2.statussen.count() == v1.statussen.count()
    assert v2.overgangen.count() == v1.overgangen.count()
    v2.statussen.filter(naam="SV toegekend").update(naam="SV plaatsing toegekend")
    proces_activate(proces=v2)
    v1.refresh_from_db()
    assert not v1.actief

    nieuw = new_hulpvraag("SV")
    assert nieuw.proces == v2
    oud.refresh_from_db()
    assert oud.proces == v1 and oud.status.proces == v1
    # The old hulpvraag still runs on version 1's statuses and transitions.
    hulpvraag_change_status(
        hulpvraag=oud, naar=v1.statussen.get(naam="SV aanvraag indienen"), door=world.coordinator_a
    )
    hulpvraag_change_status(
        hulpvraag=oud, naar=v1.statussen.get(naam="SV toegekend"), door=world.loket
    )
    assert Statuswijziging.objects.filter(hulpvraag=oud).last().naar.proces == v1
    # And a version-2 status cannot be set on it.
    with pytest.raises(Exception, match="kan de status niet naar"):
        hulpvraag_change_status(
            hulpvraag=nieuw,
            naar=v1.statussen.get(naam="SV aanvraag indienen"),
            door=world.coordinator_a,
        )


def test_an_invalid_version_cannot_be_activated(world):
    v1 = Proces.objects.get(organisatie=world.org, type="BAG")
    v2 = proces_new_version(proces=v1)
    v2.statussen.filter(initieel=True).update(initieel=False)
    with pytest.raises(ValidationError, match="precies één beginstatus"):
        proces_activate(proces=v2)
    v1.refresh_from_db()
    assert v1.actief


def test_types_per_school_sector(world, basisschool):
    assert hulpvraag_types_for_school(school=world.school_a) == ["TLV_VSO", "FA", "PRO", "SV"]
    assert hulpvraag_types_for_school(school=basisschool) == ["BAG"]
    TypePerSector.objects.filter(organisatie=world.org, type="BAG").delete()
    assert hulpvraag_types_for_school(school=basisschool) == []


def test_demo_moves_hulpvragen_through_the_engine(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    vo = Organisatie.objects.get(code="VO2505")
    ingediend = Hulpvraag.objects.filter(organisatie=vo, status__naam__endswith="aanvraag indienen")
    assert ingediend.count() == 3
    for hulpvraag in ingediend:
        laatste = hulpvraag.statuswijzigingen.last()
        assert laatste.van.initieel and not laatste.automatisch
        assert hulpvraag.notificaties.filter(ontvanger=vo.loket_email).exists()
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Statuswijziging.objects.filter(organisatie=vo).count() == 3 + vo.hulpvragen.count()
