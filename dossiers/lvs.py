"""PrO advice from LVS data: didactische leeftijd, leerachterstand and the landelijke criteria.

Pure code: no database, no request. The LVS tab, the PrO form and anyone else call
`bereken_pro_advies(ProInvoer(...), instellingen)`; the organisation's thresholds come in as a
`ProInstellingen` (dossiers.selectors.lvs_instellingen_for builds one from the beheerder's row).

Spec: the manual's "PRO zij-instroom" steps 1–3 and DESIGN.md §6 "PrO criteria"; decisions that
go beyond it are in docs/lvs.md.

Thresholds are compared on exact fractions (fractions.Fraction), never on the rounded percentage
shown: 49.996 % is shown as 50,00 % but is not "50 % or more".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

BL, IR, TL, SP = "BL", "IR", "TL", "SP"


DOMEINEN: tuple[str, ...] = (BL, IR, TL, SP)


# At least one domain with a leerachterstand must be one of these (TL + SP alone is not enough).
KERNDOMEINEN: frozenset[str] = frozenset({BL, IR})


def domein_naam(code: str) -> str:
    return {
        BL: _("begrijpend lezen"),
        IR: _("inzichtelijk rekenen"),
        TL: _("technisch lezen"),
        SP: _("spellen"),
    }[code]


MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


# Month of the toetsdatum → months of education in the current school year (index 0 = January).
# September is the first month of the school year; July and August count as a full year (10).
# February is 6 here; some sources use 5 (the Cito "midden" moment): configurable.
STANDAARD_MAANDWAARDEN: tuple[int, ...] = (5, 6, 7, 8, 9, 10, 10, 10, 1, 2, 3, 4)


@dataclass(frozen=True)
class ProInstellingen:
    """The landelijke criteria as defaults; an organisation's beheerder may change every one.
    Percentages are in percent (50 means 50 %)."""

    pro_iq_min: int = 55
    pro_iq_max: int = 80
    pro_la_min: Decimal = Decimal(50)
    min_domeinen: int = 2
    lwoo_iq_min: int = 75
    lwoo_iq_max: int = 90
    lwoo_sep_iq_max: int = 120
    lwoo_la_min: Decimal = Decimal(25)
    dl_max: int = 60
    maandwaarden: tuple[int, ...] = STANDAARD_MAANDWAARDEN

    def __post_init__(self) -> None:
        if len(self.maandwaarden) != 12:
            raise ValueError("maandwaarden needs 12 values, January first")


STANDAARD_INSTELLINGEN = ProInstellingen()


class ProInvoerFout(ValueError):
    """Bad input, with Dutch messages per field (so a form can show each at its field)."""

    def __init__(self, fouten: Mapping[str, list[str]]):
        self.fouten = {veld: list(berichten) for veld, berichten in fouten.items()}
        super().__init__(" ".join(b for berichten in self.fouten.values() for b in berichten))


IQ_MIN, IQ_MAX = 40, 160


def iq_fout(iq: int) -> str | None:
    if not IQ_MIN <= iq <= IQ_MAX:
        return _("Een totaal IQ ligt tussen %(min)s en %(max)s; %(iq)s kan niet.") % {
            "min": IQ_MIN,
            "max": IQ_MAX,
            "iq": iq,
        }
    return None


def dle_fout(dle: int | Decimal | Fraction) -> str | None:
    if dle < 0:
        return _("Een DLE is een aantal maanden en kan niet negatief zijn (%(dle)s).") % {
            "dle": dle
        }
    return None


@dataclass(frozen=True)
class ProInvoer:
    """What the advice needs. `dle` maps domain codes (BL, IR, TL, SP) to DLE in months; a
    domain that is absent was not tested and does not count. `toetsdatum_per_domein` lets each
    domain have its own toetsdatum (the LVS tab uses the latest toets per domain); a domain not in
    it uses `toetsdatum`. `iq` None means no IQ test is known: then no PrO advice."""

    toetsdatum: date
    dle: Mapping[str, int | Decimal | Fraction]
    iq: int | None
    groep: int | None = None
    vo_leerjaar: int | None = None
    doublures: int = 0
    sociaal_emotionele_problematiek: bool = False
    toetsdatum_per_domein: Mapping[str, date] = field(default_factory=dict)


PRAKTIJKONDERWIJS = "praktijkonderwijs"


GEEN_PRAKTIJKONDERWIJS = "geen_praktijkonderwijs"


def schooljaar_begin(dag: date) -> date:
    """1 August of the school year `dag` falls in (July still belongs to the previous year)."""
    return date(dag.year if dag.month >= 8 else dag.year - 1, 8, 1)


@dataclass(frozen=True)
class ProAdvies:
    dl: int
    dl_per_domein: dict[str, int]
    leerachterstand: dict[str, Decimal]  # percent, two decimals, for display
    leerachterstand_exact: dict[str, Fraction]  # fraction 0..1, for comparisons
    domeinen_met_achterstand: list[str]  # LA ≥ the PrO threshold, in DOMEINEN order
    iq_binnen_grenzen: bool
    praktijkonderwijs: bool
    lwoo_profiel: bool
    redenen: list[str]

    @property
    def code(self) -> str:
        """A stable value for conditions elsewhere (the PrO form's `pro_advies` context)."""
        return PRAKTIJKONDERWIJS if self.praktijkonderwijs else GEEN_PRAKTIJKONDERWIJS

    @property
    def conclusie(self) -> str:
        if self.praktijkonderwijs:
            return _("Praktijkonderwijs")
        return _("Geen praktijkonderwijs")
