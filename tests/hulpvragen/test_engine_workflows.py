"""The manual's "Stap voor stap instructie" for all five types, as tables of steps through the
engine: who acts, what they choose (or which event happens), and the status that follows. At every
step the loket sees the hulpvraag exactly when its status is visible to the SWV, and afterwards
the history is one connected chain from the first status to the current one."""

from __future__ import annotations

import pytest

from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.services import hulpvraag_change_status, hulpvraag_fire_event

pytestmark = pytest.mark.django_db

BIJLAGE = ("event", "bijlage_toegevoegd")

# (who, choice or event, toelichting) → expected status after the step.
PATHS = {
    "TLV_VSO": {
        "incompleet, aangevuld, vragen van deskundigen, afgegeven": [
            ("school", "TLV aanvraag indienen", "", "TLV aanvraag indienen"),
            ("loket", "TLV aanvraag incompleet", "OPP ontbreekt.", "TLV aanvraag incompleet"),
            ("school", BIJLAGE, "", "TLV aanvraag aangevuld"),
            ("loket", "TLV aanvraag compleet", "", "TLV aanvraag compleet"),
            ("loket", "TLV vragen gesteld", "Zie vragenlijst.", "TLV vragen gesteld"),
            ("school", BIJLAGE, "", "TLV aanvraag aangevuld"),
            ("loket", "TLV aanvraag compleet", "", "TLV aanvraag compleet"),
            ("loket", "TLV afgegeven", "", "TLV afgegeven"),
        ],
        "afwijzing toegelicht": [
            ("school", "TLV aanvraag indienen", "", "TLV aanvraag indienen"),
            ("loket", "TLV aanvraag compleet", "", "TLV aanvraag compleet"),
            (
                "loket",
                "TLV afwijzing toegelicht",
                "Advies deskundigen.",
                "TLV afwijzing toegelicht",
            ),
        ],
        "ingetrokken na vragen": [
            ("school", "TLV aanvraag indienen", "", "TLV aanvraag indienen"),
            ("loket", "TLV vragen gesteld", "Waarom VSO?", "TLV vragen gesteld"),
            (
                "school",
                "TLV aanvraag ingetrokken",
                "Ouders kiezen anders.",
                "TLV aanvraag ingetrokken",
            ),
        ],
    },
    "FA": {
        "incompleet, aangevuld, afgegeven, evaluatie": [
            ("school", "FA aanvraag indienen", "", "FA aanvraag indienen"),
            ("loket", "FA aanvraag incompleet", "Begroting ontbreekt.", "FA aanvraag incompleet"),
            ("school", BIJLAGE, "", "FA aanvraag aangevuld"),
            ("loket", "FA afgegeven", "", "FA afgegeven"),
            ("school", BIJLAGE, "", "FA evaluatie toegevoegd"),
        ],
        "vragen gesteld, afgewezen": [
            ("school", "FA aanvraag indienen", "", "FA aanvraag indienen"),
            ("loket", "FA vragen gesteld", "Hoeveel uur?", "FA vragen gesteld"),
            ("school", BIJLAGE, "", "FA aanvraag aangevuld"),
            ("loket", "FA afgewezen", "", "FA afgewezen"),
        ],
        "ingetrokken": [
            ("school", "FA aanvraag indienen", "", "FA aanvraag indienen"),
            ("school", "FA aanvraag ingetrokken", "", "FA aanvraag ingetrokken"),
        ],
    },
    "PRO": {
        "incompleet, aangehouden in de loketvergadering, akkoord": [
            ("school", "PrO aanvraag indienen", "", "PrO aanvraag indienen"),
            (
                "loket",
                "PrO aanvraag incompleet",
                "IQ-verslag ontbreekt.",
                "PrO aanvraag incompleet",
            ),
            ("school", BIJLAGE, "", "PrO aanvraag aangevuld"),
            ("loket", "PrO vragen gesteld", "Aangehouden: zie vragen.", "PrO vragen gesteld"),
            ("school", BIJLAGE, "", "PrO aanvraag aangevuld"),
            ("loket", "PrO afgegeven", "", "PrO afgegeven"),
        ],
        "afwijzing": [
            ("school", "PrO aanvraag indienen", "", "PrO aanvraag indienen"),
            ("loket", "PrO afwijzing", "Leerachterstand te klein.", "PrO afwijzing"),
        ],
        "ingetrokken": [
            ("school", "PrO aanvraag indienen", "", "PrO aanvraag indienen"),
            ("school", "PrO aanvraag ingetrokken", "", "PrO aanvraag ingetrokken"),
        ],
    },
    "SV": {
        "incompleet, aangevuld, toegekend": [
            ("school", "SV aanvraag indienen", "", "SV aanvraag indienen"),
            ("loket", "SV aanvraag incompleet", "Verslag ontbreekt.", "SV aanvraag incompleet"),
            ("school", BIJLAGE, "", "SV aanvraag aangevuld"),
            ("loket", "SV toegekend", "", "SV toegekend"),
        ],
        "afgewezen": [
            ("school", "SV aanvraag indienen", "", "SV aanvraag indienen"),
            ("loket", "SV afgewezen", "Past niet.", "SV afgewezen"),
        ],
        "ingetrokken": [
            ("school", "SV aanvraag indienen", "", "SV aanvraag indienen"),
            ("school", "SV aanvraag ingetrokken", "", "SV aanvraag ingetrokken"),
        ],
    },
    "BAG": {
        "geagendeerd, verplaatst, advies": [
            ("school", "BAG aanvraag indienen", "", "BAG aanvraag indienen"),
            ("loket", "BAG geagendeerd", "Vergadering op 12-03-2027.", "BAG geagendeerd"),
            ("loket", "BAG geagendeerd", "Verplaatst naar 19-03-2027.", "BAG geagendeerd"),
            ("loket", "BAG advies uitgebracht", "Advies: VSO.", "BAG advies uitgebracht"),
        ],
        "ingetrokken": [
            ("school", "BAG aanvraag indienen", "", "BAG aanvraag indienen"),
            ("school", "BAG aanvraag ingetrokken", "", "BAG aanvraag ingetrokken"),
        ],
    },
}


