"""The kengetallen as reports: the tables of the CSV/XLSX exports (columns and rows) and the charts
of the Kengetallen screen. The figures come from beheer.kengetallen; the workbook from
beheer.xlsx, the bars from beheer.svg, the CSV cells from kindkans.spreadsheet."""

from __future__ import annotations

from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from beheer.kengetallen import Kengetallen
from beheer.svg import staafdiagram
from beheer.xlsx import werkmap
from kindkans.spreadsheet import csv_schrijver

CSV_TABELLEN = {
    "type": ("Type", "Aantal"),
    "status": ("Type", "Status", "Aantal"),
    "school": ("School", "Aantal"),
    "doorlooptijd": ("Type", "Aantal", "Mediaan (dagen)", "P25", "P75", "Minimum", "Maximum"),
    "te_laat": (
        "Hulpvraag",
        "Type",
        "School",
        "Status",
        "Ingediend op",
        "Dagen",
        "Uiterste besluitdatum",
    ),
    "tlv": ("Soort TLV", "Bekostigingscategorie", "Aantal"),
}


XLSX_TITELS = {
    "type": "Per type",
    "status": "Per type en status",
    "school": "Per school",
    "doorlooptijd": "Doorlooptijd",
    "te_laat": "Besluit te laat",
    "tlv": "TLV per bekostiging",
}


def kengetallen_rijen(k: Kengetallen, tabel: str):
    """The rows of one table (a key of CSV_TABELLEN)."""
    if tabel == "type":
        return k.per_type
    if tabel == "status":
        return k.per_status
    if tabel == "school":
        return k.per_school
    if tabel == "tlv":
        return k.tlv_bekostiging
    if tabel == "doorlooptijd":
        return [
            (s.label, s.n, s.mediaan, s.p25, s.p75, s.minimum, s.maximum) for s in k.doorlooptijd
        ]
    return [
        (
            t.hulpvraag.pk,
            t.hulpvraag.get_type_display(),
            t.hulpvraag.schoolgegevens.school.naam,
            t.hulpvraag.status.naam,
            f"{timezone.localtime(t.ingediend_op):%d-%m-%Y}",
            t.dagen,
            f"{timezone.localtime(t.uiterste_besluitdatum):%d-%m-%Y}",
        )
        for t in k.te_laat
    ]


def kengetallen_tabellen(*, met_te_laat: bool) -> list[str]:
    """The tables a user may export; the overdue list names hulpvragen (the loket's only)."""
    return [t for t in CSV_TABELLEN if met_te_laat or t != "te_laat"]


def kengetallen_xlsx(k: Kengetallen, tabellen: list[str]) -> bytes:
    """One sheet per table."""
    return werkmap(
        (XLSX_TITELS[naam], CSV_TABELLEN[naam], kengetallen_rijen(k, naam)) for naam in tabellen
    )


def kengetallen_csv(uit: IO[str], k: Kengetallen, tabel: str) -> None:
    """One table as CSV (semicolons, with a byte order mark so Excel reads UTF-8)."""
    uit.write("\ufeff")
    schrijver = csv_schrijver(uit, delimiter=";")
    schrijver.writerow(CSV_TABELLEN[tabel])
    schrijver.writerows(kengetallen_rijen(k, tabel))


def kengetallen_grafieken(k: Kengetallen) -> dict[str, str]:
    """The screen's charts (inline SVG), by table."""
    te_laat_per_type: dict[str, int] = {}
    for t in k.te_laat:
        label = t.hulpvraag.get_type_display()
        te_laat_per_type[label] = te_laat_per_type.get(label, 0) + 1
    return {
        "type": staafdiagram(_("Hulpvragen per type"), k.per_type),
        "school": staafdiagram(_("Hulpvragen per school"), k.per_school[:25]),
        "doorlooptijd": staafdiagram(
            _("Mediane doorlooptijd in dagen, met de middelste helft"),
            [(s.label, s.mediaan) for s in k.doorlooptijd],
            spreiding=[(s.p25, s.p75) for s in k.doorlooptijd],
        ),
        "te_laat": staafdiagram(_("Besluit te laat per type"), list(te_laat_per_type.items())),
        "tlv": staafdiagram(
            _("TLV's per bekostigingscategorie"),
            [(f"{soort} {categorie}", n) for soort, categorie, n in k.tlv_bekostiging],
        ),
    }
