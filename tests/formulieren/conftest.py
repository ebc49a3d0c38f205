"""Helpers for the form tests: a complete, valid set of answers for any definition, posted the
way the browser posts them, and an authenticator device for the board member."""

from __future__ import annotations

import base64
import datetime as dt

import pyotp
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from formulieren.definities import vragen
from formulieren.models import Formulier

# Every text answer carries characters that must survive HTML, XML and PDF intact.
LASTIGE_TEKST = "Zorg & begeleiding <intensief> voor één leerling, geëvalueerd, naïef"


def volledige_post(formulier: Formulier, *, ondertekenaar=None, revisie=None) -> dict:
    """Every typed question answered, as form fields (dates as dd-mm-jjjj)."""
    data: dict = {"revisie": str(formulier.revisie if revisie is None else revisie)}
    for _sectie, vraag in vragen(formulier.definitie.inhoud):
        if vraag.get("bron"):
            continue
        sleutel, type_ = vraag["sleutel"], vraag["type"]
        if type_ == "tekst":
            data[sleutel] = f"{vraag['label'][:40]} {LASTIGE_TEKST}"[: vraag.get("max_lengte", 200)]
        elif type_ == "lange_tekst":
            data[sleutel] = f"Antwoord op {vraag['label']}: {LASTIGE_TEKST}.\nTweede regel."
        elif type_ == "datum":
            data[sleutel] = {
                "startdatum": "01-08-2026",
                "einddatum": "31-07-2027",
                "evaluatiedatum": "15-01-2027",
                # may not have passed (the BAG's preferred meeting date)
                "voorkeursdatum": (dt.date.today() + dt.timedelta(days=28)).strftime("%d-%m-%Y"),
            }.get(sleutel, "15-03-2026")
        elif type_ == "keuze" and vraag.get("meerdere"):
            data[sleutel] = [w for w, _label in vraag["opties"]]
        elif type_ == "keuze":
            data[sleutel] = (
                vraag["opties"][-1][0] if sleutel == "gezagssituatie" else vraag["opties"][0][0]
            )
        elif type_ == "ja_nee":
            data[sleutel] = "nee" if sleutel == "alleen_reserveren" else "ja"
        elif type_ == "getal":
            data[sleutel] = "2,5" if vraag.get("decimalen") else "1250"
        elif type_ == "ondertekenaar":
            data[sleutel] = str(ondertekenaar.pk) if ondertekenaar else ""
    return data


def formulier_van(hulpvraag) -> Formulier:
    return hulpvraag.formulieren.select_related("definitie").get()


@pytest.fixture
def totp_bestuurder(world):
    """The board member's confirmed authenticator, and a function giving the code a phone would
    show at a given moment."""
    device = TOTPDevice.objects.create(user=world.bestuurder_a, name="telefoon", confirmed=True)
    totp = pyotp.TOTP(base64.b32encode(bytes.fromhex(device.key)).decode())
    return device, totp
