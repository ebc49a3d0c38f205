"""The decision clock as a pure function, and over the shipped processes' statuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hulpvragen.models import Proces
from loket.klok import Fase, klok_bereken
from loket.services import status_fasen

T0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
ACHT_WEKEN = timedelta(weeks=8)


def dag(n: int) -> datetime:
    return T0 + timedelta(days=n)


def test_clock_starts_at_indienen_and_runs_eight_weeks():
    klok = klok_bereken([(dag(-3), Fase.VOORLOPIG), (dag(0), Fase.INGEDIEND)], termijn=ACHT_WEKEN)
    assert klok.ingediend_op == T0
    assert klok.deadline == T0 + ACHT_WEKEN
    assert klok.dagen_sinds_indienen(dag(10)) == 10
    assert not klok.te_laat(dag(56))
    assert klok.te_laat(dag(56) + timedelta(seconds=1))


def test_a_voorlopige_aanvraag_has_no_clock():
    klok = klok_bereken([(dag(0), Fase.VOORLOPIG)], termijn=ACHT_WEKEN)
    assert klok.deadline is None
    assert klok.dagen_sinds_indienen(dag(5)) is None
    assert not klok.te_laat(dag(500))


def test_incompleet_and_vragen_gesteld_pause_the_clock():
    klok = klok_bereken(
        [
            (dag(0), Fase.INGEDIEND),
            (dag(5), Fase.BIJ_SCHOOL),  # incompleet: 10 days at the school
            (dag(15), Fase.AANGEVULD),
            (dag(20), Fase.BIJ_SCHOOL),  # vragen gesteld: 4 days
            (dag(24), Fase.AANGEVULD),
            (dag(30), Fase.IN_BEHANDELING),
        ],
        termijn=ACHT_WEKEN,
    )
    assert klok.gepauzeerd == timedelta(days=14)
    assert klok.deadline == T0 + ACHT_WEKEN + timedelta(days=14)
    assert klok.pauze_sinds is None


def test_an_open_pause_moves_the_deadline_and_is_never_late():
    klok = klok_bereken([(dag(0), Fase.INGEDIEND), (dag(50), Fase.BIJ_SCHOOL)], termijn=ACHT_WEKEN)
    assert klok.pauze_sinds == dag(50)
    assert klok.deadline_op(dag(50)) == T0 + ACHT_WEKEN
    assert klok.deadline_op(dag(80)) == T0 + ACHT_WEKEN + timedelta(days=30)
    assert not klok.te_laat(dag(200))


def test_decision_or_withdrawal_stops_the_clock():
    besloten = klok_bereken(
        [(dag(0), Fase.INGEDIEND), (dag(70), Fase.BESLOTEN)], termijn=ACHT_WEKEN
    )
    assert besloten.gestopt_op == dag(70)
    assert not besloten.te_laat(dag(100))
    # A pause that a withdrawal ends counts up to the withdrawal; nothing after the stop counts.
    ingetrokken = klok_bereken(
        [
            (dag(0), Fase.INGEDIEND),
            (dag(10), Fase.BIJ_SCHOOL),
            (dag(12), Fase.INGETROKKEN),
            (dag(20), Fase.BIJ_SCHOOL),
        ],
        termijn=ACHT_WEKEN,
    )
    assert ingetrokken.gestopt_op == dag(12)
    assert ingetrokken.gepauzeerd == timedelta(days=2)
    assert ingetrokken.pauze_sinds is None


VERWACHT = {
    "TLV voorlopige aanvraag": Fase.VOORLOPIG,
    "TLV aanvraag indienen": Fase.INGEDIEND,
    "TLV aanvraag incompleet": Fase.BIJ_SCHOOL,
    "TLV vragen gesteld": Fase.BIJ_SCHOOL,
    "TLV aanvraag aangevuld": Fase.AANGEVULD,
    "TLV aanvraag compleet": Fase.IN_BEHANDELING,
    "TLV afgegeven": Fase.BESLOTEN,
    "TLV afwijzing toegelicht": Fase.BESLOTEN,
    "TLV aanvraag ingetrokken": Fase.INGETROKKEN,
    "FA aanvraag incompleet": Fase.BIJ_SCHOOL,
    "FA vragen gesteld": Fase.BIJ_SCHOOL,
    "FA afgegeven": Fase.BESLOTEN,  # an upload then is the evaluation, not an answer
    "FA evaluatie toegevoegd": Fase.BESLOTEN,
    "PrO aanvraag incompleet": Fase.BIJ_SCHOOL,
    "PrO vragen gesteld": Fase.BIJ_SCHOOL,
    "PrO aanvraag aangevuld": Fase.AANGEVULD,
    "PrO afgegeven": Fase.BESLOTEN,
    "PrO afwijzing": Fase.BESLOTEN,
    "SV aanvraag incompleet": Fase.BIJ_SCHOOL,
    "SV toegekend": Fase.BESLOTEN,
    "BAG aanvraag indienen": Fase.INGEDIEND,
    "BAG geagendeerd": Fase.IN_BEHANDELING,
    "BAG advies uitgebracht": Fase.BESLOTEN,
}


@pytest.mark.django_db
def test_shipped_statuses_are_read_into_the_right_phase(world):
    processen = Proces.objects.filter(organisatie=world.org)
    fasen = status_fasen(proces_ids=processen.values_list("pk", flat=True))
    namen = {
        s.naam: fasen[s.pk]
        for p in processen.prefetch_related("statussen")
        for s in p.statussen.all()
    }
    assert {naam: namen[naam] for naam in VERWACHT} == VERWACHT
