"""A simulated LVS: what a vendor's koppeling does with the Kindkans API, step by step.

Run against an installation (the beheerder gives you the token; pip install httpx):

    python docs/lvs_simulatie.py --url https://kindkans.example/api/v1 --token kk_… --bsn 111222333

It finds or delivers a pupil, creates a TLV VSO hulpvraag, fills in the form's questions the LVS
knows (the school checks them and saves), uploads the OPP, shows what is still
missing before the school can submit, then polls the status and prints the loket's questions
(the toelichting of the newest status). The same functions run in the test suite against the
application in-process (tests/api/test_lvs_simulatie.py). Only the standard library and httpx.
"""

from __future__ import annotations

import argparse
import time
import uuid

import httpx

OPP = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% OPP\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


class Fout(Exception):
    """A problem answer (RFC 9457) of the API: status, Dutch detail, the whole body."""

    def __init__(self, antwoord: httpx.Response):
        self.status = antwoord.status_code
        self.probleem = antwoord.json()
        super().__init__(f"{self.status}: {self.probleem.get('detail')}")


def _ok(antwoord: httpx.Response) -> httpx.Response:
    if antwoord.status_code >= 400:
        raise Fout(antwoord)
    return antwoord


def sleutel() -> dict[str, str]:
    """A fresh Idempotency-Key: a retried POST with the same key creates nothing twice."""
    return {"Idempotency-Key": str(uuid.uuid4())}


def school_voor_tlv(api: httpx.Client) -> dict:
    for school in _ok(api.get("scholen/")).json():
        if "TLV_VSO" in school["typen"]:
            return school
    raise SystemExit("Geen school van deze koppeling biedt TLV VSO aan.")


def leerling_zoeken_of_aanleveren(api: httpx.Client, leerling: dict) -> dict:
    gevonden = _ok(api.get("leerlingen/", params={"bsn": leerling["bsn"]})).json()
    if gevonden["resultaten"]:
        return gevonden["resultaten"][0]
    return _ok(api.post("leerlingen/", json=leerling, headers=sleutel())).json()


def hulpvraag_aanmaken(api: httpx.Client, leerling_id: int, type: str = "TLV_VSO") -> dict:
    return _ok(
        api.post("hulpvragen/", json={"leerling": leerling_id, "type": type}, headers=sleutel())
    ).json()


def opp_uploaden(api: httpx.Client, hulpvraag_id: int, *, antwoord_op_vragen=False) -> list:
    return _ok(
        api.post(
            f"hulpvragen/{hulpvraag_id}/bijlagen/",
            files={"bestanden": ("opp.pdf", OPP, "application/pdf")},
            data={
                "documentsoort": "opp",
                "beantwoordt_vragen": "true" if antwoord_op_vragen else "false",
            },
            headers=sleutel(),
        )
    ).json()


def formulier_vooraf_invullen(api: httpx.Client, hulpvraag_id: int, antwoorden: dict) -> dict:
    """What the LVS knows (the OPP's text) into the questions the school has not answered: a
    draft the school checks on Formulier bewerken and saves. Answers the school gave stay."""
    [formulier] = _ok(api.get(f"hulpvragen/{hulpvraag_id}/formulieren/")).json()
    eigen = {v["sleutel"] for v in formulier["vragen"] if not v["vooringevuld"]}
    return _ok(
        api.post(
            f"formulieren/{formulier['id']}/vooraf-invullen/",
            json={"antwoorden": {k: v for k, v in antwoorden.items() if k in eigen}},
        )
    ).json()


def indienen(api: httpx.Client, hulpvraag_id: int) -> dict:
    """Submit (the school's transition out of the voorlopige aanvraag), with the ETag seen."""
    antwoord = _ok(api.get(f"hulpvragen/{hulpvraag_id}/overgangen/"))
    keuzes = antwoord.json()
    if not keuzes:
        raise SystemExit("Deze koppeling kan de status nu niet wijzigen.")
    return _ok(
        api.post(
            f"hulpvragen/{hulpvraag_id}/status/",
            json={"naar": keuzes[0]["naar"]["id"]},
            headers={"If-Match": antwoord.headers["ETag"]},
        )
    ).json()


def wacht_op_nieuwe_status(
    api: httpx.Client, hulpvraag_id: int, huidige: str, *, pogingen=60, wacht=30.0
) -> dict:
    for _poging in range(pogingen):
        hulpvraag = _ok(api.get(f"hulpvragen/{hulpvraag_id}/")).json()
        if hulpvraag["status"]["naam"] != huidige:
            return hulpvraag
        time.sleep(wacht)
    raise TimeoutError("De status is niet gewijzigd.")


def vragen_van_het_loket(api: httpx.Client, hulpvraag_id: int) -> str:
    historie = _ok(api.get(f"hulpvragen/{hulpvraag_id}/statushistorie/")).json()
    return historie[-1]["toelichting"]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True, help="https://…/api/v1")
    p.add_argument("--token", required=True)
    p.add_argument("--bsn", required=True)
    args = p.parse_args()
    with httpx.Client(
        base_url=args.url.rstrip("/") + "/",
        headers={"Authorization": f"Bearer {args.token}"},
        timeout=30,
    ) as api:
        school = school_voor_tlv(api)
        leerling = leerling_zoeken_of_aanleveren(
            api,
            {
                "voornamen": "Sam",
                "roepnaam": "Sam",
                "achternaam": "Voorbeeld",
                "geboortedatum": "2012-03-14",
                "geslacht": "O",
                "bsn": args.bsn,
                "adres": {
                    "straat": "Dorpsstraat",
                    "huisnummer": "1",
                    "postcode": "7311 AA",
                    "woonplaats": "Apeldoorn",
                },
                "schoolgegevens": {
                    "school": school["id"],
                    "leerjaar_groep": 2,
                    "contactpersoon": "Zorgcoördinator",
                    "email": "zorg@school.example",
                },
            },
        )
        hulpvraag = hulpvraag_aanmaken(api, leerling["id"])
        print("Hulpvraag", hulpvraag["id"], hulpvraag["status"]["naam"])
        ingevuld = formulier_vooraf_invullen(
            api,
            hulpvraag["id"],
            {"onderwijsbehoeften": "Uit het OPP: …", "sterke_kanten": "Uit het OPP: …"},
        )
        print("Vooraf ingevuld:", ingevuld["ingevuld"], "al beantwoord:", ingevuld["al_beantwoord"])
        opp_uploaden(api, hulpvraag["id"])
        for keuze in _ok(api.get(f"hulpvragen/{hulpvraag['id']}/overgangen/")).json():
            print("Nog nodig voor", keuze["naar"]["naam"], ":", keuze["ontbrekend"])
        hulpvraag = wacht_op_nieuwe_status(api, hulpvraag["id"], hulpvraag["status"]["naam"])
        print("Nieuwe status:", hulpvraag["status"]["naam"])
        print("Toelichting van het loket:", vragen_van_het_loket(api, hulpvraag["id"]))


if __name__ == "__main__":
    main()
