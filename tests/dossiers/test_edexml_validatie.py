"""EDEXML files are validated against the standard's XML schema (2.1, in dossiers/edexml_xsd/)
before anything is offered: an invalid file is refused as a whole with the first problems (line,
element, what is wrong) in Dutch, nothing is listed or stored. Invalid files made here from the
standard's example; the header of the list names the school's BRIN or Flemish instellingsnummer;
validating 1,000 pupils stays well under a second or two (measured, printed)."""

from __future__ import annotations

import html
import time

import pytest

from audit.models import Inzage
from dossiers import edexml
from dossiers.models import DossierConcept, Leerling
from tests.dossiers.test_edexml import VOORBEELD, basisschool, keuzes, upload  # noqa: F401
from tests.helpers import login

pytestmark = pytest.mark.django_db

HOF = b"<achternaam>Hof</achternaam>"
GEBOORTEDATUM = b"<geboortedatum>2006-06-21</geboortedatum>"


def regel_van(data: bytes, stuk: bytes) -> int:
    return data[: data.index(stuk)].count(b"\n") + 1


def geweigerd(client, world, data: bytes) -> str:
    login(client, world.coordinator_a)
    voor = (DossierConcept.objects.count(), Inzage.objects.count(), Leerling.objects.count())
    response = upload(client, data)
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert 'name="keuze"' not in body  # nothing offered
    assert (DossierConcept.objects.count(), Inzage.objects.count(), Leerling.objects.count()) == (
        voor
    )
    return body


def test_a_pupil_without_achternaam_or_roepnaam_is_refused_with_line_and_element(client, world):
    # Gradje van 't Hof without achternaam: the standard allows a pupil known by roepnaam only
    # (the example's Wimpie), but not one with voornamen and nothing else.
    data = VOORBEELD.replace(HOF, b"", 1).replace(b"<roepnaam>Gradje</roepnaam>", b"", 1)
    assert b"<roepnaam>Gradje" not in data
    body = geweigerd(client, world, data)
    assert "Dit bestand voldoet niet aan de EDEXML-standaard (versie 2.1); er is niets" in body
    regel = regel_van(VOORBEELD, HOF) - 1  # the <leerling> line above it
    assert f"regel {regel}, element <leerling>: onverwacht element <voorvoegsel>" in body
    assert "verwacht: <achternaam> of <roepnaam>" in body


def test_a_wrong_date_is_named(client, world):
    data = VOORBEELD.replace(GEBOORTEDATUM, b"<geboortedatum>21-06-2006</geboortedatum>", 1)
    body = geweigerd(client, world, data)
    regel = regel_van(VOORBEELD, GEBOORTEDATUM)
    assert (
        f"regel {regel}, element <geboortedatum>: de waarde “21-06-2006” is ongeldig; "
        "verwacht: een datum (jjjj-mm-dd)"
    ) in body


def test_a_value_outside_the_standards_list_is_named(client, world):
    data = VOORBEELD.replace(b"<geslacht>1</geslacht>", b"<geslacht>7</geslacht>", 1)
    body = geweigerd(client, world, data)
    regel = regel_van(VOORBEELD, b"<geslacht>1</geslacht>")
    assert f"regel {regel}, element <geslacht>: de waarde “7” is niet toegestaan" in body


def test_the_wrong_root_element(client, world):
    data = VOORBEELD.replace(b"<EDEX ", b"<LEERLINGEN ", 1).replace(b"</EDEX>", b"</LEERLINGEN>", 1)
    body = geweigerd(client, world, data)
    regel = regel_van(VOORBEELD, b"<EDEX ")
    assert f"het hoofdelement is <LEERLINGEN> (regel {regel}), verwacht <EDEX>." in body


def test_a_doctype_is_still_refused(client, world):
    data = VOORBEELD.replace(b"<EDEX ", b"<!DOCTYPE EDEX>\n<EDEX ", 1)
    body = geweigerd(client, world, data)
    assert "Dit bestand bevat een DOCTYPE of entiteiten; die staat EDEXML niet toe." in body


