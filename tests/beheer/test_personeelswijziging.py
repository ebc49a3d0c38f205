"""Personeelswijziging as one action, through the screens the loket and a school use."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from beheer.models import Personeelswijziging, PersoneelswijzigingStatus
from dossiers.models import Schoolgegevens
from hulpvragen.models import HulpvraagType
from hulpvragen.services import hulpvraag_change_status
from meldingen.models import Notificatie, NotificatieSoort
from tests.factories import SchoolgegevensFactory, make_hulpvraag
from tests.helpers import login

pytestmark = pytest.mark.django_db

NIEUW = reverse("beheer:personeelswijziging_nieuw")


def _form(world, opvolger, **extra):
    data = {
        "school": world.school_a.pk,
        "vertrekkend": world.coordinator_a.pk,
        "opvolger": opvolger.pk,
        "ingangsdatum": (timezone.localdate() + dt.timedelta(days=14)).strftime("%d-%m-%Y"),
        "toelichting": "Piet vertrekt",
    }
    data.update(extra)
    return data


def test_preview_lists_visible_open_hulpvragen_and_counts_the_rest(
    client, world, opvolger, django_assert_max_num_queries
):
    login(client, world.loket)
    with django_assert_max_num_queries(18):
        response = client.post(NIEUW, {**_form(world, opvolger), "actie": "voorbeeld"})
    html = response.content.decode()
    assert response.status_code == 200
    # The submitted one is listed; the voorlopige aanvraag only the school sees is counted.
    assert escape(world.hv_a_ingediend.leerling.naam) in html
    assert escape(world.hv_a_voorlopig.leerling.naam) not in html
    assert "2 schoolgegevens" in html
    assert "Van 1 open hulpvraag ziet u alleen het dossiernummer, het type en de status" in html
    assert 'value="toepassen"' in html
    # A preview changes nothing.
    assert Personeelswijziging.objects.count() == 0
    assert Schoolgegevens.objects.filter(aanvrager=opvolger).count() == 0


def test_the_beheerder_previews_what_moves_without_pupil_names(
    client, world, opvolger, django_assert_max_num_queries
):
    from dossiers.models import Leerling

    login(client, world.beheerder)
    with django_assert_max_num_queries(18):
        response = client.post(NIEUW, {**_form(world, opvolger), "actie": "voorbeeld"})
    html = response.content.decode()
    assert response.status_code == 200
    # Per school and status what moves, each by dossiernummer, type, status, current aanvrager.
    assert "Open hulpvragen per status · School A" in html
    rijen = html[html.index('class="tabel voorbeeld-regels"') :]
    rijen = rijen[: rijen.index("</table>")]
    aanvrager = world.coordinator_a.get_full_name()
    for hv in (world.hv_a_ingediend, world.hv_a_voorlopig):
        rij = f"<td>{hv.leerling_id}</td><td>{hv.get_type_display()}</td><td>{hv.status.naam}</td>"
        assert rij in rijen
    assert rijen.count(aanvrager) == 2
    assert "Van 2 open hulpvragen ziet u alleen het dossiernummer" in html
    for leerling in Leerling.objects.filter(organisatie=world.org):
        assert escape(leerling.achternaam) not in html
    assert ">Leerling</th>" not in html
    assert Personeelswijziging.objects.count() == 0


def test_apply_reroutes_the_next_notification_to_the_successor(client, world, opvolger):
    # A closed hulpvraag of the same coordinator keeps its aanvrager.
    gesloten = make_hulpvraag(
        schoolgegevens=SchoolgegevensFactory(
            school=world.school_a, aanvrager=world.coordinator_a, email=world.coordinator_a.email
        ),
        door=world.coordinator_a,
        status="TLV afgegeven",
    )
    login(client, world.loket)
    response = client.post(NIEUW, {**_form(world, opvolger), "actie": "toepassen"})
    pw = Personeelswijziging.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("beheer:personeelswijziging", args=[pw.pk])
    assert pw.status == PersoneelswijzigingStatus.TOEGEPAST
    assert pw.regels.count() == 2

    for hv in (world.hv_a_ingediend, world.hv_a_voorlopig):
        sg = Schoolgegevens.objects.get(pk=hv.schoolgegevens_id)
        assert (sg.aanvrager, sg.contactpersoon, sg.email) == (
            opvolger,
            "Olga Opvolger",
            "olga@school-a.example",
        )
    assert Schoolgegevens.objects.get(pk=gesloten.schoolgegevens_id).aanvrager == (
        world.coordinator_a
    )
    # School B is untouched.
    assert Schoolgegevens.objects.get(pk=world.hv_b_ingediend.schoolgegevens_id).aanvrager == (
        world.collega_b
    )

    # The loket now asks questions: the engine's outbox row goes to the successor.
    naar = world.hv_a_ingediend.proces.statussen.get(naam="TLV vragen gesteld")
    hulpvraag_change_status(
        hulpvraag=world.hv_a_ingediend, naar=naar, door=world.loket, toelichting="OPP ontbreekt"
    )
    notificatie = Notificatie.objects.get(
        hulpvraag=world.hv_a_ingediend, soort=NotificatieSoort.STATUS_GEWIJZIGD
    )
    assert notificatie.ontvanger == "olga@school-a.example"


def test_undo_restores_everything_until_the_start_date(client, world, opvolger):
    login(client, world.loket)
    client.post(NIEUW, {**_form(world, opvolger), "actie": "toepassen"})
    pw = Personeelswijziging.objects.get()
    # Somebody edits one Schoolgegevens by hand afterwards: undo leaves that one alone.
    handmatig = Schoolgegevens.objects.get(pk=world.hv_a_voorlopig.schoolgegevens_id)
    handmatig.email = "tijdelijk@school-a.example"
    handmatig.save()

    detail = client.get(reverse("beheer:personeelswijziging", args=[pw.pk])).content.decode()
    assert "Hele wijziging ongedaan maken" in detail
    response = client.post(reverse("beheer:personeelswijziging_ongedaan", args=[pw.pk]))
    assert response.status_code == 302
    pw.refresh_from_db()
    assert pw.status == PersoneelswijzigingStatus.ONGEDAAN
    assert pw.ongedaan_door == world.loket
    sg = Schoolgegevens.objects.get(pk=world.hv_a_ingediend.schoolgegevens_id)
    assert (sg.aanvrager, sg.email) == (world.coordinator_a, world.coordinator_a.email)
    handmatig.refresh_from_db()
    assert handmatig.email == "tijdelijk@school-a.example"


def test_undo_is_refused_after_the_start_date(client, world, opvolger):
    login(client, world.loket)
    gisteren = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d-%m-%Y")
    client.post(NIEUW, {**_form(world, opvolger, ingangsdatum=gisteren), "actie": "toepassen"})
    pw = Personeelswijziging.objects.get()
    detail = client.get(reverse("beheer:personeelswijziging", args=[pw.pk])).content.decode()
    assert "Hele wijziging ongedaan maken" not in detail
    client.post(reverse("beheer:personeelswijziging_ongedaan", args=[pw.pk]))
    pw.refresh_from_db()
    assert pw.status == PersoneelswijzigingStatus.TOEGEPAST
    assert Schoolgegevens.objects.get(pk=world.hv_a_ingediend.schoolgegevens_id).aanvrager == (
        opvolger
    )


def test_successor_without_access_to_the_school_is_refused(client, world):
    login(client, world.loket)
    response = client.post(NIEUW, {**_form(world, world.collega_b), "actie": "toepassen"})
    assert response.status_code == 200
    assert "toegang tot School A" in response.content.decode()
    assert Personeelswijziging.objects.count() == 0


def test_school_requests_and_the_loket_approves(client, world, opvolger):
    login(client, world.coordinator_a)
    aanvragen = reverse("beheer:aanvragen")
    response = client.post(
        aanvragen,
        {
            "school": world.school_a.pk,
            "vertrekkend": world.coordinator_a.pk,
            "opvolger_naam": "Olga Opvolger",
            "opvolger_email": "olga@school-a.example",
            "ingangsdatum": (timezone.localdate() + dt.timedelta(days=7)).strftime("%d-%m-%Y"),
        },
    )
    assert response.status_code == 302
    pw = Personeelswijziging.objects.get()
    assert pw.status == PersoneelswijzigingStatus.AANGEVRAAGD
    assert pw.aangevraagd_door == world.coordinator_a
    # Nothing changed yet.
    assert not Schoolgegevens.objects.filter(aanvrager=opvolger).exists()
    assert "aangevraagd door de school" in client.get(aanvragen).content.decode()

    login(client, world.loket)
    detail = reverse("beheer:personeelswijziging", args=[pw.pk])
    assert "Olga Opvolger (olga@school-a.example)" in client.get(detail).content.decode()
    data = {"opvolger": opvolger.pk, "ingangsdatum": pw.ingangsdatum.strftime("%d-%m-%Y")}
    preview = client.post(detail, {**data, "actie": "voorbeeld"}).content.decode()
    assert escape(world.hv_a_ingediend.leerling.naam) in preview
    assert client.post(detail, {**data, "actie": "toepassen"}).status_code == 302
    pw.refresh_from_db()
    assert (pw.status, pw.behandeld_door, pw.opvolger) == (
        PersoneelswijzigingStatus.TOEGEPAST,
        world.loket,
        opvolger,
    )
    assert Schoolgegevens.objects.filter(aanvrager=opvolger).count() == 2


def test_loket_rejects_a_request_with_a_reason(client, world):
    login(client, world.coordinator_a)
    client.post(
        reverse("beheer:aanvragen"),
        {
            "school": world.school_a.pk,
            "vertrekkend_email": "oud@school-a.example",
            "opvolger_naam": "Iemand",
            "opvolger_email": "iemand@school-a.example",
            "ingangsdatum": "01-09-2030",
        },
    )
    pw = Personeelswijziging.objects.get()
    login(client, world.loket)
    client.post(
        reverse("beheer:personeelswijziging_afwijzen", args=[pw.pk]),
        {"toelichting": "Niet afkomstig van het bekende e-mailadres"},
    )
    pw.refresh_from_db()
    assert pw.status == PersoneelswijzigingStatus.AFGEWEZEN
    login(client, world.coordinator_a)
    assert "Niet afkomstig" in client.get(reverse("beheer:aanvragen")).content.decode()


def test_school_cannot_request_for_another_school(client, world):
    login(client, world.collega_b)
    response = client.post(
        reverse("beheer:aanvragen"),
        {
            "school": world.school_a.pk,
            "vertrekkend_email": "piet@school.example",
            "opvolger_naam": "X",
            "opvolger_email": "x@example.org",
            "ingangsdatum": "01-09-2030",
        },
    )
    assert response.status_code == 200
    assert Personeelswijziging.objects.count() == 0


@pytest.mark.parametrize(
    "persona", ["coordinator_a", "bestuurder_a", "deskundige", "outsider", "loket_elders"]
)
def test_others_get_404(client, world, opvolger, loket_elders, persona):
    pw = Personeelswijziging.objects.create(
        organisatie=world.org,
        school=world.school_a,
        vertrekkend=world.coordinator_a,
        opvolger_naam="X",
        opvolger_email="x@example.org",
        ingangsdatum=dt.date(2030, 1, 1),
    )
    user = loket_elders if persona == "loket_elders" else getattr(world, persona)
    login(client, user)
    urls = [reverse("beheer:personeelswijziging", args=[pw.pk])]
    if persona != "loket_elders":  # who has its own beheer screens, but not this SWV's rows
        urls += [reverse("beheer:index"), reverse("beheer:personeelswijzigingen"), NIEUW]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(
        reverse("beheer:personeelswijziging_ongedaan", args=[pw.pk])
    ).status_code == (404)


def test_list_query_count_is_bounded(client, world, opvolger, django_assert_max_num_queries):
    for i in range(15):
        Personeelswijziging.objects.create(
            organisatie=world.org,
            school=world.school_a,
            vertrekkend=world.coordinator_a,
            opvolger=opvolger,
            opvolger_naam=f"X{i}",
            opvolger_email="x@example.org",
            ingangsdatum=dt.date(2030, 1, 1),
        )
    login(client, world.beheerder)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("beheer:personeelswijzigingen"))
    assert response.content.decode().count("X1") >= 6


def test_fa_process_final_status_comes_from_the_engine(client, world, opvolger):
    """ "Open" is the engine's Status.eindstatus: FA afgegeven is final, FA evaluatie too."""
    afgegeven = make_hulpvraag(
        schoolgegevens=SchoolgegevensFactory(
            school=world.school_a, aanvrager=world.coordinator_a, email="piet@school.example"
        ),
        type=HulpvraagType.FA,
        door=world.coordinator_a,
        status="FA afgewezen",
    )
    login(client, world.loket)
    client.post(NIEUW, {**_form(world, opvolger), "actie": "toepassen"})
    assert Schoolgegevens.objects.get(pk=afgegeven.schoolgegevens_id).aanvrager == (
        world.coordinator_a
    )
