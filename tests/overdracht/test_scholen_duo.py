"""Schools and besturen from DUO's open data: upload, preview (new / changed / no longer listed /
merged), apply through beheer's school services with history, nothing deleted, a second run
shows only the differences, a file in another layout is refused with the missing columns."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.eenmalig import eenmalig_token
from beheer.models import Schoolwijziging, SchoolwijzigingSoort
from organisaties.models import Bestuur, School
from overdracht.models import DuoInlezing
from tests.factories import SchoolFactory
from tests.helpers import login
from tests.overdracht import duo_bestanden as duo

pytestmark = pytest.mark.django_db

URL = reverse("overdracht:scholen_inlezen")


def upload(client, vestigingen: bytes, *, code="VO 25.05", besturen=None, overgangen=None):
    data = {
        "swv_code": code,
        "vestigingen": SimpleUploadedFile("02-alle-vestigingen-vo.csv", vestigingen),
    }
    if besturen:
        data["besturen"] = SimpleUploadedFile("bevoegde-gezagen.csv", besturen)
    if overgangen:
        data["overgangen"] = SimpleUploadedFile("overgangen.csv", overgangen)
    return client.post(URL, data)


def toepassen(client, response, *, sluiten=()):
    return client.post(
        response["Location"], {"sluiten": [str(pk) for pk in sluiten], "eenmalig": eenmalig_token()}
    )


@pytest.fixture
def bestand(world):
    a = world.school_a
    return duo.vestigingen(
        duo.vestiging(a.brin, a.vestiging, "School A Lyceum", bestuur="41001"),
        duo.vestiging("99ZZ", "00", "Nieuwe School", bestuur="41009", plaats="EPE"),
        duo.vestiging("98ZZ", "01", "Andere Regio College", swv="VO 23.01"),
    )


def test_preview_then_apply_creates_changes_and_closes_through_the_school_services(
    client, world, bestand
):
    login(client, world.beheerder)
    response = upload(
        client, bestand, besturen=duo.besturen(b41001="Stichting A", b41009="Stichting Nieuw")
    )
    assert response.status_code == 302
    voorbeeld = client.get(response["Location"])
    html = voorbeeld.content.decode()
    assert "Nieuw (1 school)" in html and "Nieuwe School" in html and "Epe" in html
    assert "Gewijzigd (1 school)" in html and "School A Lyceum" in html
    assert "Niet meer in het bestand" in html and world.school_b.naam in html
    assert "Andere Regio College" not in html
    assert "Stichting Nieuw" in html
    # Nothing is stored by the preview.
    assert not School.objects.filter(brin="99ZZ").exists()

    uitkomst = toepassen(client, response, sluiten=[world.school_b.pk])
    assert uitkomst.status_code == 302

    nieuw = School.objects.get(organisatie=world.org, brin="99ZZ", vestiging="00")
    assert (nieuw.naam, nieuw.plaats, nieuw.sector) == ("Nieuwe School", "Epe", "VO")
    assert nieuw.bestuur.naam == "Stichting Nieuw"
    assert nieuw.bestuur.bevoegd_gezag_nummer == "41009"
    world.school_a.refresh_from_db()
    assert world.school_a.naam == "School A Lyceum"
    assert Bestuur.objects.get(pk=world.bestuur_a.pk).bevoegd_gezag_nummer == "41001"
    world.school_b.refresh_from_db()
    assert world.school_b.actief is False  # closed, not deleted
    soorten = set(
        Schoolwijziging.objects.filter(organisatie=world.org).values_list("school_id", "soort")
    )
    assert (nieuw.pk, SchoolwijzigingSoort.NIEUW) in soorten
    assert (world.school_a.pk, SchoolwijzigingSoort.HERNOEMD) in soorten
    assert (world.school_b.pk, SchoolwijzigingSoort.GESLOTEN) in soorten
    assert not School.objects.filter(brin="98ZZ").exists()


def test_a_second_run_with_the_same_file_shows_no_differences(client, world, bestand):
    login(client, world.beheerder)
    toepassen(client, upload(client, bestand), sluiten=[world.school_b.pk])
    tweede = client.get(upload(client, bestand)["Location"])
    assert "Geen verschillen" in tweede.content.decode()


def test_a_newer_file_shows_only_what_changed_since(client, world, bestand):
    login(client, world.beheerder)
    toepassen(client, upload(client, bestand))  # school B kept open
    a = world.school_a
    nieuwer = duo.vestigingen(
        duo.vestiging(a.brin, a.vestiging, "School A Lyceum", bestuur="41001"),
        duo.vestiging("99ZZ", "00", "Nieuwe School", bestuur="41009", plaats="VAASSEN"),
    )
    html = client.get(upload(client, nieuwer)["Location"]).content.decode()
    assert "Gewijzigd (1 school)" in html and "Epe → Vaassen" in html
    assert "Nieuw (" not in html
    assert "School A Lyceum" not in html  # unchanged now
    assert world.school_b.naam in html  # still offered for closing, still open


def test_merged_schools_from_the_transitions_file_are_merged_not_closed(client, world, bestand):
    login(client, world.beheerder)
    b, a = world.school_b, world.school_a
    response = upload(client, bestand, overgangen=duo.overgangen((b.brin_vestiging, a.brin)))
    html = client.get(response["Location"]).content.decode()
    assert "Samengevoegd" in html
    assert "Niet meer in het bestand" not in html
    toepassen(client, response)
    b.refresh_from_db()
    assert b.actief is False
    assert Schoolwijziging.objects.get(school=b, soort=SchoolwijzigingSoort.SAMENGEVOEGD).doel == a


def test_a_file_in_another_layout_is_refused_naming_the_missing_columns(client, world):
    login(client, world.beheerder)
    verkeerd = duo.csv_bytes(["NAAM", "ADRES", "PLAATSNAAM"], [["School", "Straat 1", "EPE"]])
    response = upload(client, verkeerd)
    assert response.status_code == 200
    html = response.content.decode()
    assert "heeft niet de indeling van een adressenbestand van vestigingen van DUO" in html
    for kolom in ("INSTELLINGSCODE", "VESTIGINGSCODE", "VESTIGINGSNAAM", "BEVOEGD GEZAG NUMMER"):
        assert kolom in html
    assert "SAMENWERKINGSVERBAND VO" in html
    assert "PLAATSNAAM" not in html.split("ontbreken:")[1].split("</")[0]
    assert not DuoInlezing.objects.exists()


def test_an_unknown_swv_code_is_refused_with_the_codes_in_the_file(client, world, bestand):
    login(client, world.beheerder)
    response = upload(client, bestand, code="VO 99.99")
    html = response.content.decode()
    assert "Geen enkele vestiging" in html and "VO2301" in html


def test_the_older_column_names_and_windows_1252_are_read(client, world):
    login(client, world.beheerder)
    kop = ["BRIN NUMMER", "VESTIGINGSNUMMER", "VESTIGINGSNAAM", "PLAATSNAAM"]
    kop += ["BEVOEGD GEZAG NUMMER", "SAMENWERKINGSVERBAND VO"]
    tekst = (
        ";".join(kop) + "\r\n" + "97ZZ;97ZZ01;Scholengemeenschap Dé Brug;APELDOORN;41002;VO2505\r\n"
    )
    response = upload(client, tekst.encode("cp1252"))
    html = client.get(response["Location"]).content.decode()
    assert "Scholengemeenschap Dé Brug" in html and "97ZZ01" in html


def test_applying_twice_by_double_post_records_once(client, world, bestand):
    login(client, world.beheerder)
    response = upload(client, bestand)
    token = eenmalig_token()
    client.post(response["Location"], {"eenmalig": token})
    tweede = client.post(response["Location"], {"eenmalig": token}, follow=True)
    assert "maar één keer verwerkt" in tweede.content.decode()
    assert School.objects.filter(brin="99ZZ").count() == 1


@pytest.mark.parametrize("persona", ["loket", "coordinator_a", "bestuurder_a"])
def test_only_the_beheerder_reads_in_schools(client, world, bestand, persona):
    login(client, getattr(world, persona))
    assert client.get(URL).status_code == 404
    assert upload(client, bestand).status_code == 404


def test_another_organisations_upload_answers_404(client, world, bestand):
    login(client, world.beheerder)
    response = upload(client, bestand)
    inlezing = DuoInlezing.objects.get()
    inlezing.organisatie = world.other_org
    inlezing.save()
    assert client.get(response["Location"]).status_code == 404


def test_ten_thousand_rows_preview_and_apply_in_under_ten_seconds(client, world, capsys):
    """DUO's national file has about 10,000 rows (all vestigingen of a sector); this SWV's 100 of
    them are compared and applied, the rest skipped."""
    eigen = [
        duo.vestiging(f"{n % 90 + 10:02d}{chr(65 + n // 90)}A", f"{n % 7:02d}", f"School {n}")
        for n in range(100)
    ]
    anders = [
        duo.vestiging(
            f"{n % 90 + 10:02d}{chr(65 + n // 90 % 26)}B", "00", f"Elders {n}", swv="VO 2301"
        )
        for n in range(9_900)
    ]
    bestand = duo.vestigingen(*eigen, *anders)
    SchoolFactory.create_batch(5, organisatie=world.org)
    login(client, world.beheerder)
    begin = time.perf_counter()
    response = upload(client, bestand)
    voorbeeld = client.get(response["Location"])
    na_voorbeeld = time.perf_counter()
    assert "Nieuw (100 scholen)" in voorbeeld.content.decode()
    toepassen(client, response)
    klaar = time.perf_counter()
    assert School.objects.filter(organisatie=world.org, naam__startswith="School ").count() >= 100
    with capsys.disabled():
        print(
            f"\nDUO 10,000 rows: upload+preview {na_voorbeeld - begin:.2f} s, "
            f"apply 100 new {klaar - na_voorbeeld:.2f} s, total {klaar - begin:.2f} s"
        )
    assert klaar - begin < 10
