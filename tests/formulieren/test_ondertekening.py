"""Online signing by the bevoegd gezag with a TOTP code: only the named board member, the code
checked (wrong or reused codes refused), the SHA-256 of the canonical answers recorded, and a
later edit voids the signature visibly. Also the guard that indienen uses."""

from __future__ import annotations

import hashlib
import json
import time

import pytest
from django.urls import reverse

from accounts.models import Rol
from formulieren.selectors import (
    formulier_canoniek,
    formulier_ondertekening_ontbreekt,
    formulier_prefill,
)
from tests.factories import UserFactory
from tests.formulieren.conftest import formulier_van, volledige_post
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def opgeslagen(client, world):
    """A TLV VSO form saved by the school, naming bestuurder_a under "Ondertekening door"."""
    formulier = formulier_van(world.hv_a_voorlopig)
    login(client, world.coordinator_a)
    data = volledige_post(formulier, ondertekenaar=world.bestuurder_a)
    assert (
        client.post(reverse("formulieren:bewerken", args=[formulier.pk]), data).status_code == 302
    )
    formulier.refresh_from_db()
    client.logout()
    return formulier


def _teken(client, formulier, code):
    return client.post(reverse("formulieren:ondertekenen", args=[formulier.pk]), {"code": code})


def test_the_named_board_member_sees_the_form_waiting_and_signs_with_a_current_code(
    client, world, opgeslagen, totp_bestuurder
):
    device, totp = totp_bestuurder
    login(client, world.bestuurder_a)
    lijst = client.get(reverse("formulieren:te_ondertekenen")).content.decode()
    assert reverse("formulieren:ondertekenen", args=[opgeslagen.pk]) in lijst
    assert "Aanvraag TLV VSO" in lijst
    pagina = client.get(reverse("formulieren:ondertekenen", args=[opgeslagen.pk]))
    assert pagina.status_code == 200
    assert (
        opgeslagen.antwoorden["motivatie"]
        .split("\n")[0]
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        in pagina.content.decode()
    )

    response = _teken(client, opgeslagen, totp.now())
    assert response.status_code == 302
    ondertekening = opgeslagen.ondertekeningen.get()
    assert ondertekening.ondertekenaar == world.bestuurder_a
    assert ondertekening.bestuur == "Stichting A"
    assert ondertekening.ongeldig_op is None
    canoniek = formulier_canoniek(
        formulier=opgeslagen,
        antwoorden=opgeslagen.antwoorden,
        prefill=formulier_prefill(hulpvraag=opgeslagen.hulpvraag),
    )
    verwacht = hashlib.sha256(
        json.dumps(canoniek, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()
    assert ondertekening.hash == verwacht
    assert canoniek["antwoorden"]["leerling_naam"] == opgeslagen.hulpvraag.leerling.naam
    tab = client.get(response.url).content.decode()
    assert "Digitaal ondertekend door" in tab and ondertekening.hash in tab
    assert (
        reverse("formulieren:ondertekenen", args=[opgeslagen.pk])
        not in client.get(reverse("formulieren:te_ondertekenen")).content.decode()
    )
    assert formulier_ondertekening_ontbreekt(hulpvraag=opgeslagen.hulpvraag) is None


def test_the_signature_records_signer_function_and_time_and_shows_them(
    client, world, opgeslagen, totp_bestuurder
):
    import io

    from django.utils import timezone
    from docx import Document

    _device, totp = totp_bestuurder
    bestuurder = world.bestuurder_a
    bestuurder.functie = "Voorzitter college van bestuur"
    bestuurder.save(update_fields=["functie"])
    login(client, bestuurder)
    voor = timezone.now()
    assert _teken(client, opgeslagen, totp.now()).status_code == 302
    o = opgeslagen.ondertekeningen.get()
    assert o.naam == bestuurder.get_full_name()
    assert o.functie == "Voorzitter college van bestuur"
    assert voor <= o.ondertekend_op <= timezone.now()
    opgeslagen.refresh_from_db()
    assert o.revisie == opgeslagen.revisie
    datum = timezone.localtime(o.ondertekend_op).strftime("%d-%m-%Y %H:%M")
    tab = client.get(
        reverse("hulpvragen:tab", args=[opgeslagen.hulpvraag_id, "formulier"])
    ).content.decode()
    assert f"Digitaal ondertekend door {o.naam} (Voorzitter college van bestuur) op {datum}." in tab
    # The school prints it for the parents: the Word file carries the same block.
    login(client, world.coordinator_a)
    doc = Document(
        io.BytesIO(client.get(reverse("formulieren:word", args=[opgeslagen.pk])).content)
    )
    cellen = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    for label, waarde in (
        ("Naam", o.naam),
        ("Functie", "Voorzitter college van bestuur"),
        ("Datum", datum),
        ("Ondertekening", "digitaal ondertekend"),
        ("Controlegetal (SHA-256)", o.hash),
    ):
        assert cellen[cellen.index(label) + 1] == waarde, label


def test_a_wrong_code_is_refused(client, world, opgeslagen, totp_bestuurder):
    _device, totp = totp_bestuurder
    login(client, world.bestuurder_a)
    fout = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    response = _teken(client, opgeslagen, fout)
    assert response.status_code == 400
    assert "De code is onjuist of al gebruikt" in response.content.decode()
    assert not opgeslagen.ondertekeningen.exists()


def test_a_reused_code_is_refused(client, world, opgeslagen, totp_bestuurder):
    _device, totp = totp_bestuurder
    login(client, world.bestuurder_a)
    code = totp.now()
    assert _teken(client, opgeslagen, code).status_code == 302
    # Someone who saw the code over the shoulder tries it again within the same 30 seconds.
    response = _teken(client, opgeslagen, code)
    assert response.status_code == 400
    assert opgeslagen.ondertekeningen.count() == 1


def test_without_an_authenticator_nobody_can_sign(client, world, opgeslagen):
    login(client, world.bestuurder_a)
    assert _teken(client, opgeslagen, "123456").status_code == 400
    assert not opgeslagen.ondertekeningen.exists()


def test_schools_and_other_board_members_cannot_sign(client, world, opgeslagen, totp_bestuurder):
    _device, totp = totp_bestuurder
    andere_bestuurder = UserFactory(
        organisatie=world.org, rol=Rol.BEVOEGD_GEZAG, bestuur=world.bestuur_a
    )
    for persona, verwacht in (
        (world.coordinator_a, 403),
        (andere_bestuurder, 403),
        (world.loket, 404),  # a voorlopige aanvraag is invisible to the SWV
        (world.outsider, 404),
        (world.collega_b, 404),
    ):
        login(client, persona)
        assert _teken(client, opgeslagen, totp.now()).status_code == verwacht, persona
    assert not opgeslagen.ondertekeningen.exists()


def test_changing_an_answer_after_signing_voids_the_signature_visibly(
    client, world, opgeslagen, totp_bestuurder
):
    _device, totp = totp_bestuurder
    login(client, world.bestuurder_a)
    assert _teken(client, opgeslagen, totp.now()).status_code == 302
    login(client, world.coordinator_a)
    data = volledige_post(opgeslagen, ondertekenaar=world.bestuurder_a)
    data["motivatie"] = "Aangepaste motivatie na ondertekening"
    assert (
        client.post(reverse("formulieren:bewerken", args=[opgeslagen.pk]), data).status_code == 302
    )
    ondertekening = opgeslagen.ondertekeningen.get()
    assert ondertekening.ongeldig_op is not None
    assert "Antwoorden gewijzigd" in ondertekening.ongeldig_reden
    tab = client.get(
        reverse("hulpvragen:tab", args=[opgeslagen.hulpvraag_id, "formulier"])
    ).content.decode()
    assert "Ondertekening vervallen." in tab
    assert "moet opnieuw ondertekenen" in tab
    assert "vervallen" in formulier_ondertekening_ontbreekt(hulpvraag=opgeslagen.hulpvraag)
    # The board member is asked again and can sign anew (with a new code).
    login(client, world.bestuurder_a)
    lijst = client.get(reverse("formulieren:te_ondertekenen")).content.decode()
    assert reverse("formulieren:ondertekenen", args=[opgeslagen.pk]) in lijst
    nieuw = totp.at(time.time() + 30)
    assert _teken(client, opgeslagen, nieuw).status_code == 302
    assert opgeslagen.ondertekeningen.filter(ongeldig_op__isnull=True).count() == 1


def test_saving_unchanged_answers_keeps_the_signature(client, world, opgeslagen, totp_bestuurder):
    _device, totp = totp_bestuurder
    login(client, world.bestuurder_a)
    _teken(client, opgeslagen, totp.now())
    login(client, world.coordinator_a)
    data = volledige_post(opgeslagen, ondertekenaar=world.bestuurder_a)
    client.post(reverse("formulieren:bewerken", args=[opgeslagen.pk]), data)
    assert opgeslagen.ondertekeningen.get().ongeldig_op is None


def test_a_changed_dossier_fact_also_invalidates_the_signature(
    client, world, opgeslagen, totp_bestuurder
):
    _device, totp = totp_bestuurder
    login(client, world.bestuurder_a)
    _teken(client, opgeslagen, totp.now())
    leerling = opgeslagen.hulpvraag.leerling
    leerling.achternaam = "Anders"
    leerling.save()
    assert "vervallen" in formulier_ondertekening_ontbreekt(hulpvraag=opgeslagen.hulpvraag)


def test_guard_says_what_is_missing(world):
    hulpvraag = world.hv_a_voorlopig
    assert "nog niet ingevuld en opgeslagen" in formulier_ondertekening_ontbreekt(
        hulpvraag=hulpvraag
    )
    from formulieren.demo import formulier_demo_antwoorden

    formulier = formulier_van(hulpvraag)
    # Saved answers that lack required ones (written around the page) are named.
    formulier.antwoorden = {"motivatie": "x"}
    formulier.opgeslagen_op = formulier.aangemaakt_op
    formulier.save()
    reden = formulier_ondertekening_ontbreekt(hulpvraag=hulpvraag)
    assert "ontbreekt nog:" in reden and "“Gevraagde bekostigingscategorie”" in reden
    formulier.antwoorden = formulier_demo_antwoorden(
        formulier=formulier, ondertekenaar_id=world.bestuurder_a.pk
    )
    formulier.save()
    assert "nog niet ondertekend door het bevoegd gezag" in formulier_ondertekening_ontbreekt(
        hulpvraag=hulpvraag
    )


def test_forms_without_signature_need_none(world):
    from hulpvragen.models import HulpvraagType
    from tests.factories import SchoolgegevensFactory, make_hulpvraag

    sv = make_hulpvraag(
        type=HulpvraagType.SV,
        schoolgegevens=SchoolgegevensFactory(school=world.school_a),
        door=world.coordinator_a,
    )
    assert formulier_ondertekening_ontbreekt(hulpvraag=sv) is None


def _indienen(hulpvraag, door):
    from bijlagen.demo import verplichte_bijlagen_toevoegen
    from hulpvragen.services import hulpvraag_change_status

    verplichte_bijlagen_toevoegen(hulpvraag=hulpvraag)  # the documents are there; the form is not
    naar = hulpvraag.proces.statussen.get(naam="TLV aanvraag indienen")
    return hulpvraag_change_status(hulpvraag=hulpvraag, naar=naar, door=door)


def test_the_engine_refuses_indienen_until_the_form_is_signed(
    client, world, opgeslagen, totp_bestuurder
):
    from hulpvragen.services import ControleMislukt
    from tests.factories import AdresFactory

    _device, totp = totp_bestuurder
    hulpvraag = opgeslagen.hulpvraag
    AdresFactory(leerling=hulpvraag.leerling)
    with pytest.raises(ControleMislukt) as geweigerd:
        _indienen(hulpvraag, world.coordinator_a)
    assert any(
        "nog niet ondertekend door het bevoegd gezag" in m for m in geweigerd.value.ontbrekend
    )
    login(client, world.bestuurder_a)
    assert _teken(client, opgeslagen, totp.now()).status_code == 302
    wijziging = _indienen(hulpvraag, world.coordinator_a)
    assert wijziging.naar.naam == "TLV aanvraag indienen"


def test_signing_fires_the_engine_event(client, world, opgeslagen, totp_bestuurder):
    from hulpvragen.models import Overgang

    _device, totp = totp_bestuurder
    hulpvraag = opgeslagen.hulpvraag
    proces = hulpvraag.proces
    # A process that moves on by itself once the form is signed (data, as a beheerder could set).
    Overgang.objects.create(
        proces=proces,
        van=proces.statussen.get(naam="TLV voorlopige aanvraag"),
        naar=proces.statussen.get(naam="TLV aanvraag indienen"),
        door="systeem",
        trigger="formulier_ondertekend",
        controles=[],
    )
    login(client, world.bestuurder_a)
    assert _teken(client, opgeslagen, totp.now()).status_code == 302
    hulpvraag.refresh_from_db()
    assert hulpvraag.status.naam == "TLV aanvraag indienen"
    assert hulpvraag.statuswijzigingen.filter(
        automatisch=True, naar__naam="TLV aanvraag indienen"
    ).exists()
