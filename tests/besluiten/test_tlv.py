"""Besluit TLV through the screens: deskundigen assigned and advising, "TLV vastleggen" with its
record, status change and toekenningsbrief on the TLV tab; the afwijzing with its bezwaar clause;
decision statuses unreachable without their record."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from besluiten.models import Afwijzing, Deskundigenadvies, Toelaatbaarheidsverklaring
from besluiten.services import minimale_einddatum, standaard_einddatum
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.models import Hulpvraag, Toegang
from tests.besluiten.conftest import (
    adviseren,
    docx_tekst,
    download,
    toewijzen,
    twee_adviezen,
)
from tests.helpers import login

pytestmark = pytest.mark.django_db


def tlv_post(client, hulpvraag, **extra):
    data = {
        "actie": "tlv",
        "gezien_status": hulpvraag.status_id,
        "bekostigingscategorie": "midden",
        "ingangsdatum": "01-08-2026",
        "einddatum": "",
        "besluitdatum": "15-06-2026",
        "toelichting": "",
        **extra,
    }
    return client.post(reverse("besluiten:besluit", args=[hulpvraag.pk]), data)


@pytest.mark.parametrize(
    "ingang, eind",
    [
        (date(2026, 8, 1), date(2027, 7, 31)),
        (date(2026, 8, 24), date(2028, 7, 31)),  # 31-7-2027 would be less than a school year
        (date(2027, 3, 1), date(2028, 7, 31)),
        (date(2028, 2, 29), date(2029, 7, 31)),
    ],
)
def test_default_einddatum_is_31_july_at_least_one_school_year_later(ingang, eind):
    assert standaard_einddatum(ingang) == eind
    assert standaard_einddatum(ingang) >= minimale_einddatum(ingang)


def test_assigning_deskundigen_grants_read_access_and_the_first_is_a_gedragswetenschapper(
    client, world, compleet, kinderarts
):
    login(client, world.loket)
    response = toewijzen(client, compleet, kinderarts, 1, "kinderarts")
    assert response.status_code == 200
    assert "De eerste deskundige is een orthopedagoog of psycholoog." in response.content.decode()
    assert not Toegang.objects.filter(hulpvraag=compleet).exists()

    assert toewijzen(client, compleet, world.deskundige, 1, "orthopedagoog").status_code == 302
    assert toewijzen(client, compleet, kinderarts, 2, "kinderarts").status_code == 302
    toegangen = Toegang.objects.filter(hulpvraag=compleet, ingetrokken_op__isnull=True)
    assert {t.gebruiker for t in toegangen} == {world.deskundige, kinderarts}
    assert hulpvragen_visible_to(kinderarts).filter(pk=compleet.pk).exists()
    adviezen = Deskundigenadvies.objects.filter(hulpvraag=compleet).order_by("volgorde")
    assert [(a.deskundige, a.discipline) for a in adviezen] == [
        (world.deskundige, "orthopedagoog"),
        (kinderarts, "kinderarts"),
    ]


def test_replacing_a_deskundige_who_has_not_advised_revokes_their_access(
    client, world, compleet, kinderarts
):
    from tests.factories import UserFactory

    jeugdarts = UserFactory(organisatie=world.org, rol="deskundige", functie="jeugdarts")
    login(client, world.loket)
    toewijzen(client, compleet, world.deskundige, 1, "orthopedagoog")
    toewijzen(client, compleet, kinderarts, 2, "kinderarts")
    assert toewijzen(client, compleet, jeugdarts, 2, "jeugdarts").status_code == 302
    assert not hulpvragen_visible_to(kinderarts).filter(pk=compleet.pk).exists()
    assert hulpvragen_visible_to(jeugdarts).filter(pk=compleet.pk).exists()
    # The advice of deskundige 1 cannot be replaced once given.
    login(client, world.deskundige)
    adviseren(client, compleet)
    login(client, world.loket)
    response = toewijzen(client, compleet, jeugdarts, 1, "psycholoog")
    assert "heeft al geadviseerd" in response.content.decode()


def test_a_deskundige_sees_only_what_they_were_assigned(client, world, compleet, kinderarts):
    login(client, world.loket)
    toewijzen(client, compleet, world.deskundige, 1, "orthopedagoog")
    # Not (yet) assigned: the hulpvraag, its TLV tab and the advice page do not exist for them.
    login(client, kinderarts)
    for url in (
        reverse("hulpvragen:detail", args=[compleet.pk]),
        reverse("hulpvragen:tab", args=[compleet.pk, "tlv"]),
        reverse("besluiten:advies", args=[compleet.pk]),
        reverse("besluiten:besluit", args=[compleet.pk]),
    ):
        assert client.get(url).status_code == 404, url
    login(client, world.loket)
    toewijzen(client, compleet, kinderarts, 2, "kinderarts")
    login(client, world.deskundige)
    adviseren(client, compleet, motivering="Geheim advies van de orthopedagoog")
    # Assigned: the kinderarts reads the hulpvraag and gives advice, but does not see the other
    # deskundige's advice, and has no Besluit page.
    login(client, kinderarts)
    tab = client.get(reverse("hulpvragen:tab", args=[compleet.pk, "tlv"])).content.decode()
    assert "Advies uitbrengen" in tab
    assert world.deskundige.username not in tab
    advies_pagina = client.get(reverse("besluiten:advies", args=[compleet.pk]))
    assert advies_pagina.status_code == 200
    assert "Geheim advies" not in advies_pagina.content.decode()
    assert client.get(reverse("besluiten:besluit", args=[compleet.pk])).status_code == 404
    # Another hulpvraag stays invisible.
    assert (
        client.get(reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk])).status_code == 404
    )


@pytest.mark.parametrize(
    "wie", ["coordinator_a", "bestuurder_a", "deskundige", "outsider", "beheerder"]
)
def test_besluit_page_is_404_for_everyone_but_the_loket(client, world, compleet, wie):
    login(client, getattr(world, wie))
    for url in (
        reverse("besluiten:besluit", args=[compleet.pk]),
        reverse("besluiten:advies", args=[compleet.pk]),
    ):
        assert client.get(url).status_code == 404
    response = tlv_post(client, compleet)
    assert response.status_code == 404
    assert not Toelaatbaarheidsverklaring.objects.exists()


def test_advice_needs_motivation_and_for_toelaatbaar_a_category_and_duration(
    client, world, compleet
):
    login(client, world.loket)
    toewijzen(client, compleet, world.deskundige, 1, "orthopedagoog")
    login(client, world.deskundige)
    response = adviseren(client, compleet, categorie="", duur="", motivering="")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vul een motivering in." in page or "verplicht" in page
    response = adviseren(client, compleet, categorie="", duur="", motivering="Zie verslag")
    page = response.content.decode()
    assert "Kies de geadviseerde bekostigingscategorie." in page
    assert "Vul de geadviseerde duur in" in page
    assert (
        adviseren(client, compleet, toelaatbaar=False, motivering="Regulier kan").status_code == 302
    )
    advies = Deskundigenadvies.objects.get(hulpvraag=compleet, volgorde=1)
    assert advies.toelaatbaar is False and advies.uitgebracht


def test_tlv_needs_two_advices_with_a_gedragswetenschapper(client, world, compleet, kinderarts):
    login(client, world.loket)
    response = tlv_post(client, compleet)
    page = response.content.decode()
    assert "Er zijn 0 van de 2 deskundigenadviezen uitgebracht" in page
    assert "Ten minste één advies moet van een orthopedagoog of psycholoog zijn." in page
    compleet.refresh_from_db()
    assert compleet.status.naam == "TLV aanvraag compleet"
    assert not Toelaatbaarheidsverklaring.objects.exists()


def test_tlv_afgegeven_records_the_tlv_and_puts_the_letter_on_the_tlv_tab(
    client, world, compleet, kinderarts, django_capture_on_commit_callbacks
):
    twee_adviezen(client, world, compleet, kinderarts, categorie="hoog")
    besluit = client.get(reverse("besluiten:besluit", args=[compleet.pk])).content.decode()
    assert "De geadviseerde bekostigingscategorie verschilt" in besluit

    with django_capture_on_commit_callbacks(execute=False):
        response = tlv_post(client, compleet)
    assert response.status_code == 302
    assert response["Location"] == reverse("hulpvragen:tab", args=[compleet.pk, "tlv"])
    compleet.refresh_from_db()
    assert compleet.status.naam == "TLV afgegeven"
    tlv = Toelaatbaarheidsverklaring.objects.get(hulpvraag=compleet)
    assert (tlv.soort, tlv.bekostigingscategorie) == ("VSO", "midden")
    assert (tlv.ingangsdatum, tlv.einddatum) == (date(2026, 8, 1), date(2027, 7, 31))
    assert tlv.besluitdatum == date(2026, 6, 15)
    assert tlv.vastgelegd_door == world.loket
    laatste = compleet.statuswijzigingen.order_by("-op", "-id").first()
    assert laatste.naar.naam == "TLV afgegeven" and laatste.door == world.loket
    assert "tabblad TLV" in laatste.toelichting

    # The school finds it where the manual says: TLV tab, "1 Bijlagen" (the PDF comes after the
    # commit, when LibreOffice is installed: see test_brieven.py).
    login(client, world.coordinator_a)
    tab = client.get(reverse("hulpvragen:tab", args=[compleet.pk, "tlv"])).content.decode()
    assert "1 Bijlagen" in tab
    assert "01-08-2026" in tab and "31-07-2027" in tab
    brief = tlv.brieven.get()
    assert brief.naam == "toekenningsbrief-tlv-vso-150626.docx"
    assert brief.hulpvraag_id == compleet.pk
    tekst = docx_tekst(download(client, brief))
    assert compleet.leerling.naam in tekst
    assert "Bekostigingscategorie: midden" in tekst
    assert "Geldig van 01-08-2026 tot en met 31-07-2027" in tekst
    assert "Loolaan 12" in tekst
    assert "binnen zes weken" in tekst and "uiterlijk 27-07-2026" in tekst
    assert "Landelijke Bezwaaradviescommissie Toelaatbaarheidsverklaringen" in tekst
    assert "{{" not in tekst


def test_the_upload_of_the_letter_fires_no_event(client, world, kinderarts):
    """FA afgegeven → an upload is the evaluation; a generated letter must not count as one. Same
    for TLV: the letter is a bijlage without the engine's event (the status stays afgegeven)."""
    from tests.besluiten.conftest import hulpvraag_in

    hv = hulpvraag_in(world, "TLV aanvraag compleet")
    twee_adviezen(client, world, hv, kinderarts)
    tlv_post(client, hv)
    hv.refresh_from_db()
    assert hv.status.naam == "TLV afgegeven"
    assert hv.statuswijzigingen.count() == 2  # created, afgegeven (set-up moved it directly)