def besluit_record(hulpvraag, status: str, door) -> None:
    """Decision statuses need their record (besluiten.guards; the besluiten app writes it with the
    letter, tests/besluiten). Here only the engine is under test, so the record is set up."""
    from datetime import date

    from besluiten.models import Afwijzing, FinancieelArrangement, Toelaatbaarheidsverklaring

    common = {
        "organisatie_id": hulpvraag.organisatie_id,
        "hulpvraag": hulpvraag,
        "besluitdatum": date(2026, 6, 1),
        "vastgelegd_door": door,
    }
    if status in ("TLV afgegeven", "PrO afgegeven"):
        vso = status == "TLV afgegeven"
        Toelaatbaarheidsverklaring.objects.create(
            **common,
            leerling_id=hulpvraag.leerling_id,
            soort="VSO" if vso else "PRO",
            bekostigingscategorie="laag" if vso else "",
            ingangsdatum=date(2026, 8, 1),
            einddatum=date(2027, 7, 31),
        )
    elif status in ("TLV afwijzing toegelicht", "FA afgewezen"):
        Afwijzing.objects.create(**common, motivering="Zie advies.")
    elif status == "FA afgegeven":
        FinancieelArrangement.objects.create(
            **common,
            bedrag=1000,
            ingangsdatum=date(2026, 8, 1),
            einddatum=date(2027, 7, 31),
            evaluatiedatum=date(2027, 6, 1),
        )


CASES = [(t, name) for t, paths in PATHS.items() for name in paths]


@pytest.mark.parametrize(("type_", "path"), CASES, ids=[f"{t}: {n}" for t, n in CASES])
def test_manual_path(world, new_hulpvraag, ib_basisschool, type_, path):
    hulpvraag = new_hulpvraag(type_)
    school = ib_basisschool if type_ == "BAG" else world.coordinator_a
    actors = {"school": school, "loket": world.loket}
    initial = hulpvraag.status
    assert initial.naam.endswith("voorlopige aanvraag")
    assert hulpvraag not in hulpvragen_visible_to(world.loket)

    for who, choice, toelichting, expected in PATHS[type_][path]:
        gezien = hulpvraag.status
        if isinstance(choice, tuple):
            wijziging = hulpvraag_fire_event(hulpvraag=hulpvraag, event=choice[1], door=actors[who])
            assert wijziging is not None and wijziging.automatisch
        else:
            naar = hulpvraag.proces.statussen.get(naam=choice)
            besluit_record(hulpvraag, choice, actors[who])
            wijziging = hulpvraag_change_status(
                hulpvraag=hulpvraag,
                naar=naar,
                door=actors[who],
                toelichting=toelichting,
                gezien_status=gezien,
            )
            assert not wijziging.automatisch
            assert wijziging.toelichting == toelichting
        hulpvraag.refresh_from_db()
        assert hulpvraag.status.naam == expected
        assert wijziging.van == gezien and wijziging.door == actors[who]
        # Visibility follows the status: from indienen on, the loket sees it.
        assert (hulpvraag in hulpvragen_visible_to(world.loket)) is True

    assert hulpvraag.status.eindstatus
    history = list(hulpvraag.statuswijzigingen.order_by("op", "id"))
    assert history[0].van is None and history[0].naar == initial
    for earlier, later in zip(history, history[1:], strict=False):
        assert later.van == earlier.naar
    assert history[-1].naar == hulpvraag.status
    assert len(history) == len(PATHS[type_][path]) + 1


