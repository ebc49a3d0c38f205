"""The loket's daily round in the browser: Werkvoorraad from the navigation, a coördinator and a
label set from the row, then questions sent back to the school with a generated document."""

from __future__ import annotations

import pytest

from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_loket_assigns_and_asks_questions_from_the_werkvoorraad(page, live_server, world):
    from bijlagen.demo import verplichte_bijlagen_toevoegen
    from bijlagen.models import Bijlage
    from formulieren.demo import formulier_invullen_en_ondertekenen
    from hulpvragen.models import Label
    from hulpvragen.services import hulpvraag_change_status
    from tests.factories import AdresFactory, SchoolgegevensFactory, make_hulpvraag

    sg = SchoolgegevensFactory(
        school=world.school_a, aanvrager=world.coordinator_a, email="zorg@school.example"
    )
    AdresFactory(leerling=sg.leerling)
    tlv = make_hulpvraag(schoolgegevens=sg, door=world.coordinator_a)
    formulier_invullen_en_ondertekenen(hulpvraag=tlv)
    verplichte_bijlagen_toevoegen(hulpvraag=tlv)
    hulpvraag_change_status(
        hulpvraag=tlv,
        naar=tlv.proces.statussen.get(naam="TLV aanvraag indienen"),
        door=world.coordinator_a,
    )
    Label.objects.create(organisatie=world.org, naam="Spoed")

    browser_login(page, live_server, world.loket)
    page.get_by_role("link", name="Werkvoorraad").click()
    page.get_by_role("heading", name="Werkvoorraad").wait_for()
    rij = page.locator(f"#hv-{tlv.pk}")
    rij.get_by_label("Coördinator").select_option(label=str(world.loket))
    rij.get_by_label("Spoed").check()
    rij.get_by_role("button", name="Opslaan").click()
    page.get_by_text(f"Coördinator en labels van hulpvraag {tlv.pk} opgeslagen.").wait_for()
    rij = page.locator(f"#hv-{tlv.pk}")
    assert rij.get_by_label("Coördinator").input_value() == str(world.loket.pk)
    assert rij.get_by_label("Spoed").is_checked()

    rij.get_by_role("link", name="Incompleet of vragen").click()
    page.get_by_label("TLV vragen gesteld").check()
    page.get_by_label("Toelichting").fill("Beantwoord de vragen in het document.")
    page.get_by_label("Vragen (wordt een Word-document bij de bijlagen)").fill(
        "Welke hulp krijgt de leerling?\n\nWat vinden de ouders?"
    )
    page.get_by_role("button", name="Vragen versturen").click()
    page.get_by_text("De status is gewijzigd naar “TLV vragen gesteld”").wait_for()
    tlv.refresh_from_db()
    assert tlv.status.naam == "TLV vragen gesteld"
    assert Bijlage.objects.get(hulpvraag=tlv, documentsoort="vragen").naam.startswith("vragen")
