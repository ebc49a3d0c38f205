"""The whole-class EDEXML import: choose a group or all new pupils of one export, create their
dossiers in one action with the wizard's duplicate check per pupil, and see what was created and
what was skipped and why. 1,000 pupils in under 10 seconds."""

from __future__ import annotations

import html
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import Inzage
from dossiers.models import Leerling, Schoolgegevens
from organisaties.models import Sector
from tests.factories import LeerlingFactory, SchoolgegevensFactory, _bsn
from tests.helpers import login

pytestmark = pytest.mark.django_db
IMPORT = reverse("dossiers:edexml")
KLAS = reverse("dossiers:edexml_klas")

KOP = """<?xml version="1.0" encoding="UTF-8"?>
<EDEX>
  <school>
    <schooljaar>2016-2017</schooljaar>
    <brincode>99ZZ</brincode>
    <dependancecode>00</dependancecode>
    <schoolkey>1</schoolkey>
    <aanmaakdatum>2025-10-01T10:00:00</aanmaakdatum>
    <auteur>Test</auteur>
    <xsdversie>2.1</xsdversie>
  </school>
  <groepen>
    <groep key="G8A"><naam>8A</naam><jaargroep>8</jaargroep></groep>
    <groep key="G7B"><naam>7B</naam><jaargroep>7</jaargroep></groep>
  </groepen>
  <leerlingen>
"""


def leerling_xml(n: int, *, achternaam=None, bsn=None, geboortedatum=None, groep="G8A") -> str:
    jaargroep = "8" if groep == "G8A" else "7"
    bsn = _bsn(500_000 + n) if bsn is None else bsn
    return f"""    <leerling key="{n:05d}">
      <achternaam>{achternaam or f"Achternaam{n}"}</achternaam>
      <voornamen>Voornaam{n}</voornamen>
      <roepnaam>Roep{n}</roepnaam>
      <geboortedatum>{geboortedatum or f"2013-05-{n % 28 + 1:02d}"}</geboortedatum>
      <geslacht>{n % 2 + 1}</geslacht>
      <jaargroep>{jaargroep}</jaargroep>
      <groep key="{groep}"/>
      {f"<bsn>{bsn}</bsn>" if bsn else ""}
    </leerling>
"""


def bestand(*leerlingen: str) -> bytes:
    return (KOP + "".join(leerlingen) + "  </leerlingen>\n</EDEX>\n").encode()


@pytest.fixture
def basisschool(world):
    world.school_a.brin, world.school_a.vestiging, world.school_a.sector = "99ZZ", "00", Sector.PO
    world.school_a.save()
    return world.school_a


def upload(client, data: bytes):
    return client.post(IMPORT, {"edexml": SimpleUploadedFile("klas.xml", data, "text/xml")})


def klas_post(client, pagina, **over):
    body = pagina.content.decode()
    start = body.index(f'action="{KLAS}"')
    form = body[start : body.index("</form>", start)]
    data = {
        naam: html.unescape(waarde)
        for naam, waarde in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)
    }
    data.update({"selectie": "nieuw"}, **over)
    data.setdefault("school", re.search(r'<option value="(\d+)" selected', form).group(1))
    return client.post(KLAS, data)