def test_status_wijzigen_sends_the_loket_to_the_besluit_form(client, world, compleet):
    login(client, world.loket)
    page = client.get(reverse("hulpvragen:status_wijzigen", args=[compleet.pk])).content.decode()
    assert "De TLV is nog niet vastgelegd" in page
    assert reverse("besluiten:besluit", args=[compleet.pk]) in page
    assert "TLV vastleggen" in page and "Afwijzing vastleggen" in page
    for naam, toelichting in (("TLV afgegeven", ""), ("TLV afwijzing toegelicht", "Afgewezen")):
        naar = compleet.proces.statussen.get(naam=naam)
        response = client.post(
            reverse("hulpvragen:status_wijzigen", args=[compleet.pk]),
            {"naar": naar.pk, "toelichting": toelichting, "gezien_status": compleet.status_id},
        )
        assert response.status_code == 200
        assert "Dit ontbreekt nog" in response.content.decode()
    compleet.refresh_from_db()
    assert compleet.status.naam == "TLV aanvraag compleet"


def test_einddatum_less_than_a_school_year_is_refused(client, world, compleet, kinderarts):
    twee_adviezen(client, world, compleet, kinderarts)
    response = tlv_post(client, compleet, einddatum="30-06-2027")
    assert "minder dan één schooljaar" in response.content.decode()
    assert "31-07-2027 of later" in response.content.decode()
    assert not Toelaatbaarheidsverklaring.objects.exists()


