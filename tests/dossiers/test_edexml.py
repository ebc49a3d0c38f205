"""Toevoegen → "Importeren uit de leerlingadministratie (EDEXML)": upload the export, pick one
pupil, the wizard starts prefilled. Through the real pages; the file is the standard's own example
(tests/dossiers/edexml/, origin in its README)."""

from __future__ import annotations

import html
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import Inzage
from dossiers.models import DossierConcept, Leerling
from organisaties.models import Sector
from tests.dossiers.conftest import form_data
from tests.factories import _bsn
from tests.helpers import login

pytestmark = pytest.mark.django_db
VOORBEELD = (Path(__file__).parent / "edexml" / "EDEXML.Voorbeeld.2.1.xml").read_bytes()
TOEVOEGEN = reverse("dossiers:toevoegen")
IMPORT = reverse("dossiers:edexml")
KIEZEN = reverse("dossiers:edexml_kiezen")
ADRES = {"straat": "Dorpsstraat", "huisnummer": "1", "postcode": "6851AB", "woonplaats": "Huissen"}


@pytest.fixture
def basisschool(world):
    """School A is the example file's school: BRIN 99ZZ, dependance 00, a basisschool."""
    world.school_a.brin, world.school_a.vestiging, world.school_a.sector = "99ZZ", "00", Sector.PO
    world.school_a.save()
    return world.school_a


def upload(client, data: bytes = VOORBEELD, naam="leerlingen.xml"):
    return client.post(IMPORT, {"edexml": SimpleUploadedFile(naam, data, "text/xml")})


def keuzes(response) -> dict[str, str]:
    """Each listed pupil's signed choice, by the row's accessible button text."""
    body = response.content.decode()
    rows = {}
    for part in body.split('name="keuze" value="')[1:]:
        token = part.split('"', 1)[0]
        label = part.split('class="visueel-verborgen"> voor ', 1)[1].split("</span>", 1)[0]
        rows[" ".join(label.split())] = html.unescape(token)
    return rows


def kies(client, response, label: str):
    return client.post(KIEZEN, {"keuze": keuzes(response)[label]})


def test_toevoegen_offers_the_import(client, world):
    login(client, world.coordinator_a)
    body = client.get(TOEVOEGEN).content.decode()
    assert "Importeren uit de leerlingadministratie (EDEXML)" in body
    assert f'action="{IMPORT}"' in body and 'enctype="multipart/form-data"' in body


def test_example_file_lists_its_pupils_and_keeps_nothing(client, world, basisschool):
    login(client, world.coordinator_a)
    concepten = DossierConcept.objects.count()
    response = upload(client)
    assert response.status_code == 200
    body = response.content.decode()
    assert "3 leerlingen" in body
    assert set(keuzes(response)) == {"Wimpie", "Ismaël Hassan Assati", "Gradje van &#x27;t Hof"}
    assert "van &#x27;t" in body and "21-06-2006" in body
    # Listing stores nothing: no concept, nothing in the session; one audit row.
    assert DossierConcept.objects.count() == concepten
    assert not any("Hof" in str(v) for v in client.session.values())
    inzage = Inzage.objects.filter(onderdeel="toevoegen: EDEXML-import").get()
    assert inzage.gebruiker == world.coordinator_a and "3 leerlingen" in inzage.details


def test_choosing_van_t_hof_prefills_the_wizard(client, world, basisschool):
    login(client, world.coordinator_a)
    response = kies(client, upload(client), "Gradje van &#x27;t Hof")
    concept = DossierConcept.objects.latest("id")
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:stap", args=[concept.pk, "basisgegevens"])
    assert concept.aangemaakt_door == world.coordinator_a
    assert concept.gegevens == {
        "edexml": {
            "basisgegevens": {
                "roepnaam": "Gradje",
                "tussenvoegsel": "van 't",
                "achternaam": "Hof",
                "geboortedatum": "21-06-2006",
                "geslacht": "M",  # EDEXML 1 = jongen
            },
            # Jaargroep H is not a basisschool groep: the school, no groep.
            "schoolgegevens": {"school": basisschool.pk},
        }
    }
    assert concept.naam == "Gradje van 't Hof"
    assert Inzage.objects.filter(onderdeel="toevoegen: EDEXML-keuze").count() == 1
    # Only the chosen pupil went anywhere.
    assert "Wimpie" not in str(concept.gegevens) and "Assati" not in str(concept.gegevens)

    page = client.get(response["Location"])
    data = form_data(page)
    assert data["tussenvoegsel"] == "van 't" and data["achternaam"] == "Hof"
    assert data["geboortedatum"] == "21-06-2006" and data["geslacht"] == "M"
    assert "De gegevens uit de leerlingadministratie zijn ingevuld" in page.content.decode()

    # Continue as usual: the duplicate check and the next step.
    data.update(ADRES, bsn=_bsn(4242), voornamen="Gerardus")  # the file has no voornamen
    response = client.post(page.request["PATH_INFO"], data)
    assert response.status_code == 302
    school_page = client.get(reverse("dossiers:stap", args=[concept.pk, "schoolgegevens"]))
    sdata = form_data(school_page)
    assert sdata["school"] == str(basisschool.pk)
    assert sdata["leerjaar_groep"] == ""
    assert not Leerling.objects.filter(achternaam="Hof").exists()


