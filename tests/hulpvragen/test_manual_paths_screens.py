"""Every path of the manual's "Stap voor stap instructie" for the five types, taken through the
screens a real user uses: the school and the loket on "Status wijzigen" (which must offer the
choice), the school's upload on the Bijlagen page for the automatic steps, the loket's Besluit
page for "FA afgegeven". After every step the loket sees the hulpvraag exactly when its status is
visible to the SWV: in the Hulpvragen list and its search, the count above it, the detail page,
the werkvoorraad and the kengetallen. At the end the school's Statushistorie shows every step.

The steps are the tables of test_engine_workflows (one source for the paths). Decisions that
need a record written on another screen (TLV afgegeven, TLV afwijzing toegelicht, PrO afgegeven:
tests/besluiten and tests/loket take those screens) get the record first, then the loket chooses
the status on Status wijzigen as the guard allows."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hulpvragen.models import Statuswijziging
from tests.besluiten.test_fa import fa_post
from tests.factories import LeerlingFactory
from tests.helpers import login
from tests.hulpvragen.test_engine_workflows import CASES, PATHS, besluit_record

pytestmark = pytest.mark.django_db

ACHTERNAAM = "Quastvisser"  # not in Faker's nl_NL list: the search finds only this pupil


def _aantal(body: str) -> int:
    match = re.search(r'class="lijstacties__aantal"[^>]*>(?:Meer dan )?(\d+) hulpvra', body)
    assert match, "no count above the list"
    return int(match.group(1))


def _kengetallen_totaal(client) -> int:
    vandaag = timezone.localdate().strftime("%d-%m-%Y")
    response = client.get(
        reverse("beheer:kengetallen"), {"van": vandaag, "tot": vandaag, "csv": "type"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return sum(int(r[1]) for r in rows[1:])


class Loket:
    """What the loket sees of one hulpvraag on each of its screens."""

    def __init__(self, client, hulpvraag, kengetallen_basis):
        self.client, self.hulpvraag, self.basis = client, hulpvraag, kengetallen_basis

    def ziet(self) -> dict[str, bool]:
        c, pk = self.client, self.hulpvraag.pk
        link = f'href="/hulpvragen/{pk}/"'
        gezocht = c.get(reverse("hulpvragen:lijst"), {"zoeken": 1, "q": ACHTERNAAM})
        body = gezocht.content.decode()
        werkvoorraad = "".join(
            c.get(reverse("loket:werkvoorraad"), {"weergave": w}).content.decode()
            for w in ("open", "bij_school")
        )
        return {
            "detail": c.get(reverse("hulpvragen:detail", args=[pk])).status_code == 200,
            "historie": c.get(reverse("hulpvragen:statushistorie", args=[pk])).status_code == 200,
            "lijst": link in c.get(reverse("hulpvragen:lijst")).content.decode(),
            "zoeken": link in body,
            "aantal": _aantal(body) == 1,
            "kengetallen": _kengetallen_totaal(c) == self.basis + 1,
        } | ({"werkvoorraad": True} if f'id="hv-{pk}"' in werkvoorraad else {})


def upload(client, hulpvraag):
    pdf = SimpleUploadedFile("aanvulling.pdf", b"%PDF-1.4\n%aanvulling\n", "application/pdf")
    return client.post(reverse("bijlagen:lijst", args=[hulpvraag.pk]), {"bestanden": [pdf]})


@pytest.mark.parametrize(("type_", "path"), CASES, ids=[f"{t}: {n}" for t, n in CASES])
def test_manual_path_through_the_screens(world, new_hulpvraag, ib_basisschool, type_, path):
    loket_client, school_client = Client(), Client()
    login(loket_client, world.loket)
    basis = _kengetallen_totaal(loket_client)
    school = ib_basisschool if type_ == "BAG" else world.coordinator_a
    login(school_client, school)
    clients = {"school": school_client, "loket": loket_client}
    users = {"school": school, "loket": world.loket}

    leerling = LeerlingFactory(organisatie=world.org, achternaam=ACHTERNAAM)
    hulpvraag = new_hulpvraag(type_, leerling=leerling)
    loket = Loket(loket_client, hulpvraag, basis)
    # A voorlopige aanvraag: the loket finds it nowhere.
    assert not any(loket.ziet().values())

    for stap, (who, choice, toelichting, expected) in enumerate(PATHS[type_][path], start=1):
        client = clients[who]
        gezien = hulpvraag.status_id
        if isinstance(choice, tuple):  # the school's upload fires "bijlage toegevoegd"
            assert upload(client, hulpvraag).status_code == 302
        elif choice == "FA afgegeven":  # the loket's Besluit page records it and changes it
            assert fa_post(client, hulpvraag).status_code == 302
        else:
            naar = hulpvraag.proces.statussen.get(naam=choice)
            page = client.get(reverse("hulpvragen:status_wijzigen", args=[hulpvraag.pk]))
            other = clients["loket" if who == "school" else "school"]
            offered = f'name="naar" id="naar-{naar.pk}"'
            assert offered in page.content.decode(), (stap, choice)
            # Not offered to the other party (the loket gets 404 on a voorlopige aanvraag).
            other_page = other.get(reverse("hulpvragen:status_wijzigen", args=[hulpvraag.pk]))
            assert offered not in other_page.content.decode()
            besluit_record(hulpvraag, choice, users[who])
            response = client.post(
                reverse("hulpvragen:status_wijzigen", args=[hulpvraag.pk]),
                {"naar": naar.pk, "toelichting": toelichting, "gezien_status": gezien},
            )
            assert response.status_code == 302, (stap, choice, response.content.decode()[-3000:])
        hulpvraag.refresh_from_db()
        assert hulpvraag.status.naam == expected, (stap, choice)
        laatste = Statuswijziging.objects.filter(hulpvraag=hulpvraag).last()
        assert laatste.van_id == gezien and laatste.automatisch == isinstance(choice, tuple)

        # From indienen on the loket sees it everywhere; the werkvoorraad only while the
        # decision clock runs (or is paused at the school).
        gezien_door_loket = loket.ziet()
        assert hulpvraag.status.zichtbaar_voor_swv
        assert {k for k, v in gezien_door_loket.items() if v} >= {
            "detail",
            "historie",
            "lijst",
            "zoeken",
            "aantal",
            "kengetallen",
        }, (stap, expected, gezien_door_loket)
        if hulpvraag.status.eindstatus and not hulpvraag.status.vervolg_toegestaan:
            assert "werkvoorraad" not in gezien_door_loket
        detail = school_client.get(reverse("hulpvragen:detail", args=[hulpvraag.pk]))
        assert expected in detail.content.decode()

    assert hulpvraag.status.eindstatus
    historie = school_client.get(reverse("hulpvragen:statushistorie", args=[hulpvraag.pk]))
    body = historie.content.decode()
    assert body.count("<tr>") - 1 == len(PATHS[type_][path]) + 1  # header row + one per change
    for _who, _choice, toelichting, expected in PATHS[type_][path]:
        assert f"<strong>{expected}</strong>" in body
        if toelichting:
            assert toelichting in body


@pytest.mark.parametrize(
    ("type_", "stappen", "wachtend"),
    [
        ("TLV_VSO", [("TLV aanvraag indienen", ""), ("TLV vragen gesteld", "Vragen.")], None),
        ("SV", [("SV aanvraag indienen", ""), ("SV aanvraag incompleet", "Verslag.")], None),
        ("FA", [("FA aanvraag indienen", "")], "FA afgegeven"),
    ],
)
def test_only_the_schools_upload_moves_the_status(
    client, world, new_hulpvraag, type_, stappen, wachtend
):
    """The manual: when the school adds a bijlage in incompleet / vragen gesteld (or after FA
    afgegeven, the evaluation) the status changes. A document the loket puts in the bijlagen
    (its questions, a letter) is not the school's answer and moves nothing."""
    from hulpvragen.services import hulpvraag_change_status

    hulpvraag = new_hulpvraag(type_)
    for naam, toelichting in stappen:
        door = world.coordinator_a if naam.endswith("indienen") else world.loket
        hulpvraag_change_status(
            hulpvraag=hulpvraag,
            naar=hulpvraag.proces.statussen.get(naam=naam),
            door=door,
            toelichting=toelichting,
        )
    if wachtend:
        login(client, world.loket)
        assert fa_post(client, hulpvraag).status_code == 302
        hulpvraag.refresh_from_db()
    voor = hulpvraag.status.naam

    login(client, world.loket)
    assert upload(client, hulpvraag).status_code == 302
    hulpvraag.refresh_from_db()
    assert hulpvraag.status.naam == voor

    login(client, world.coordinator_a)
    assert upload(client, hulpvraag).status_code == 302
    hulpvraag.refresh_from_db()
    assert hulpvraag.status.naam != voor
    assert hulpvraag.statuswijzigingen.last().automatisch
