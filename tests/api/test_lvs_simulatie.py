"""The simulated LVS of docs/lvs_simulatie.py, run against the application in-process: it
delivers a pupil, creates a TLV VSO hulpvraag, uploads the OPP, learns what is missing before
submitting, submits once the school's people completed the form, polls the status, reads the
loket's questions and answers them with an upload (the engine moves the status on)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from api.models import Scope
from audit.models import Inzage
from hulpvragen.models import Hulpvraag
from hulpvragen.services import hulpvraag_change_status
from tests.api.conftest import koppeling_voor

pytestmark = pytest.mark.django_db

_pad = Path(settings.BASE_DIR) / "docs" / "lvs_simulatie.py"
_spec = importlib.util.spec_from_file_location("lvs_simulatie", _pad)
lvs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lvs)


@pytest.fixture
def api(world):
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    k = koppeling_voor(
        world.beheerder, naam="Simulatie", scope=Scope.SCHRIJVEN, scholen=[world.school_a]
    )
    with httpx.Client(
        transport=httpx.WSGITransport(app=get_wsgi_application()),
        base_url="http://testserver/api/v1/",
        headers={"Authorization": f"Bearer {k.token}"},
    ) as client:
        client.koppeling = k.client
        yield client
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_simulated_lvs_from_pupil_to_the_loket_s_questions(world, api):
    school = lvs.school_voor_tlv(api)
    assert school["id"] == world.school_a.pk
    gegevens = {
        "voornamen": "Sam",
        "roepnaam": "Sam",
        "achternaam": "Voorbeeld",
        "geboortedatum": "2012-03-14",
        "geslacht": "O",
        "bsn": "111222333",
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
    }
    leerling = lvs.leerling_zoeken_of_aanleveren(api, gegevens)
    # Run again (the LVS's nightly sync): the same pupil is found, not delivered twice.
    assert lvs.leerling_zoeken_of_aanleveren(api, gegevens)["id"] == leerling["id"]

    hulpvraag = lvs.hulpvraag_aanmaken(api, leerling["id"])
    assert hulpvraag["status"]["naam"] == "TLV voorlopige aanvraag"
    # What the LVS knows goes into the form as a draft for the school; a question the dossier
    # fills in itself is left out by the script.
    ingevuld = lvs.formulier_vooraf_invullen(
        api,
        hulpvraag["id"],
        {"onderwijsbehoeften": "Structuur", "leerling_naam": "niet van het LVS"},
    )
    assert ingevuld["ingevuld"] == ["onderwijsbehoeften"]
    assert ingevuld["formulier"]["concept"]["onderwijsbehoeften"] == "Structuur"
    bijlagen = lvs.opp_uploaden(api, hulpvraag["id"])
    assert bijlagen[0]["documentsoort"] == "opp"

    # Submitting is refused while the form is not signed: the engine's reasons come back.
    with pytest.raises(lvs.Fout) as fout:
        lvs.indienen(api, hulpvraag["id"])
    assert fout.value.status == 422
    assert any("ondertekend" in m for m in fout.value.probleem["ontbrekend"])

    # The school and its bevoegd gezag complete and sign the form on the screens (test set-up
    # shortcut, as make_hulpvraag does: only the engine moves statuses in application code).
    hv = Hulpvraag.objects.get(pk=hulpvraag["id"])
    hv.status = hv.proces.statussen.get(naam="TLV aanvraag indienen")
    hv.save(update_fields=["status"])

    # The loket asks questions; the LVS polls, sees the new status and reads them.
    vragen = hv.proces.statussen.get(naam="TLV vragen gesteld")
    hulpvraag_change_status(
        hulpvraag=hv, naar=vragen, door=world.loket, toelichting="Wat is het IQ-profiel?"
    )
    nieuw = lvs.wacht_op_nieuwe_status(api, hulpvraag["id"], "TLV aanvraag indienen", wacht=0)
    assert nieuw["status"]["naam"] == "TLV vragen gesteld"
    assert lvs.vragen_van_het_loket(api, hulpvraag["id"]) == "Wat is het IQ-profiel?"

    # The answer as an upload: the engine's rule moves the status to "aangevuld".
    lvs.opp_uploaden(api, hulpvraag["id"], antwoord_op_vragen=True)
    hv.refresh_from_db()
    assert hv.status.naam == "TLV aanvraag aangevuld"
    # Everything the LVS did is in the audit log under its account.
    assert Inzage.objects.filter(gebruiker=api.koppeling.gebruiker).count() >= 8