def test_jaargroep_becomes_groep_at_a_basisschool(client, world, basisschool):
    login(client, world.coordinator_a)
    kies(client, upload(client), "Wimpie")
    concept = DossierConcept.objects.latest("id")
    assert concept.gegevens["edexml"]["schoolgegevens"] == {
        "school": basisschool.pk,
        "leerjaar_groep": 4,
    }
    page = client.get(reverse("dossiers:stap", args=[concept.pk, "schoolgegevens"]))
    # The concept is only at Basisgegevens: the wizard sends the user there first.
    assert page.status_code == 302
    concept.stap = "schoolgegevens"
    concept.save()
    page = client.get(reverse("dossiers:stap", args=[concept.pk, "schoolgegevens"]))
    assert form_data(page)["leerjaar_groep"] == "4"


def test_bsn_failing_the_elfproef_is_left_empty_with_a_message(client, world, basisschool):
    login(client, world.coordinator_a)
    response = kies(client, upload(client), "Ismaël Hassan Assati")
    basis = DossierConcept.objects.latest("id").gegevens["edexml"]["basisgegevens"]
    assert basis == {"voornamen": "Ismaël Hassan", "achternaam": "Assati", "geslacht": "O"}
    body = client.get(response["Location"]).content.decode()
    assert "voldoet niet aan de elfproef" in body


def test_valid_bsn_and_meisje_are_taken_over(client, world, basisschool):
    bsn = _bsn(5150)
    data = VOORBEELD.replace(b"133456785", bsn.encode()).replace(
        b"<geslacht>0</geslacht>", b"<geslacht>2</geslacht>"
    )
    login(client, world.coordinator_a)
    kies(client, upload(client, data), "Ismaël Hassan Assati")
    basis = DossierConcept.objects.latest("id").gegevens["edexml"]["basisgegevens"]
    assert basis["bsn"] == bsn and basis["geslacht"] == "V"


def test_brin_of_another_school_does_not_set_the_school(client, world, basisschool):
    # School B (the colleague's) has the file's BRIN; coordinator A is not at that school.
    basisschool.brin = "11AA"
    basisschool.save()
    world.school_b.brin, world.school_b.vestiging = "99ZZ", "00"
    world.school_b.save()
    login(client, world.coordinator_a)
    response = kies(client, upload(client), "Wimpie")
    concept = DossierConcept.objects.latest("id")
    assert concept.gegevens["edexml"]["schoolgegevens"] == {}
    assert "BRIN 99ZZ" in client.get(response["Location"]).content.decode()