@pytest.mark.parametrize("type_", list(PATHS))
def test_every_default_status_is_on_some_tested_path(type_, world, new_hulpvraag):
    """The tables above visit every status of every shipped process."""
    proces = new_hulpvraag(type_).proces
    visited = {step[3] for steps in PATHS[type_].values() for step in steps}
    visited.add(proces.statussen.get(initieel=True).naam)
    assert set(proces.statussen.values_list("naam", flat=True)) == visited


def _transitions() -> list[tuple[str, str, str]]:
    """(type, van, naar) of every transition of the shipped processes."""
    from hulpvragen.services_processen import processen_default_data

    out = []
    for data in processen_default_data():
        for o in data["overgangen"]:
            for van in o["van"] if isinstance(o["van"], list) else [o["van"]]:
                out.append((data["type"], van, o["naar"]))
    return out


TRANSITIONS = _transitions()


@pytest.mark.parametrize(
    ("type_", "van", "naar"), TRANSITIONS, ids=[f"{t}: {v} → {n}" for t, v, n in TRANSITIONS]
)
def test_every_shipped_transition_can_be_taken(
    world, new_hulpvraag, ib_basisschool, type_, van, naar
):
    """Beyond the manual's example paths: each transition (e.g. ingetrokken "op enig moment na
    indienen", from every status) is reached by the shortest route and then taken by its party,
    manual or on the upload, with the loket's visibility and the history chain kept."""
    from collections import deque

    from hulpvragen.models import Overgang

    hulpvraag = new_hulpvraag(type_)
    school = ib_basisschool if type_ == "BAG" else world.coordinator_a
    party = {"school": school, "swv": world.loket, "systeem": school}
    overgangen = list(
        Overgang.objects.filter(proces=hulpvraag.proces).select_related("van", "naar")
    )

    # Shortest route from the initial status to `van`, then the transition itself.
    route = {hulpvraag.status.naam: []}
    todo = deque([hulpvraag.status.naam])
    while todo and van not in route:
        here = todo.popleft()
        for o in overgangen:
            if o.van.naam == here and o.naar.naam not in route:
                route[o.naar.naam] = [*route[here], o]
                todo.append(o.naar.naam)
    laatste = next(o for o in overgangen if o.van.naam == van and o.naar.naam == naar)

    for o in [*route[van], laatste]:
        door = party[o.door]
        if o.trigger != "handmatig":
            wijziging = hulpvraag_fire_event(hulpvraag=hulpvraag, event=o.trigger, door=door)
            assert wijziging is not None, o
        else:
            besluit_record(hulpvraag, o.naar.naam, door)
            hulpvraag_change_status(
                hulpvraag=hulpvraag,
                naar=o.naar,
                door=door,
                toelichting="Vergadering op 12-03-2027." if o.toelichting_verplicht else "",
                gezien_status=hulpvraag.status,
            )
        hulpvraag.refresh_from_db()
        assert hulpvraag.status == o.naar
        zichtbaar = hulpvragen_visible_to(world.loket).filter(pk=hulpvraag.pk).exists()
        assert zichtbaar == o.naar.zichtbaar_voor_swv

    history = list(hulpvraag.statuswijzigingen.order_by("op", "id"))
    assert [w.naar.naam for w in history[1:]] == [o.naar.naam for o in [*route[van], laatste]]
    for earlier, later in zip(history, history[1:], strict=False):
        assert later.van == earlier.naar
