"""The LVS tab through the test client: enter data, save, see DL, leerachterstand and the
berekend advies; who may edit, who may read, who gets 404; Dutch messages and nothing lost."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dossiers.models import IqTest, LvsInstellingen, SociaalEmotioneleProblematiek, Toets
from dossiers.selectors import pro_advies_for
from tests.dossiers.conftest import form_data
from tests.factories import LeerlingFactory, grant_toegang
from tests.helpers import login

pytestmark = pytest.mark.django_db


def url(hulpvraag):
    return reverse("dossiers:lvs", args=[hulpvraag.pk])


def fill_issue_example(data: dict) -> dict:
    """The issue's example: toetsen in January (rows 0–3 come with BL, IR, TL, SP), IQ 70."""
    data.update(
        {
            "iq-0-testdatum": "10-12-2025",
            "iq-0-totaal_iq": "70",
            "iq-0-test": "WISC-V",
        }
    )
    for row, dle in enumerate(["25", "27", "40", "45"]):
        data[f"toets-{row}-toetsdatum"] = "20-01-2026"
        data[f"toets-{row}-dle"] = dle
    return data


def test_coordinator_enters_minimum_data_and_sees_the_advice(client, world, hv_pro_groep8):
    login(client, world.coordinator_a)
    page = client.get(url(hv_pro_groep8))
    assert page.status_code == 200
    assert "Er zijn nog geen toetsen ingevuld" in page.content.decode()

    response = client.post(url(hv_pro_groep8), fill_issue_example(form_data(page)), follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("#berekend-advies")
    assert "De LVS-gegevens zijn opgeslagen." in body
    assert "Berekend advies" in body
    assert "<strong>Praktijkonderwijs</strong>" in body
    for shown in ("54,55&nbsp;%", "50,91&nbsp;%", "27,27&nbsp;%", "18,18&nbsp;%"):
        assert shown in body
    assert "De didactische leeftijd (DL) op 20-01-2026 is 55 maanden" in body
    assert "Het totaal IQ is 70" in body
    toetsen = Toets.objects.filter(leerling=hv_pro_groep8.leerling)
    assert toetsen.count() == 4
    assert {t.organisatie_id for t in toetsen} == {world.org.pk}
    assert {t.gewijzigd_door_id for t in toetsen} == {world.coordinator_a.pk}
    assert IqTest.objects.get(leerling=hv_pro_groep8.leerling).totaal_iq == 70
    # No sociaal-emotionele answers given: no row made.
    assert not SociaalEmotioneleProblematiek.objects.exists()

    advies = pro_advies_for(
        leerling=hv_pro_groep8.leerling, schoolgegevens=hv_pro_groep8.schoolgegevens
    )
    assert advies.praktijkonderwijs and advies.dl == 55


def test_no_pro_advice_explains_why_and_asks_for_toelichting(client, world, hv_pro_groep8):
    login(client, world.coordinator_a)
    data = fill_issue_example(form_data(client.get(url(hv_pro_groep8))))
    data["iq-0-totaal_iq"] = "81"
    body = client.post(url(hv_pro_groep8), data, follow=True).content.decode()
    assert "<strong>Geen praktijkonderwijs</strong>" in body
    assert "hoger dan 80, de bovengrens" in body
    assert "op het formulier moet u dan een toelichting invullen" in body


def test_bad_input_shows_dutch_messages_and_keeps_everything_typed(client, world, hv_pro_groep8):
    login(client, world.coordinator_a)
    data = fill_issue_example(form_data(client.get(url(hv_pro_groep8))))
    data["toets-1-dle"] = "-3"
    data["iq-0-totaal_iq"] = "30"
    data["toets-2-toetsdatum"] = "31-02-2026"
    data["sep-faalangst"] = "True"
    data["sep-faalangst_toelichting"] = "Blokkeert bij toetsen."
    response = client.post(url(hv_pro_groep8), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Niet opgeslagen" in body
    assert "Een DLE is een aantal maanden en kan niet negatief zijn (-3)." in body
    assert "Een totaal IQ ligt tussen 40 en 160; 30 kan niet." in body
    assert "Voer een geldige datum in." in body
    # Everything typed is still there.
    again = form_data(response)
    for key in ("toets-0-dle", "toets-1-dle", "iq-0-test", "sep-faalangst_toelichting"):
        assert again[key] == data[key]
    assert again["sep-faalangst"] == "True"
    # And nothing was half saved.
    assert not Toets.objects.exists() and not IqTest.objects.exists()
    assert not SociaalEmotioneleProblematiek.objects.exists()


def test_missing_date_on_a_row_with_a_dle_is_reported(client, world, hv_pro_groep8):
    login(client, world.coordinator_a)
    data = form_data(client.get(url(hv_pro_groep8)))
    data["toets-0-dle"] = "20"
    body = client.post(url(hv_pro_groep8), data).content.decode()
    assert "Dit veld is verplicht." in body
    assert not Toets.objects.exists()


def test_edit_delete_and_sociaal_emotioneel(client, world, hv_pro_groep8):
    login(client, world.coordinator_a)
    client.post(url(hv_pro_groep8), fill_issue_example(form_data(client.get(url(hv_pro_groep8)))))
    data = form_data(client.get(url(hv_pro_groep8)))
    # The saved rows come first (newest first, then by id), blank rows after.
    rows = {data[f"toets-{i}-domein"]: i for i in range(4)}
    data[f"toets-{rows['IR']}-dle"] = "35"
    data[f"toets-{rows['SP']}-DELETE"] = "on"
    data["sep-prestatiemotivatie"] = "True"
    data["sep-prestatiemotivatie_toelichting"] = "Weinig inzet sinds groep 6."
    body = client.post(url(hv_pro_groep8), data, follow=True).content.decode()
    assert sorted(Toets.objects.values_list("domein", "dle")) == [
        ("BL", 25),
        ("IR", 35),
        ("TL", 40),
    ]
    # IR now 36,36 %: only BL has 50 % or more.
    assert "<strong>Geen praktijkonderwijs</strong>" in body
    assert "Niet ingevuld, telt dus niet mee: spellen." in body
    sep = SociaalEmotioneleProblematiek.objects.get(leerling=hv_pro_groep8.leerling)
    assert sep.prestatiemotivatie is True and sep.faalangst is None and sep.aanwezig
    assert sep.organisatie_id == world.org.pk


def test_optional_fields_are_kept_and_sociaal_emotioneel_feeds_the_lwoo_profile(
    client, world, hv_pro_groep8
):
    """Beyond the manual's minimum: verbaal/performaal IQ, the free-text interval, the toets
    name and raw score are saved and shown; the advice uses the totaal IQ; a "Ja" on a
    sociaal-emotionele question gives the LWOO profile for IQ 91–120 (information only)."""
    login(client, world.coordinator_a)
    data = form_data(client.get(url(hv_pro_groep8)))
    data.update(
        {
            "iq-0-testdatum": "10-12-2025",
            "iq-0-totaal_iq": "95",
            "iq-0-verbaal_iq": "88",
            "iq-0-performaal_iq": "104",
            "iq-0-test": "WISC-V",
            "iq-0-interval": "90–100; verschil verbaal–performaal significant",
        }
    )
    for rij, dle in ((0, "38"), (1, "40")):  # BL 30,91 %, IR 27,27 % (DL 55)
        data.update({f"toets-{rij}-toetsdatum": "20-01-2026", f"toets-{rij}-dle": dle})
    data.update({"toets-0-naam": "Cito Begrijpend lezen M8", "toets-0-ruwe_score": "34"})
    data.update({"sep-faalangst": "True", "sep-faalangst_toelichting": "Blokkeert bij toetsen."})
    body = client.post(url(hv_pro_groep8), data, follow=True).content.decode()
    iq = IqTest.objects.get(leerling=hv_pro_groep8.leerling)
    assert (iq.verbaal_iq, iq.performaal_iq, iq.test) == (88, 104, "WISC-V")
    assert iq.interval == "90–100; verschil verbaal–performaal significant"
    toets = Toets.objects.get(leerling=hv_pro_groep8.leerling, domein="BL")
    assert (toets.naam, toets.ruwe_score) == ("Cito Begrijpend lezen M8", "34")
    for getoond in ("88", "104", "verschil verbaal–performaal significant", "Cito Begrijpend"):
        assert getoond in body, getoond
    assert "Het totaal IQ is 95" in body
    assert "<strong>Geen praktijkonderwijs</strong>" in body
    assert "30,91&nbsp;%" in body and "27,27&nbsp;%" in body
    assert "LWOO" in body and "sociaal-emotionele problematiek" in body
    advies = pro_advies_for(
        leerling=hv_pro_groep8.leerling, schoolgegevens=hv_pro_groep8.schoolgegevens
    )
    assert advies.lwoo_profiel and not advies.praktijkonderwijs


def test_an_older_toets_is_shown_but_the_newest_per_domain_counts(client, world, hv_pro_groep8):
    login(client, world.coordinator_a)
    client.post(url(hv_pro_groep8), fill_issue_example(form_data(client.get(url(hv_pro_groep8)))))
    data = form_data(client.get(url(hv_pro_groep8)))
    blank = next(i for i in range(4, 8) if data[f"toets-{i}-domein"] == "BL")
    data[f"toets-{blank}-toetsdatum"] = "01-10-2025"  # groep 8 in October: DL 52
    data[f"toets-{blank}-dle"] = "10"
    body = client.post(url(hv_pro_groep8), data, follow=True).content.decode()
    assert "(oudere toets)" in body
    assert "80,77&nbsp;%" in body  # (52 − 10) / 52, shown for the older toets
    assert "54,55&nbsp;%" in body  # the January toets still decides BL


def test_forged_row_of_another_pupil_is_refused(client, world, hv_pro_groep8):
    elders = LeerlingFactory(organisatie=world.org)
    vreemd = Toets.objects.create(
        organisatie=world.org, leerling=elders, toetsdatum=date(2026, 1, 5), domein="BL", dle=30
    )
    login(client, world.coordinator_a)
    data = form_data(client.get(url(hv_pro_groep8)))
    data.update({"toets-INITIAL_FORMS": "1", "toets-0-id": str(vreemd.pk), "toets-0-dle": "1"})
    data["toets-0-toetsdatum"] = "05-01-2026"
    response = client.post(url(hv_pro_groep8), data)
    assert "Niet opgeslagen" in response.content.decode()
    vreemd.refresh_from_db()
    assert vreemd.dle == 30 and vreemd.leerling == elders


@pytest.mark.parametrize("persona", ["outsider", "collega_b", "beheerder"])
def test_others_get_404(client, world, hv_pro_groep8, persona):
    login(client, getattr(world, persona))
    assert client.get(url(hv_pro_groep8)).status_code == 404
    assert client.post(url(hv_pro_groep8), {}).status_code == 404


def test_deskundige_with_toegang_reads_only(client, world, hv_pro_groep8):
    login(client, world.coordinator_a)
    client.post(url(hv_pro_groep8), fill_issue_example(form_data(client.get(url(hv_pro_groep8)))))
    login(client, world.deskundige)
    assert client.get(url(hv_pro_groep8)).status_code == 404
    grant_toegang(hulpvraag=hv_pro_groep8, gebruiker=world.deskundige, door=world.loket)
    response = client.get(url(hv_pro_groep8))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<form method="post" novalidate' not in body
    assert "<strong>Praktijkonderwijs</strong>" in body and "54,55&nbsp;%" in body
    assert client.post(url(hv_pro_groep8), form_data(response)).status_code == 403
    assert Toets.objects.count() == 4


def test_loket_may_edit_a_submitted_hulpvraag(client, world, hv_pro_groep8):
    login(client, world.loket)
    data = fill_issue_example(form_data(client.get(url(hv_pro_groep8))))
    assert client.post(url(hv_pro_groep8), data).status_code == 302
    assert Toets.objects.filter(gewijzigd_door=world.loket).count() == 4


def test_board_member_reads_only(client, world, hv_pro_groep8):
    login(client, world.bestuurder_a)
    response = client.get(url(hv_pro_groep8))
    assert response.status_code == 200
    assert "Opslaan" not in response.content.decode()
    assert client.post(url(hv_pro_groep8), {}).status_code == 403


def test_vo_pupil_has_dl_60(client, world):
    hulpvraag = world.hv_a_ingediend  # leerjaar 2
    login(client, world.coordinator_a)
    data = form_data(client.get(url(hulpvraag)))
    data.update({"iq-0-testdatum": "01-09-2025", "iq-0-totaal_iq": "75"})
    data.update({"toets-0-toetsdatum": "15-10-2025", "toets-0-dle": "30"})
    data.update({"toets-1-toetsdatum": "15-10-2025", "toets-1-dle": "24"})
    body = client.post(url(hulpvraag), data, follow=True).content.decode()
    assert "heeft de volledige DL van de basisschool" in body
    assert "50,00&nbsp;%" in body and "60,00&nbsp;%" in body
    assert "<strong>Praktijkonderwijs</strong>" in body


def test_groep_2_in_schoolgegevens_is_explained(client, world, hv_pro_groep8):
    sg = hv_pro_groep8.schoolgegevens
    sg.groep = 2
    sg.save()
    login(client, world.coordinator_a)
    body = client.get(url(hv_pro_groep8)).content.decode()
    assert "groep 2 kan niet" in body
    assert "Er kan nog geen advies worden berekend" in body
    # Toetsen can still be saved; the advice waits for the schoolgegevens.
    data = fill_issue_example(form_data(client.get(url(hv_pro_groep8))))
    assert client.post(url(hv_pro_groep8), data).status_code == 302
    assert pro_advies_for(leerling=hv_pro_groep8.leerling, schoolgegevens=sg) is None


def test_neither_groep_nor_leerjaar_is_explained_on_the_tab(client, world, hv_pro_groep8):
    sg = hv_pro_groep8.schoolgegevens
    sg.groep = sg.leerjaar = None
    sg.save()
    login(client, world.coordinator_a)
    data = fill_issue_example(form_data(client.get(url(hv_pro_groep8))))
    body = client.post(url(hv_pro_groep8), data, follow=True).content.decode()
    assert "Vul in de schoolgegevens de groep" in body
    assert "Er kan nog geen advies worden berekend" in body
    assert Toets.objects.filter(leerling=hv_pro_groep8.leerling).count() == 4


def test_february_value_of_the_organisation_is_used(client, world, hv_pro_groep8):
    login(client, world.coordinator_a)
    data = form_data(client.get(url(hv_pro_groep8)))
    data.update({"iq-0-testdatum": "01-09-2025", "iq-0-totaal_iq": "70"})
    data.update({"toets-0-toetsdatum": "10-02-2026", "toets-0-dle": "28"})  # BL
    data.update({"toets-1-toetsdatum": "10-02-2026", "toets-1-dle": "20"})  # IR
    body = client.post(url(hv_pro_groep8), data, follow=True).content.decode()
    assert "is 56 maanden" in body and "<strong>Praktijkonderwijs</strong>" in body

    LvsInstellingen.objects.create(organisatie=world.org, maand_februari=5)
    body = client.get(url(hv_pro_groep8)).content.decode()
    assert "is 55 maanden" in body and "49,09&nbsp;%" in body
    assert "<strong>Geen praktijkonderwijs</strong>" in body
    # Another organisation's settings change nothing here.
    LvsInstellingen.objects.filter(organisatie=world.org).delete()
    LvsInstellingen.objects.create(organisatie=world.other_org, maand_februari=5)
    assert "is 56 maanden" in client.get(url(hv_pro_groep8)).content.decode()


def test_query_count_does_not_grow_with_rows(
    client, world, hv_pro_groep8, django_assert_max_num_queries
):
    login(client, world.coordinator_a)
    client.post(url(hv_pro_groep8), fill_issue_example(form_data(client.get(url(hv_pro_groep8)))))
    with django_assert_max_num_queries(14):
        assert client.get(url(hv_pro_groep8)).status_code == 200
    for maand in range(1, 13):
        for domein in ("BL", "IR", "TL", "SP"):
            Toets.objects.create(
                organisatie=world.org,
                leerling=hv_pro_groep8.leerling,
                toetsdatum=date(2024, maand, 1),
                domein=domein,
                dle=20,
            )
    with django_assert_max_num_queries(14):
        response = client.get(url(hv_pro_groep8))
    assert response.content.decode().count("(oudere toets)") == 48
    grant_toegang(hulpvraag=hv_pro_groep8, gebruiker=world.deskundige)
    login(client, world.deskundige)
    with django_assert_max_num_queries(12):
        assert client.get(url(hv_pro_groep8)).status_code == 200


def test_anonymous_is_sent_to_login(client, world, hv_pro_groep8):
    response = client.get(url(hv_pro_groep8))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_toets_of_an_earlier_school_year_is_flagged(client, world, hv_pro_groep8):
    from django.utils import timezone

    from dossiers.lvs import schooljaar_begin

    begin = schooljaar_begin(timezone.localdate())
    login(client, world.coordinator_a)
    data = form_data(client.get(url(hv_pro_groep8)))
    data.update({"iq-0-testdatum": "01-09-2025", "iq-0-totaal_iq": "70"})
    data.update({"toets-0-toetsdatum": begin.replace(day=15).strftime("%d-%m-%Y")})
    data.update({"toets-0-dle": "20"})
    body = client.post(url(hv_pro_groep8), data, follow=True).content.decode()
    assert "Let op" not in body and "(eerder schooljaar)" not in body

    data = form_data(client.get(url(hv_pro_groep8)))
    blank = next(i for i in range(1, 5) if data[f"toets-{i}-domein"] == "IR")
    vorig = begin.replace(year=begin.year - 1, month=10, day=1)
    data.update({f"toets-{blank}-toetsdatum": vorig.strftime("%d-%m-%Y")})
    data.update({f"toets-{blank}-dle": "20"})
    body = client.post(url(hv_pro_groep8), data, follow=True).content.decode()
    assert "(eerder schooljaar)" in body
    assert "Let op: het advies gebruikt toetsen uit een eerder schooljaar" in body
    assert f"(inzichtelijk rekenen {vorig:%d-%m-%Y})" in body


def test_the_hulpvraag_page_links_to_the_lvs_tab(client, world, hv_pro_groep8):
    login(client, world.coordinator_a)
    body = client.get(reverse("hulpvragen:detail", args=[hv_pro_groep8.pk])).content.decode()
    assert f'href="{url(hv_pro_groep8)}"' in body


def test_service_never_moves_a_row_into_another_dossier(world, hv_pro_groep8):
    from dossiers.services import lvs_gegevens_save

    elders = LeerlingFactory(organisatie=world.org)
    vreemd = Toets.objects.create(
        organisatie=world.org, leerling=elders, toetsdatum=date(2026, 1, 5), domein="BL", dle=30
    )
    vreemd.dle = 1
    with pytest.raises(ValueError, match="another pupil"):
        lvs_gegevens_save(
            leerling=hv_pro_groep8.leerling, door=world.coordinator_a, opslaan=[vreemd]
        )
    lvs_gegevens_save(
        leerling=hv_pro_groep8.leerling, door=world.coordinator_a, verwijderen=[vreemd]
    )
    vreemd.refresh_from_db()
    assert (vreemd.dle, vreemd.leerling) == (30, elders)