def test_stale_page_changes_nothing(client, world, compleet, kinderarts):
    twee_adviezen(client, world, compleet, kinderarts)
    oud = compleet.proces.statussen.get(naam="TLV aanvraag indienen")
    response = tlv_post(client, compleet, gezien_status=oud.pk)
    assert "De status is intussen gewijzigd" in response.content.decode()
    assert not Toelaatbaarheidsverklaring.objects.exists()


def test_afwijzing_records_the_motivation_and_the_letter_has_the_bezwaar_clause(
    client, world, compleet, kinderarts
):
    twee_adviezen(client, world, compleet, kinderarts, toelaatbaar=False, motivering="Nee")
    url = reverse("besluiten:besluit", args=[compleet.pk])
    leeg = client.post(
        url,
        {"actie": "afwijzing", "gezien_status": compleet.status_id, "besluitdatum": "01-06-2026"},
    )
    assert leeg.status_code == 200
    assert not Afwijzing.objects.exists()
    response = client.post(
        url,
        {
            "actie": "afwijzing",
            "gezien_status": compleet.status_id,
            "besluitdatum": "01-06-2026",
            "motivering": "Beide deskundigen achten regulier onderwijs met extra steun passend.",
            "toelichting": "Afgewezen op advies van de deskundigen; zie de brief.",
        },
    )
    assert response.status_code == 302
    compleet.refresh_from_db()
    assert compleet.status.naam == "TLV afwijzing toegelicht"
    afwijzing = Afwijzing.objects.get(hulpvraag=compleet)
    login(client, world.coordinator_a)
    tekst = docx_tekst(download(client, afwijzing.brieven.get()))
    assert "regulier onderwijs met extra steun passend" in tekst
    assert "binnen zes weken" in tekst and "uiterlijk 13-07-2026" in tekst
    assert "Landelijke Bezwaaradviescommissie Toelaatbaarheidsverklaringen (LBT)" in tekst
    # In the hulpvraag's bijlagen, as the manual says for a rejection.
    lijst = client.get(reverse("bijlagen:lijst", args=[compleet.pk])).content.decode()
    assert "afwijzingsbrief-tlv-010626.docx" in lijst
    # The TLV tab lists no TLV and points to that letter.
    tab = client.get(reverse("hulpvragen:tab", args=[compleet.pk, "tlv"])).content.decode()
    assert "geen toelaatbaarheidsverklaring afgegeven" in tab
    assert "De aanvraag is op 01-06-2026 afgewezen." in tab


