"""Small files in DUO's layout, made for the tests: the header of the address file of the
vestigingen (voortgezet onderwijs) as DUO publishes it, with the samenwerkingsverband column,
';' between fields; the bevoegde gezagen and the transitions file."""

from __future__ import annotations

KOP_VESTIGINGEN = [
    "PROVINCIE",
    "BEVOEGD GEZAG NUMMER",
    "INSTELLINGSCODE",
    "VESTIGINGSCODE",
    "VESTIGINGSNAAM",
    "STRAATNAAM",
    "HUISNUMMER-TOEVOEGING",
    "POSTCODE",
    "PLAATSNAAM",
    "GEMEENTENUMMER",
    "GEMEENTENAAM",
    "DENOMINATIE",
    "TELEFOONNUMMER",
    "INTERNETADRES",
    "ONDERWIJSSTRUCTUUR",
    "SAMENWERKINGSVERBAND VO",
]


def vestiging(
    brin: str,
    vest: str,
    naam: str,
    *,
    plaats: str = "APELDOORN",
    bestuur: str = "41001",
    swv: str = "VO 25.05",
    straat: str = "Schoolstraat",
) -> list[str]:
    return [
        "Gelderland",
        bestuur,
        brin,
        vest,
        naam,
        straat,
        "1",
        "7311AA",
        plaats,
        "0200",
        "APELDOORN",
        "Openbaar",
        "055-1234567",
        "www.school.example",
        "VMBO/HAVO/VWO",
        swv,
    ]


def csv_bytes(kop: list[str], rijen: list[list[str]], *, scheiding: str = ";") -> bytes:
    def veld(w: str) -> str:
        return f'"{w}"' if scheiding in w or '"' in w else w

    regels = [scheiding.join(veld(k) for k in kop)]
    regels += [scheiding.join(veld(w) for w in r) for r in rijen]
    return ("\r\n".join(regels) + "\r\n").encode("utf-8")


def vestigingen(*rijen: list[str]) -> bytes:
    return csv_bytes(KOP_VESTIGINGEN, list(rijen))


def besturen(**namen: str) -> bytes:
    kop = ["BEVOEGD GEZAG NUMMER", "BEVOEGD GEZAG NAAM", "STRAATNAAM", "PLAATSNAAM"]
    return csv_bytes(
        kop, [[n.removeprefix("b"), naam, "Laan 1", "APELDOORN"] for n, naam in namen.items()]
    )


def overgangen(*paren: tuple[str, str]) -> bytes:
    kop = ["NR_ADMINISTRATIE_VAN", "NR_ADMINISTRATIE_NAAR", "DT_OVERGANG"]
    return csv_bytes(kop, [[van, naar, "2026-08-01"] for van, naar in paren], scheiding=",")
