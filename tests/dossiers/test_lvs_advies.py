"""bereken_pro_advies: worked examples a careful orthopedagoog computes by hand (DESIGN.md §6),
and properties that must hold for every input."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dossiers.lvs import DOMEINEN, STANDAARD_MAANDWAARDEN, ProInstellingen, ProInvoer, ProInvoerFout
from dossiers.lvs_berekening import bereken_dl, bereken_pro_advies

D = Decimal


def po(groep, datum, dle, iq, doublures=0, sep=False):
    return ProInvoer(
        groep=groep,
        vo_leerjaar=None,
        doublures=doublures,
        toetsdatum=datum,
        dle=dle,
        iq=iq,
        sociaal_emotionele_problematiek=sep,
    )


def vo(dle, iq, leerjaar=1, datum=date(2026, 3, 2), sep=False):
    return ProInvoer(
        groep=None,
        vo_leerjaar=leerjaar,
        toetsdatum=datum,
        dle=dle,
        iq=iq,
        sociaal_emotionele_problematiek=sep,
    )


FEB5 = ProInstellingen(maandwaarden=(5, 5, 7, 8, 9, 10, 10, 10, 1, 2, 3, 4))

# (name, invoer, instellingen, DL, shown leerachterstand, praktijkonderwijs, LWOO profile)
WORKED_EXAMPLES = [
    (
        "issue example: groep 8 in January",
        po(8, date(2026, 1, 20), {"BL": 25, "IR": 27, "TL": 40, "SP": 45}, 70),
        None,
        55,
        {"BL": D("54.55"), "IR": D("50.91"), "TL": D("27.27"), "SP": D("18.18")},
        True,
        False,
    ),
    # VO: DL 60; BL 30 is exactly 50 %, IR 20 is 66,67 %.
    (
        "IQ 54 is below the range",
        vo({"BL": 30, "IR": 20}, 54),
        None,
        60,
        {"BL": D("50.00"), "IR": D("66.67")},
        False,
        False,
    ),
    (
        "IQ 55 is inside (inclusive)",
        vo({"BL": 30, "IR": 20}, 55),
        None,
        60,
        {"BL": D("50.00"), "IR": D("66.67")},
        True,
        False,
    ),
    (
        "IQ 75 is inside",
        vo({"BL": 30, "IR": 20}, 75),
        None,
        60,
        {"BL": D("50.00"), "IR": D("66.67")},
        True,
        False,
    ),
    (
        "IQ 80 is inside (inclusive)",
        vo({"BL": 30, "IR": 20}, 80),
        None,
        60,
        {"BL": D("50.00"), "IR": D("66.67")},
        True,
        False,
    ),
    (
        "IQ 81 is above the range",
        vo({"BL": 30, "IR": 20}, 81),
        None,
        60,
        {"BL": D("50.00"), "IR": D("66.67")},
        False,
        False,
    ),
    (
        "IQ unknown: no PrO",
        vo({"BL": 30, "IR": 20}, None),
        None,
        60,
        {"BL": D("50.00"), "IR": D("66.67")},
        False,
        False,
    ),
    # Exactly 50 % counts; one month more DLE (48,33 %) does not.
    (
        "leerachterstand exactly 50 % in BL and IR",
        vo({"BL": 30, "IR": 30}, 70),
        None,
        60,
        {"BL": D("50.00"), "IR": D("50.00")},
        True,
        False,
    ),
    (
        "just under 50 %",
        vo({"BL": 30, "IR": 31}, 70),
        None,
        60,
        {"BL": D("50.00"), "IR": D("48.33")},
        False,
        False,
    ),
    # DL 55, DLE 27.5 is exactly half: counts.
    (
        "fractional DLE exactly at 50 %",
        po(8, date(2026, 1, 5), {"BL": D("27.5"), "IR": 20}, 70),
        None,
        55,
        {"BL": D("50.00"), "IR": D("63.64")},
        True,
        False,
    ),
    # 27.498 / 55 = 0.49996…: shown 50,00 % but exactly below 50 %, so it does not count.
    (
        "shown 50,00 % but exactly below",
        po(8, date(2026, 1, 5), {"BL": D("27.502"), "IR": 20}, 70),
        None,
        55,
        {"BL": D("50.00"), "IR": D("63.64")},
        False,
        False,
    ),
    # Cap: groep 8 + 1 doublure in May = 50 + 10 + 9 = 69 → 60.
    (
        "cap at 60",
        po(8, date(2026, 5, 12), {"BL": 30, "IR": 25}, 70, doublures=1),
        None,
        60,
        {"BL": D("50.00"), "IR": D("58.33")},
        True,
        False,
    ),
    (
        "groep 8 in July reaches 60 exactly",
        po(8, date(2026, 7, 1), {"BL": 20}, 70),
        None,
        60,
        {"BL": D("66.67")},
        False,
        False,
    ),
    # Groep 6 in January: doubled groep 2 (does not count) → DL 35: 15/35 = 42,86 %.
    (
        "doublure in groep 2 does not count",
        po(6, date(2026, 1, 15), {"BL": 20, "IR": 20}, 70),
        None,
        35,
        {"BL": D("42.86"), "IR": D("42.86")},
        False,
        False,
    ),
    # Doubled groep 5 → DL 45: 25/45 = 55,56 %.
    (
        "doublure in groep 5 counts",
        po(6, date(2026, 1, 15), {"BL": 20, "IR": 20}, 70, doublures=1),
        None,
        45,
        {"BL": D("55.56"), "IR": D("55.56")},
        True,
        False,
    ),
    (
        "TL + SP alone is not enough",
        vo({"BL": 40, "IR": 40, "TL": 20, "SP": 20}, 70),
        None,
        60,
        {"BL": D("33.33"), "IR": D("33.33"), "TL": D("66.67"), "SP": D("66.67")},
        False,
        False,
    ),
    (
        "IR + SP is enough",
        vo({"BL": 40, "IR": 25, "TL": 40, "SP": 20}, 70),
        None,
        60,
        {"BL": D("33.33"), "IR": D("58.33"), "TL": D("33.33"), "SP": D("66.67")},
        True,
        False,
    ),
    (
        "missing domains do not count: BL + IR suffice",
        vo({"BL": 20, "IR": 25}, 70),
        None,
        60,
        {"BL": D("66.67"), "IR": D("58.33")},
        True,
        False,
    ),
    (
        "one domain only is not enough",
        vo({"BL": 10}, 70),
        None,
        60,
        {"BL": D("83.33")},
        False,
        False,
    ),
    ("no toetsen at all", vo({}, 70), None, 60, {}, False, False),
    (
        "DLE above DL is 0 %, never negative",
        po(5, date(2026, 10, 1), {"BL": 40, "IR": 5}, 70),
        None,
        22,
        {"BL": D("0.00"), "IR": D("77.27")},
        False,
        False,
    ),
    (
        "VO leerjaar 3 also has DL 60",
        vo({"BL": 24, "IR": 24}, 62, leerjaar=3),
        None,
        60,
        {"BL": D("60.00"), "IR": D("60.00")},
        True,
        False,
    ),
    # February: default 6 → DL 56, BL 28 is exactly 50 %.
    (
        "February is 6 by default",
        po(8, date(2026, 2, 10), {"BL": 28, "IR": 20}, 70),
        None,
        56,
        {"BL": D("50.00"), "IR": D("64.29")},
        True,
        False,
    ),
    # February as 5 (Cito midden) → DL 55: BL 27/55 = 49,09 %: only IR counts.
    (
        "February configured as 5",
        po(8, date(2026, 2, 10), {"BL": 28, "IR": 20}, 70),
        FEB5,
        55,
        {"BL": D("49.09"), "IR": D("63.64")},
        False,
        False,
    ),
    # LWOO profile (information only): IQ 75–90, LA 25–50 % in ≥ 2 domains, ≥ 1 BL or IR.
    (
        "LWOO profile with IQ 85",
        vo({"BL": 40, "IR": 42, "TL": 50, "SP": 55}, 85),
        None,
        60,
        {"BL": D("33.33"), "IR": D("30.00"), "TL": D("16.67"), "SP": D("8.33")},
        False,
        True,
    ),
    (
        "IQ 100 without sociaal-emotionele problematiek: no LWOO",
        vo({"BL": 40, "IR": 42}, 100),
        None,
        60,
        {"BL": D("33.33"), "IR": D("30.00")},
        False,
        False,
    ),
    (
        "IQ 100 with sociaal-emotionele problematiek: LWOO",
        vo({"BL": 40, "IR": 42}, 100, sep=True),
        None,
        60,
        {"BL": D("33.33"), "IR": D("30.00")},
        False,
        True,
    ),
    (
        "IQ 121 is above the LWOO range",
        vo({"BL": 40, "IR": 42}, 121, sep=True),
        None,
        60,
        {"BL": D("33.33"), "IR": D("30.00")},
        False,
        False,
    ),
    (
        "LWOO needs BL or IR",
        vo({"BL": 60, "IR": 55, "TL": 40, "SP": 40}, 85),
        None,
        60,
        {"BL": D("0.00"), "IR": D("8.33"), "TL": D("33.33"), "SP": D("33.33")},
        False,
        False,
    ),
]


@pytest.mark.parametrize(
    ("invoer", "instellingen", "dl", "la", "pro", "lwoo"),
    [example[1:] for example in WORKED_EXAMPLES],
    ids=[example[0] for example in WORKED_EXAMPLES],
)
def test_worked_examples(invoer, instellingen, dl, la, pro, lwoo):
    advies = bereken_pro_advies(invoer, instellingen)
    assert advies.dl == dl
    assert advies.leerachterstand == la
    assert advies.praktijkonderwijs is pro
    assert advies.lwoo_profiel is lwoo
    assert advies.redenen[-2].startswith(
        "Berekend advies: praktijkonderwijs" if pro else "Berekend advies: geen praktijkonderwijs"
    )


def test_reasons_name_the_numbers_in_plain_dutch():
    advies = bereken_pro_advies(
        po(8, date(2026, 1, 20), {"BL": 25, "IR": 27, "TL": 40, "SP": 45}, 70)
    )
    tekst = "\n".join(advies.redenen)
    assert "De didactische leeftijd (DL) op 20-01-2026 is 55 maanden: groep 8" in tekst
    assert "toetsmaand januari (5)" in tekst
    assert "Het totaal IQ is 70: dat ligt tussen 55 en 80 (inclusief)" in tekst
    assert "begrijpend lezen (54,55 %) en inzichtelijk rekenen (50,91 %)" in tekst
    assert "Aan het criterium leerachterstand is voldaan." in tekst
    assert "LWOO" in advies.redenen[-1]


@pytest.mark.parametrize(
    ("invoer", "fragment"),
    [
        (vo({"BL": 40, "IR": 40, "TL": 20, "SP": 20}, 70), "maar niet in begrijpend lezen"),
        (vo({"BL": 20}, 70), "nodig zijn ten minste 2 domeinen"),
        (vo({"BL": 20}, 70), "Niet ingevuld, telt dus niet mee: inzichtelijk rekenen,"),
        (vo({"BL": 20, "IR": 20}, 81), "hoger dan 80, de bovengrens"),
        (vo({"BL": 20, "IR": 20}, 54), "lager dan 55, de ondergrens"),
        (vo({"BL": 20, "IR": 20}, None), "geen totaal IQ bekend"),
        (po(8, date(2026, 5, 1), {"BL": 20}, 70, doublures=1), "Berekend 69, maar de DL is"),
        (po(8, date(2026, 1, 5), {"BL": D("27.502"), "IR": 20}, 70), "exact net minder dan 50 %"),
        (vo({"BL": 20, "IR": 20}, 90), "want aan het IQ-criterium is niet voldaan"),
        (vo({"BL": 50, "IR": 50}, 60), "want aan het criterium leerachterstand is niet voldaan"),
    ],
)
def test_why_not_is_explained(invoer, fragment):
    assert fragment in "\n".join(bereken_pro_advies(invoer).redenen)


@pytest.mark.parametrize(
    ("invoer", "veld", "fragment"),
    [
        (po(8, date(2026, 1, 5), {"BL": -1}, 70), "dle", "kan niet negatief zijn"),
        (po(2, date(2026, 1, 5), {"BL": 10}, 70), "groep", "groep 2 kan niet"),
        (po(9, date(2026, 1, 5), {"BL": 10}, 70), "groep", "groep 9 kan niet"),
        (
            ProInvoer(groep=None, vo_leerjaar=None, toetsdatum=date(2026, 1, 5), dle={}, iq=70),
            "groep",
            "Vul in de schoolgegevens de groep",
        ),
        (vo({"BL": 10}, 39), "iq", "tussen 40 en 160; 39 kan niet"),
        (vo({"BL": 10}, 161), "iq", "161 kan niet"),
        (vo({"BL": 10}, 70, leerjaar=7), "vo_leerjaar", "Leerjaar 7 bestaat niet"),
        (vo({"XX": 10}, 70), "dle", "Onbekend domein XX"),
    ],
)
def test_bad_input_raises_a_clear_dutch_error(invoer, veld, fragment):
    with pytest.raises(ProInvoerFout) as fout:
        bereken_pro_advies(invoer)
    assert fragment in " ".join(fout.value.fouten[veld])
    assert fragment in str(fout.value)


def test_boundaries_accept_40_and_160():
    assert not bereken_pro_advies(vo({"BL": 10}, 40)).praktijkonderwijs
    assert not bereken_pro_advies(vo({"BL": 10}, 160)).praktijkonderwijs


def test_per_domain_toetsdatum_gives_each_domain_its_own_dl():
    invoer = replace(
        po(8, date(2026, 3, 2), {"BL": 28, "IR": 28}, 70),
        toetsdatum_per_domein={"BL": date(2025, 10, 1)},
    )
    advies = bereken_pro_advies(invoer)
    assert advies.dl == 57
    assert advies.dl_per_domein == {"BL": 52, "IR": 57}
    assert advies.leerachterstand == {"BL": D("46.15"), "IR": D("50.88")}
    assert "Met een andere toetsdatum: begrijpend lezen 52 maanden." in advies.redenen[0]


def test_organisation_thresholds_are_used():
    streng = ProInstellingen(pro_iq_min=60, pro_iq_max=75, pro_la_min=D("55"), min_domeinen=3)
    invoer = vo({"BL": 24, "IR": 24, "TL": 24}, 70)  # 60 % in three domains
    assert bereken_pro_advies(invoer, streng).praktijkonderwijs
    assert not bereken_pro_advies(replace(invoer, iq=76), streng).praktijkonderwijs
    assert not bereken_pro_advies(
        replace(invoer, dle={"BL": 24, "IR": 24}), streng
    ).praktijkonderwijs
    assert "tussen 60 en 75 (inclusief)" in bereken_pro_advies(invoer, streng).redenen[1]
    assert "55 % of meer in 3 domeinen" in "\n".join(bereken_pro_advies(invoer, streng).redenen)


# --- Properties ---------------------------------------------------------------------------------

datums = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
dle_waarden = st.one_of(
    st.integers(min_value=0, max_value=80),
    st.decimals(min_value=0, max_value=80, places=2, allow_nan=False, allow_infinity=False),
)
dles = st.dictionaries(st.sampled_from(DOMEINEN), dle_waarden, max_size=4)
iqs = st.one_of(st.none(), st.integers(min_value=40, max_value=160))


@st.composite
def invoeren(draw, dle=dles):
    if draw(st.booleans()):
        groep = draw(st.integers(min_value=3, max_value=8))
        leerjaar = None
        doublures = draw(st.integers(min_value=0, max_value=4))
    else:
        groep, leerjaar, doublures = None, draw(st.integers(min_value=1, max_value=6)), 0
    return ProInvoer(
        groep=groep,
        vo_leerjaar=leerjaar,
        doublures=doublures,
        toetsdatum=draw(datums),
        dle=draw(dle),
        iq=draw(iqs),
        sociaal_emotionele_problematiek=draw(st.booleans()),
    )


maandtabellen = st.tuples(*[st.integers(min_value=1, max_value=12)] * 12)


@given(invoeren(), maandtabellen)
def test_dl_is_at_most_60_and_a_vo_pupil_has_60(invoer, maanden):
    inst = ProInstellingen(maandwaarden=maanden)
    advies = bereken_pro_advies(invoer, inst)
    assert 1 <= advies.dl <= 60
    if invoer.groep is None:
        assert advies.dl == 60
    else:
        maand = maanden[invoer.toetsdatum.month - 1]
        assert advies.dl == min(60, (invoer.groep - 3) * 10 + 10 * invoer.doublures + maand)


@given(invoeren())
def test_leerachterstand_is_never_negative_and_at_most_100(invoer):
    advies = bereken_pro_advies(invoer)
    for code, la in advies.leerachterstand.items():
        assert D("0.00") <= la <= D("100.00")
        assert 0 <= advies.leerachterstand_exact[code] <= 1
        # What is shown is the exact value rounded to two decimals.
        assert abs(Fraction(la) - advies.leerachterstand_exact[code] * 100) <= Fraction(1, 200)


@given(invoeren(), st.sampled_from(DOMEINEN), st.integers(min_value=0, max_value=40))
def test_a_higher_dle_never_raises_a_leerachterstand(invoer, domein, meer):
    assume(domein in invoer.dle)
    hoger = replace(invoer, dle={**invoer.dle, domein: invoer.dle[domein] + meer})
    voor, na = bereken_pro_advies(invoer), bereken_pro_advies(hoger)
    assert na.leerachterstand_exact[domein] <= voor.leerachterstand_exact[domein]
    assert na.praktijkonderwijs <= voor.praktijkonderwijs


@given(invoeren(), st.sampled_from(DOMEINEN), dle_waarden)
def test_adding_a_domain_never_turns_praktijkonderwijs_into_not(invoer, domein, dle):
    assume(domein not in invoer.dle)
    meer = replace(invoer, dle={**invoer.dle, domein: dle})
    if bereken_pro_advies(invoer).praktijkonderwijs:
        assert bereken_pro_advies(meer).praktijkonderwijs


@given(invoeren())
def test_a_missing_domain_counts_as_no_achterstand(invoer):
    # Filling in every missing domain with a DLE at the DL (0 %) changes nothing.
    advies = bereken_pro_advies(invoer)
    volledig = replace(invoer, dle={c: invoer.dle.get(c, Decimal(advies.dl)) for c in DOMEINEN})
    assert bereken_pro_advies(volledig).praktijkonderwijs == advies.praktijkonderwijs
    assert bereken_pro_advies(volledig).lwoo_profiel == advies.lwoo_profiel


@given(invoeren(dle=st.dictionaries(st.sampled_from(["TL", "SP"]), dle_waarden)))
def test_technisch_lezen_and_spellen_alone_are_never_enough(invoer):
    assert not bereken_pro_advies(invoer).praktijkonderwijs


@given(invoeren(), st.integers(min_value=40, max_value=160))
def test_iq_counts_only_between_55_and_80_inclusive(invoer, iq):
    met_iq = replace(invoer, iq=iq)
    met_70 = replace(invoer, iq=70)
    advies = bereken_pro_advies(met_iq)
    if 55 <= iq <= 80:
        assert advies.praktijkonderwijs == bereken_pro_advies(met_70).praktijkonderwijs
    else:
        assert not advies.praktijkonderwijs


@given(invoeren(dle=st.just({})), st.sampled_from(["BL", "IR"]), st.sampled_from(DOMEINEN))
def test_exactly_50_percent_counts_and_a_hair_less_does_not(invoer, kern, ander):
    assume(kern != ander)
    dl = bereken_pro_advies(invoer).dl
    half = Decimal(dl) / 2  # exact: dl is an integer, so dl/2 has at most one decimal
    precies = replace(invoer, dle={kern: half, ander: half}, iq=70)
    advies = bereken_pro_advies(precies)
    assert advies.leerachterstand[kern] == D("50.00")
    assert advies.praktijkonderwijs
    net_niet = replace(precies, dle={kern: half + D("0.001"), ander: half})
    assert not bereken_pro_advies(net_niet).praktijkonderwijs


@given(st.integers(min_value=3, max_value=8), st.integers(min_value=1, max_value=10))
def test_february_value_is_configurable(groep, februari):
    maanden = list(STANDAARD_MAANDWAARDEN)
    maanden[1] = februari
    inst = ProInstellingen(maandwaarden=tuple(maanden))
    dl = bereken_dl(
        groep=groep, vo_leerjaar=None, doublures=0, toetsdatum=date(2026, 2, 14), instellingen=inst
    )
    assert dl == min(60, (groep - 3) * 10 + februari)
    standaard = bereken_dl(groep=groep, vo_leerjaar=None, doublures=0, toetsdatum=date(2026, 2, 14))
    assert standaard == min(60, (groep - 3) * 10 + 6)


def test_code_is_stable_for_the_pro_form():
    pro = bereken_pro_advies(vo({"BL": 20, "IR": 20}, 70))
    niet = bereken_pro_advies(vo({"BL": 20, "IR": 20}, 90))
    assert (pro.code, niet.code) == ("praktijkonderwijs", "geen_praktijkonderwijs")
    assert (pro.conclusie, niet.conclusie) == ("Praktijkonderwijs", "Geen praktijkonderwijs")


@pytest.mark.parametrize(
    ("dag", "begin"),
    [
        (date(2026, 8, 1), date(2026, 8, 1)),
        (date(2026, 7, 31), date(2025, 8, 1)),
        (date(2027, 1, 15), date(2026, 8, 1)),
    ],
)
def test_schooljaar_begin(dag, begin):
    from dossiers.lvs import schooljaar_begin

    assert schooljaar_begin(dag) == begin