def test_disagreement_on_toelaatbaarheid_is_a_warning_for_the_loket(
    client, world, compleet, kinderarts
):
    twee_adviezen(client, world, compleet, kinderarts, toelaatbaar=False, motivering="Nee")
    # deskundige 1 advised toelaatbaar, the kinderarts not
    page = client.get(reverse("besluiten:besluit", args=[compleet.pk])).content.decode()
    assert "De deskundigen zijn het oneens over de toelaatbaarheid" in page
    tab = client.get(reverse("hulpvragen:tab", args=[compleet.pk, "tlv"])).content.decode()
    assert "De deskundigen zijn het oneens" in tab
    # The school does not see the advices.
    login(client, world.coordinator_a)
    tab = client.get(reverse("hulpvragen:tab", args=[compleet.pk, "tlv"])).content.decode()
    assert "oneens" not in tab and "Deskundigenadvies" not in tab


def test_tlv_pro_through_the_service(world):
    from besluiten.services import tlv_record
    from hulpvragen.models import HulpvraagType
    from tests.besluiten.conftest import hulpvraag_in

    hv = hulpvraag_in(world, "PrO aanvraag indienen", type_=HulpvraagType.PRO)
    tlv = tlv_record(hulpvraag=hv, door=world.loket, soort="PRO", ingangsdatum=date(2026, 8, 1))
    hv.refresh_from_db()
    assert hv.status.naam == "PrO afgegeven"
    assert tlv.soort == "PRO" and tlv.bekostigingscategorie == ""
    assert tlv.brieven.get().naam.startswith("toekenningsbrief-tlv-pro-")


