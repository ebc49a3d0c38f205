"""The werkvoorraad's view "TLV verloopt": TLVs of hulpvragen the loket sees that end within
TLV_VERLENGING_SIGNAAL_WEKEN and have no renewal under way, soonest first, with einddatum, school
and whether the school was mailed; with the time moved (time-machine) and a constant number of
queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Rol
from besluiten.models import Toelaatbaarheidsverklaring
from besluiten.services import tlv_record
from besluiten.tasks import tlv_verlenging_herinneren
from hulpvragen.models import HulpvraagType
from tests.factories import SchoolgegevensFactory, UserFactory, make_hulpvraag
from tests.helpers import login
from tests.loket.test_werkvoorraad import rij

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
VANDAAG = T0.date()
TLV_VERLOOPT = reverse("loket:werkvoorraad") + "?weergave=tlv_verloopt"


def op(dag: date):
    return time_machine.travel(datetime(dag.year, dag.month, dag.day, 9, 0, tzinfo=UTC), tick=False)


@pytest.fixture
def tlv_tot(world):
    """tlv_tot(einddatum, school=…, leerling=…): a TLV PrO recorded a year ago, as the loket
    records it (besluiten.services.tlv_record); returns the TLV."""

    def make(einddatum: date, *, school=None, aanvrager=None, leerling=None, loket=None):
        school = school or world.school_a
        aanvrager = aanvrager or world.coordinator_a
        extra = {"leerling": leerling} if leerling else {}
        with op(VANDAAG - timedelta(days=365)):
            sg = SchoolgegevensFactory(
                school=school, aanvrager=aanvrager, email="zorg@school.example", **extra
            )
            hv = make_hulpvraag(
                schoolgegevens=sg,
                door=aanvrager,
                type=HulpvraagType.PRO,
                status="PrO aanvraag indienen",
            )
            return tlv_record(
                hulpvraag=hv,
                door=loket or world.loket,
                soort="PRO",
                ingangsdatum=einddatum - timedelta(days=730),
                einddatum=einddatum,
            )

    return make


def weergave_link(html: str) -> str:
    start = html.find("TLV verloopt (")
    return html[start : html.find(")", start) + 1]


def test_lists_tlvs_ending_within_the_signal_period_soonest_first(
    client, world, tlv_tot, settings, django_capture_on_commit_callbacks
):
    settings.TLV_VERLENGING_SIGNAAL_WEKEN = 16
    later = tlv_tot(VANDAAG + timedelta(weeks=15), school=world.school_b)
    eerst = tlv_tot(VANDAAG + timedelta(weeks=2))
    buiten = tlv_tot(VANDAAG + timedelta(weeks=17))  # not yet in the signal period
    verlopen = tlv_tot(VANDAAG - timedelta(days=1))  # already ended
    with op(VANDAAG):
        login(client, world.loket)
        response = client.get(TLV_VERLOOPT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "TLV verloopt (2)" in html
    assert rij(response, buiten.hulpvraag) == "" and rij(response, verlopen.hulpvraag) == ""
    # Soonest einddatum first.
    assert html.find(f'id="hv-{eerst.hulpvraag_id}"') < html.find(f'id="hv-{later.hulpvraag_id}"')
    regel = rij(response, later.hulpvraag)
    assert later.einddatum.strftime("%d-%m-%Y") in regel
    assert "School B" in regel and "nog niet" in regel
    assert reverse("hulpvragen:tab", args=[later.hulpvraag_id, "tlv"]) in regel

    # The daily task mails both schools; the list shows when.
    with op(VANDAAG), django_capture_on_commit_callbacks(execute=True):
        assert tlv_verlenging_herinneren() == 2
    with op(VANDAAG + timedelta(days=1)):
        login(client, world.loket)
        response = client.get(TLV_VERLOOPT)
    assert f"ja, op {VANDAAG:%d-%m-%Y}" in rij(response, eerst.hulpvraag)
    # A week on, the 17-week TLV has entered the period; the 2-week one is still on.
    with op(VANDAAG + timedelta(weeks=1)):
        login(client, world.loket)
        response = client.get(TLV_VERLOOPT)
    assert "TLV verloopt (3)" in response.content.decode()
    assert "nog niet" in rij(response, buiten.hulpvraag)
    # Other views are unchanged: these TLV hulpvragen have no running decision clock.
    assert "Voor het SWV (0)" in response.content.decode()


def test_a_renewal_takes_it_off_the_list(client, world, tlv_tot):
    tlv = tlv_tot(VANDAAG + timedelta(weeks=4))
    with op(VANDAAG):
        # The school files a new TLV VSO hulpvraag for the same pupil; once submitted it is a
        # renewal under way.
        sg = SchoolgegevensFactory(
            school=world.school_a, leerling=tlv.leerling, aanvrager=world.coordinator_a
        )
        nieuw = make_hulpvraag(schoolgegevens=sg, door=world.coordinator_a)
        login(client, world.loket)
        assert rij(client.get(TLV_VERLOOPT), tlv.hulpvraag) != ""  # voorlopig: not yet
        nieuw.status = nieuw.proces.statussen.get(naam="TLV aanvraag indienen")
        nieuw.save(update_fields=["status"])
        response = client.get(TLV_VERLOOPT)
    assert rij(response, tlv.hulpvraag) == ""
    assert "TLV verloopt (0)" in response.content.decode()


def test_another_swv_sees_only_its_own(client, world, tlv_tot):
    ander_loket = UserFactory(organisatie=world.other_org, username="loket2", rol=Rol.SWV_LOKET)
    ons = tlv_tot(VANDAAG + timedelta(weeks=4))
    hun = tlv_tot(
        VANDAAG + timedelta(weeks=4),
        school=world.school_other,
        aanvrager=world.outsider,
        loket=ander_loket,
    )
    assert hun.organisatie_id == world.other_org.pk
    with op(VANDAAG):
        login(client, world.loket)
        response = client.get(TLV_VERLOOPT)
        assert rij(response, ons.hulpvraag) != "" and rij(response, hun.hulpvraag) == ""
        assert "TLV verloopt (1)" in response.content.decode()
        login(client, ander_loket)
        response = client.get(TLV_VERLOOPT)
        assert rij(response, ons.hulpvraag) == "" and rij(response, hun.hulpvraag) != ""
        assert "TLV verloopt (1)" in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["coordinator_a", "bestuurder_a", "deskundige", "beheerder", "outsider"]
)
def test_others_get_404(client, world, tlv_tot, persona):
    tlv_tot(VANDAAG + timedelta(weeks=4))
    with op(VANDAAG):
        login(client, getattr(world, persona))
        assert client.get(TLV_VERLOOPT).status_code == 404


def test_query_count_does_not_grow_with_rows(client, world, tlv_tot, django_assert_max_num_queries):
    tlv_tot(VANDAAG + timedelta(weeks=3))
    with op(VANDAAG):
        login(client, world.loket)
        with django_assert_max_num_queries(20) as een:
            response = client.get(TLV_VERLOOPT)
    assert "TLV verloopt (1)" in response.content.decode()
    for i in range(12):
        tlv = tlv_tot(
            VANDAAG + timedelta(weeks=1 + i % 10), school=[world.school_a, world.school_b][i % 2]
        )
        if i % 3 == 0:
            Toelaatbaarheidsverklaring.objects.filter(pk=tlv.pk).update(herinnering_op=T0)
    with op(VANDAAG):
        login(client, world.loket)
        with django_assert_max_num_queries(len(een.captured_queries)) as veel:
            response = client.get(TLV_VERLOOPT)
    assert "TLV verloopt (13)" in response.content.decode()
    assert response.content.decode().count(' id="hv-') == 13
    aantal = len(een.captured_queries)
    print(f"\nTLV verloopt: {aantal} queries met 1 rij, {len(veel.captured_queries)} met 13")
    assert len(veel.captured_queries) == len(een.captured_queries)