def test_a_duplicate_key_and_only_the_first_problems_are_listed(client, world):
    # Two pupils with the same key, and ten wrong dates: five problems named, the rest counted.
    data = VOORBEELD.replace(b'<leerling key="00002">', b'<leerling key="00001">', 1)
    kapot = b"".join(
        f'<leerling key="x{i}"><roepnaam>R</roepnaam><geboortedatum>fout</geboortedatum>'
        f"</leerling>".encode()
        for i in range(10)
    )
    data = data.replace(b"</leerlingen>", kapot + b"</leerlingen>", 1)
    body = geweigerd(client, world, data)
    assert body.count("de waarde “fout” is ongeldig") == 5
    assert "… en nog" in body and "problemen." in body


def test_a_reference_to_a_group_that_does_not_exist(client, world):
    data = VOORBEELD.replace(b'<groep key="GRP4B"/>', b'<groep key="GEEN"/>', 1)
    body = geweigerd(client, world, data)
    regel = regel_van(VOORBEELD, b'<groep key="GRP4B"/>')
    assert f"regel {regel}, element <groep>: verwijst naar key=“GEEN”, die niet bestaat" in body


def test_the_list_header_names_the_brin(client, world, basisschool):  # noqa: F811
    login(client, world.coordinator_a)
    response = upload(client)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="edexml-school">BRIN 99ZZ · EDEXML 2.1</h2>' in body
    assert 'aria-labelledby="edexml-school"' in body


def test_a_flemish_school_is_named_by_its_instellingsnummer(client, world):
    data = VOORBEELD.replace(
        b"<brincode>99ZZ</brincode>\n\t\t<dependancecode>00</dependancecode>",
        b"<instellingsnummer>012345</instellingsnummer>",
        1,
    )
    assert b"<brincode>" not in data
    login(client, world.coordinator_a)
    response = upload(client, data)
    assert response.status_code == 200, html.unescape(response.content.decode())[-3000:]
    assert "Instellingsnummer (Vlaanderen) 012345" in response.content.decode()
    assert len(keuzes(response)) == 3


def test_an_edexml_2_0_file_is_read(client, world, basisschool):  # noqa: F811
    data = VOORBEELD.replace(b"<xsdversie>2.1", b"<xsdversie>2.0", 1)
    login(client, world.coordinator_a)
    response = upload(client, data)
    assert response.status_code == 200
    assert "EDEXML 2.0" in response.content.decode()


def duizend_leerlingen() -> bytes:
    leerling = (
        '<leerling key="k{i}"><achternaam>Achternaam{i}</achternaam><voorvoegsel>van</voorvoegsel>'
        "<voornamen>Voor Naam</voornamen><roepnaam>Roep</roepnaam>"
        "<geboortedatum>2012-03-04</geboortedatum><geslacht>2</geslacht>"
        '<jaargroep>7</jaargroep><groep key="GRP4A"/><vestiging key="VH"/>'
        "<mutatiedatum>2014-09-07T08:47:34</mutatiedatum></leerling>\n"
    )
    kop, rest = VOORBEELD.split(b"<leerlingen>")
    _oud, staart = rest.split(b"</leerlingen>")
    body = "".join(leerling.format(i=i) for i in range(1000)).encode()
    return kop + b"<leerlingen>\n" + body + b"</leerlingen>" + staart


def test_validating_1000_pupils_is_fast():
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = duizend_leerlingen()
    edexml.schema()  # built once per process; not part of a request after the first
    tijden = []
    for _ in range(3):
        begin = time.perf_counter()
        gelezen = edexml.lees(SimpleUploadedFile("groot.xml", data))
        tijden.append(time.perf_counter() - begin)
    assert len(gelezen.leerlingen) == 1000
    print(
        f"\nEDEXML: 1,000 pupils ({len(data) / 1024:.0f} KB) parsed and validated in "
        f"{min(tijden) * 1000:.0f} ms (best of 3; schema built once)"
    )
    assert min(tijden) < 1.5