def test_all_new_pupils_with_duplicates_skipped_and_why(client, world, basisschool):
    # Already in Kindkans: a pupil of school A (visible), a pupil of school B (not visible),
    # and one with the same achternaam and geboortedatum as a visible pupil.
    bij_a = SchoolgegevensFactory(school=world.school_a).leerling
    bij_b = world.hv_b_ingediend.leerling
    naamgenoot = LeerlingFactory(organisatie=world.org, achternaam="Jansen", bsn="")
    naamgenoot.geboortedatum = "2013-01-01"
    naamgenoot.save()
    SchoolgegevensFactory(school=world.school_a, leerling=naamgenoot)
    data = bestand(
        leerling_xml(1),
        leerling_xml(2),
        leerling_xml(3, bsn=bij_a.bsn),
        leerling_xml(4, bsn=bij_b.bsn),
        leerling_xml(5, achternaam="Jansen", geboortedatum="2013-01-01"),
        leerling_xml(6, bsn="123456789"),  # fails the elfproef
        leerling_xml(7, bsn=_bsn(500_001)),  # the same BSN as pupil 1
        leerling_xml(8, groep="G7B"),
    )
    login(client, world.coordinator_a)
    pagina = upload(client, data)
    assert pagina.status_code == 200
    assert "Meerdere leerlingen tegelijk" in pagina.content.decode()
    antwoord = klas_post(client, pagina, contactpersoon="Piet", email="piet@a.example")
    body = antwoord.content.decode()
    assert antwoord.status_code == 200
    assert "3 dossiers aangemaakt" in body and "5 leerlingen overgeslagen" in body
    for reden in (
        "Staat al in Kindkans (zelfde BSN)",
        "bij een andere school",
        "zelfde achternaam en geboortedatum",
        "Geen geldig BSN",
        "Staat twee keer in het bestand",
    ):
        assert reden in body, reden
    nieuw = Leerling.objects.filter(achternaam__startswith="Achternaam").order_by("achternaam")
    assert [ll.achternaam for ll in nieuw] == ["Achternaam1", "Achternaam2", "Achternaam8"]
    sg = Schoolgegevens.objects.get(leerling=nieuw[0])
    assert (sg.school, sg.groep, sg.aanvrager) == (world.school_a, 8, world.coordinator_a)
    assert Schoolgegevens.objects.get(leerling=nieuw[2]).groep == 7
    assert Inzage.objects.filter(
        gebruiker=world.coordinator_a, onderdeel="EDEXML-klasimport", leerling_id=nieuw[0].pk
    ).exists()
    assert reverse("dossiers:nieuwe_hulpvraag", args=[nieuw[0].pk]) in body
    # The school's people find the new dossiers; another school's do not.
    from hulpvragen.access import leerlingen_visible_to

    assert leerlingen_visible_to(world.coordinator_a).filter(pk=nieuw[0].pk).exists()
    assert not leerlingen_visible_to(world.collega_b).filter(pk=nieuw[0].pk).exists()

    # Posted again (reload): nothing twice.
    klas_post(client, pagina, contactpersoon="Piet", email="piet@a.example")
    assert Leerling.objects.filter(achternaam__startswith="Achternaam").count() == 3


def test_one_group_only(client, world, basisschool):
    login(client, world.coordinator_a)
    pagina = upload(client, bestand(leerling_xml(1), leerling_xml(2, groep="G7B")))
    assert "Groep 7B (1)" in pagina.content.decode()
    antwoord = klas_post(client, pagina, selectie="groep:7B")
    assert "1 dossier aangemaakt" in antwoord.content.decode()
    assert list(
        Leerling.objects.filter(achternaam__startswith="Achternaam").values_list(
            "achternaam", flat=True
        )
    ) == ["Achternaam2"]


def test_a_school_not_of_the_user_and_a_tampered_list_are_refused(client, world, basisschool):
    login(client, world.coordinator_a)
    pagina = upload(client, bestand(leerling_xml(1)))
    antwoord = klas_post(client, pagina, school=str(world.school_b.pk))
    assert antwoord.status_code == 400
    antwoord = klas_post(client, pagina, lijst="nep")
    assert antwoord.status_code == 302
    assert not Leerling.objects.filter(achternaam__startswith="Achternaam").exists()


def test_only_those_who_add_dossiers_may_import(client, world, basisschool):
    login(client, world.bestuurder_a)
    assert client.post(KLAS, {"lijst": "x"}).status_code == 404


def test_a_thousand_pupils_in_under_ten_seconds(client, world, basisschool):
    data = bestand(*(leerling_xml(n) for n in range(1, 1001)))
    login(client, world.coordinator_a)
    pagina = upload(client, data)
    assert pagina.status_code == 200
    start = time.perf_counter()
    antwoord = klas_post(client, pagina)
    duur = time.perf_counter() - start
    assert antwoord.status_code == 200
    assert "1000 dossiers aangemaakt" in antwoord.content.decode()
    print(f"\n1000 leerlingen geïmporteerd in {duur:.2f} s")
    assert duur < 10