def test_renewal_flag_and_constant_queries_on_the_tlv_tab(
    client, world, django_assert_max_num_queries
):
    from besluiten.services import tlv_record
    from hulpvragen.models import HulpvraagType
    from tests.besluiten.conftest import hulpvraag_in
    from tests.factories import SchoolgegevensFactory, make_hulpvraag

    vandaag = timezone.localdate()
    eerste = hulpvraag_in(world, "PrO aanvraag indienen", type_=HulpvraagType.PRO)
    tlv_record(
        hulpvraag=eerste,
        door=world.loket,
        soort="PRO",
        ingangsdatum=vandaag - timedelta(days=400),
        einddatum=vandaag + timedelta(weeks=4),
    )
    login(client, world.coordinator_a)
    url = reverse("hulpvragen:tab", args=[eerste.pk, "tlv"])
    with django_assert_max_num_queries(40) as een:
        tab = client.get(url).content.decode()
    assert "Verloopt binnenkort" in tab
    # More TLVs of the same pupil: the same number of queries.
    for _ in range(3):
        sg = SchoolgegevensFactory(
            school=world.school_a, leerling=eerste.leerling, aanvrager=world.coordinator_a
        )
        hv = make_hulpvraag(
            schoolgegevens=sg,
            door=world.coordinator_a,
            type=HulpvraagType.PRO,
            status="PrO aanvraag indienen",
        )
        tlv_record(
            hulpvraag=hv, door=world.loket, soort="PRO", ingangsdatum=vandaag + timedelta(days=10)
        )
    with django_assert_max_num_queries(len(een.captured_queries)):
        tab = client.get(url).content.decode()
    print(f"\nTLV-tab: {len(een.captured_queries)} queries met 1 TLV, ook met 4")
    assert tab.count("1 Bijlagen") == 4
    # The newer TLVs renew the first: no "vraag op tijd een nieuwe TLV aan" any more (the same
    # rule as the reminder mail and the werkvoorraad, besluiten.selectors.tlv_verloopt_q).
    assert tab.count("Verloopt binnenkort") == 0
    assert Hulpvraag.objects.filter(leerling=eerste.leerling).count() == 4


def test_a_double_submitted_tlv_form_records_one_tlv(client, world, compleet, kinderarts):
    twee_adviezen(client, world, compleet, kinderarts)
    assert tlv_post(client, compleet).status_code == 302
    tweede = tlv_post(client, compleet)  # the same page, posted again
    assert tweede.status_code == 200
    page = tweede.content.decode()
    assert "Over deze hulpvraag is al een besluit vastgelegd." in page or "intussen" in page
    assert Toelaatbaarheidsverklaring.objects.filter(hulpvraag=compleet).count() == 1
    assert compleet.statuswijzigingen.filter(naar__naam="TLV afgegeven").count() == 1
    from bijlagen.models import Bijlage

    assert Bijlage.objects.filter(hulpvraag=compleet).count() == 1