def test_another_dependance_does_not_set_the_school(client, world, basisschool):
    login(client, world.coordinator_a)
    data = VOORBEELD.replace(b"<dependancecode>00", b"<dependancecode>01")
    kies(client, upload(client, data), "Wimpie")
    assert DossierConcept.objects.latest("id").gegevens["edexml"]["schoolgegevens"] == {}


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE EDEX [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<EDEX><school><xsdversie>2.1</xsdversie><commentaar>&i;</commentaar></school></EDEX>"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE EDEX [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<EDEX><school><xsdversie>2.1</xsdversie></school><leerlingen><leerling key="1">
<achternaam>&x;</achternaam></leerling></leerlingen></EDEX>"""


@pytest.mark.parametrize(
    ("data", "fout"),
    [
        (b"%PDF-1.4 dit is geen xml", "Dit is geen EDEXML-bestand: het is geen geldige XML."),
        (
            b"<?xml version='1.0'?><html><body/></html>",
            "Dit is geen EDEXML-bestand: het hoofdelement is <html> (regel 1), verwacht <EDEX>.",
        ),
        (
            VOORBEELD.replace(b"<xsdversie>2.1", b"<xsdversie>1.03"),
            "Dit EDEXML-bestand heeft versie 1.03",
        ),
        (
            VOORBEELD.split(b"<leerlingen>")[0] + b"</EDEX>",
            "het element <leerlingen> ontbreekt",
        ),
        (BILLION_LAUGHS, "bevat een DOCTYPE of entiteiten"),
        (EXTERNAL, "bevat een DOCTYPE of entiteiten"),
        (VOORBEELD + b" " * (5 * 1024 * 1024), "Het bestand is groter dan 5 MB."),
    ],
    ids=["geen-xml", "geen-edexml", "versie", "geen-leerlingen", "bomb", "extern", "te-groot"],
)
def test_bad_files_get_a_dutch_error_and_change_nothing(client, world, data, fout):
    login(client, world.coordinator_a)
    voor = (DossierConcept.objects.count(), Inzage.objects.count(), Leerling.objects.count())
    begin = time.monotonic()
    response = upload(client, data)
    assert time.monotonic() - begin < 2
    assert response.status_code == 400
    body = response.content.decode()
    assert html.escape(fout) in body
    assert 'name="keuze"' not in body and "root:" not in body
    na = (DossierConcept.objects.count(), Inzage.objects.count(), Leerling.objects.count())
    assert na == voor


def test_no_file_chosen(client, world):
    login(client, world.coordinator_a)
    response = client.post(IMPORT, {})
    assert response.status_code == 400
    assert "Kies een EDEXML-bestand." in response.content.decode()


@pytest.mark.parametrize("persona", ["bestuurder_a", "deskundige"])
def test_import_is_only_for_those_who_add_dossiers(client, world, persona):
    login(client, getattr(world, persona))
    assert upload(client).status_code == 404


def test_loket_may_import_and_gets_the_organisations_school(client, world, basisschool):
    login(client, world.loket)
    kies(client, upload(client), "Wimpie")
    concept = DossierConcept.objects.latest("id")
    assert concept.aangemaakt_door == world.loket
    assert concept.gegevens["edexml"]["schoolgegevens"]["school"] == basisschool.pk


def test_another_organisations_user_cannot_use_the_concept_or_the_choice(
    client, world, basisschool
):
    login(client, world.coordinator_a)
    lijst = upload(client)
    kies(client, lijst, "Wimpie")
    concept = DossierConcept.objects.latest("id")
    token = keuzes(lijst)["Gradje van &#x27;t Hof"]
    client.logout()

    login(client, world.outsider)
    for url in (
        reverse("dossiers:concept", args=[concept.pk]),
        reverse("dossiers:stap", args=[concept.pk, "basisgegevens"]),
    ):
        assert client.get(url).status_code == 404
    # A listed choice is bound to the user who uploaded the file.
    n = DossierConcept.objects.count()
    response = client.post(KIEZEN, {"keuze": token})
    assert response.status_code == 302 and response["Location"] == TOEVOEGEN
    assert DossierConcept.objects.count() == n
    assert "verlopen of ongeldig" in client.get(TOEVOEGEN).content.decode()


def test_tampered_choice_is_refused(client, world, basisschool):
    login(client, world.coordinator_a)
    token = keuzes(upload(client))["Wimpie"]
    n = DossierConcept.objects.count()
    client.post(KIEZEN, {"keuze": token[:-2] + "xx"})
    assert DossierConcept.objects.count() == n


def test_pupil_already_in_kindkans_triggers_the_duplicate_check(client, world, basisschool):
    known = world.hv_a_ingediend.leerling
    data = VOORBEELD.replace(b"<bsn>133456785</bsn>", f"<bsn>{known.bsn}</bsn>".encode())
    login(client, world.coordinator_a)
    response = kies(client, upload(client, data), "Ismaël Hassan Assati")
    page = client.get(response["Location"])
    assert "staat mogelijk al in Kindkans" in page.content.decode()
    form = {**form_data(page), **ADRES, "geboortedatum": "01-02-2012", "roepnaam": "Ismaël"}
    assert form["bsn"] == known.bsn
    response = client.post(page.request["PATH_INFO"], form)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Deze leerling staat al in Kindkans" in body
    assert reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk]) in body
    concept = DossierConcept.objects.latest("id")
    assert concept.stap == "basisgegevens"


def test_a_file_over_2_mb_stays_in_memory(client, world, basisschool, monkeypatch):
    """Django would stream an upload over 2 MB to a temporary file; this one must not."""
    from django.core.files import uploadedfile

    def geen_tijdelijk_bestand(*args, **kwargs):
        raise AssertionError("the EDEXML file was written to a temporary file")

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", geen_tijdelijk_bestand)
    login(client, world.coordinator_a)
    groot = VOORBEELD + b"<!--" + b"x" * (3 * 1024 * 1024) + b"-->"
    response = upload(client, groot)
    assert response.status_code == 200
    assert len(keuzes(response)) == 3


def test_the_upload_is_csrf_protected(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, world.coordinator_a)
    assert upload(client).status_code == 403
