"""Uploading bijlagen through the page a user posts to: sizes, content checks, names, all or
nothing, the staged files of a refused upload, and who may upload or remove."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bijlagen.models import Bijlage, BijlageConcept
from tests.bijlagen import bestanden as b
from tests.factories import grant_toegang, make_hulpvraag
from tests.helpers import login

MB10 = 10 * 1024 * 1024


def url(hulpvraag):
    return reverse("bijlagen:lijst", kwargs={"hulpvraag_pk": hulpvraag.pk})


def upload(client, hulpvraag, *files, **data):
    return client.post(url(hulpvraag), {"bestanden": list(files), **data})


def f(naam, inhoud, content_type="application/octet-stream"):
    return SimpleUploadedFile(naam, inhoud, content_type=content_type)


@pytest.fixture
def school(client, world):
    login(client, world.coordinator_a)
    return client


def test_exactly_10_mb_is_accepted(school, world):
    inhoud = b.pdf() + bytes(MB10 - len(b.pdf()))
    assert len(inhoud) == MB10
    response = upload(school, world.hv_a_voorlopig, f("groot.pdf", inhoud))
    assert response.status_code == 302
    bijlage = Bijlage.objects.get(hulpvraag=world.hv_a_voorlopig)
    assert bijlage.grootte == MB10
    assert default_storage.size(bijlage.sleutel) == MB10


def test_one_byte_over_10_mb_is_refused_with_the_manuals_advice(school, world):
    inhoud = b.pdf() + bytes(MB10 + 1 - len(b.pdf()))
    response = upload(school, world.hv_a_voorlopig, f("scan.pdf", inhoud))
    assert response.status_code == 400
    tekst = response.content.decode()
    assert "groter dan 10 MB" in tekst
    assert "300 dpi" in tekst
    assert not Bijlage.objects.exists()
    assert not BijlageConcept.objects.exists()


def test_empty_file_is_refused(school, world):
    response = upload(school, world.hv_a_voorlopig, f("leeg.pdf", b""))
    assert response.status_code == 400
    assert "Dit bestand is leeg." in response.content.decode()
    assert not Bijlage.objects.exists()


def test_no_file_at_all_asks_for_one(school, world):
    response = school.post(url(world.hv_a_voorlopig), {})
    assert response.status_code == 400
    assert "Kies ten minste één bestand." in response.content.decode()


ACCEPTED = [
    ("verslag.pdf", b.pdf, "pdf", "application/pdf"),
    (
        "opp.docx",
        b.docx,
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "cijfers.xlsx",
        b.xlsx,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("zienswijze.odt", b.odt, "odt", "application/vnd.oasis.opendocument.text"),
    ("foto.jpg", b.jpg, "jpg", "image/jpeg"),
    ("foto.jpeg", b.jpg, "jpg", "image/jpeg"),
    ("scan.png", b.png, "png", "image/png"),
]


@pytest.mark.parametrize(("naam", "maak", "soort", "content_type"), ACCEPTED)
def test_allowed_kinds_are_recognised_by_content(school, world, naam, maak, soort, content_type):
    # The browser's claimed type is ignored: everything is sent as octet-stream.
    response = upload(school, world.hv_a_voorlopig, f(naam, maak()))
    assert response.status_code == 302, response.content.decode()
    bijlage = Bijlage.objects.get()
    assert (bijlage.soort, bijlage.content_type, bijlage.naam) == (soort, content_type, naam)


REFUSED = [
    ("programma.pdf", b.exe, "niet toegestaan"),
    ("pagina.pdf", b.html, "niet toegestaan"),
    ("pagina.html", b.html, "niet toegestaan"),
    ("macro.docx", b.docx_met_macro, "macro"),
    ("bom.docx", b.zip_bom, "zip-bom"),
    ("geheim.docx", b.versleuteld, "wachtwoord"),
    ("geheim2.docx", b.office_versleuteld, "versleuteld"),
    ("kapot.docx", b.beschadigd, "beschadigd"),
    ("half.docx", lambda: b.docx()[:200], "beschadigd"),
    ("archief.docx", lambda: b._zip([("a.txt", b"x")]), "niet toegestaan"),
    ("foto.pdf", b.png, "de inhoud is PNG"),
    ("tekst.txt", lambda: b"gewoon tekst", "niet toegestaan"),
]


@pytest.mark.parametrize(("naam", "maak", "reden"), REFUSED)
def test_bad_content_is_refused_whatever_its_name(school, world, naam, maak, reden):
    response = upload(school, world.hv_a_voorlopig, f(naam, maak(), "application/pdf"))
    assert response.status_code == 400
    assert reden in response.content.decode()
    assert not Bijlage.objects.exists()


def test_zip_bomb_is_small_on_the_wire():
    # The point of the bomb case: little to upload, much to unpack.
    assert len(b.zip_bom()) < 200 * 1024


@pytest.mark.parametrize(
    ("ruw", "verwacht"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\fakepath\\Rapport juni.pdf", "Rapport juni.pdf"),
        ("bel\x07en\x1bescape.pdf", "belenescape.pdf"),
        ("\u202eGNP.pdf", "GNP.pdf"),
        ("....pdf", "bijlage.pdf"),
        ("zonder-extensie", "zonder-extensie.pdf"),
    ],
)
def test_names_are_sanitised_and_never_choose_the_storage_path(school, world, ruw, verwacht):
    response = upload(school, world.hv_a_voorlopig, f(ruw, b.pdf()))
    assert response.status_code == 302, response.content.decode()
    bijlage = Bijlage.objects.get()
    assert bijlage.naam == verwacht
    assert re.fullmatch(r"bijlagen/[0-9a-f]{2}/[0-9a-f]{32}", bijlage.sleutel)
    assert default_storage.exists(bijlage.sleutel)


@pytest.mark.parametrize(
    ("ruw", "verwacht"),
    [
        ("kop\r\nX-Injectie: ja.pdf", "kopX-Injectie_ ja.pdf"),
        ("nul\x00byte.pdf", "nulbyte.pdf"),
        ("  .verborgen.pdf", "verborgen.pdf"),
        ("a/b\\c.pdf", "c.pdf"),
    ],
)
def test_control_characters_and_path_parts_never_reach_the_name(ruw, verwacht):
    # Browsers percent-encode these in the multipart header, so they are tested on the function.
    from bijlagen.names import naam_opschonen

    assert naam_opschonen(ruw, extensie=".pdf") == verwacht


def test_over_long_name_is_shortened_keeping_its_extension(school, world):
    response = upload(school, world.hv_a_voorlopig, f("a" * 300 + ".pdf", b.pdf()))
    assert response.status_code == 302
    naam = Bijlage.objects.get().naam
    assert len(naam) <= 150
    assert naam.endswith(".pdf")


def test_several_files_are_one_upload_action(school, world):
    response = upload(
        school,
        world.hv_a_voorlopig,
        f("a.pdf", b.pdf()),
        f("b.docx", b.docx()),
        f("c.png", b.png()),
    )
    assert response.status_code == 302
    bijlagen = list(Bijlage.objects.filter(hulpvraag=world.hv_a_voorlopig))
    assert len(bijlagen) == 3
    assert len({x.upload for x in bijlagen}) == 1
    assert {x.geupload_door for x in bijlagen} == {world.coordinator_a}


def test_one_refusal_stores_nothing_and_keeps_the_other_files_and_fields(school, world):
    hv = make_hulpvraag(
        schoolgegevens=world.hv_a_voorlopig.schoolgegevens,
        door=world.coordinator_a,
        status="TLV vragen gesteld",
    )
    response = upload(
        school,
        hv,
        f("antwoord.docx", b.docx()),
        f("virus.pdf", b.exe()),
        beantwoordt_vragen="on",
    )
    assert response.status_code == 400
    assert not Bijlage.objects.exists()
    tekst = response.content.decode()
    assert "virus.pdf" in tekst
    assert "Er is niets toegevoegd." in tekst
    # The good file waits, offered again (checked); the checkbox keeps its value.
    concept = BijlageConcept.objects.get()
    assert concept.originele_naam == "antwoord.docx"
    assert re.search(rf'name="bewaard" value="{concept.pk}"[^>]*checked', tekst)
    assert re.search(r'name="beantwoordt_vragen"[^>]*checked', tekst)

    response = upload(school, hv, f("bijlage2.pdf", b.pdf()), bewaard=[concept.pk])
    assert response.status_code == 302
    assert sorted(Bijlage.objects.values_list("originele_naam", flat=True)) == [
        "antwoord.docx",
        "bijlage2.pdf",
    ]
    assert not BijlageConcept.objects.exists()


def test_staged_files_of_another_user_cannot_be_claimed(client, world):
    login(client, world.coordinator_a)
    upload(client, world.hv_a_voorlopig, f("a.pdf", b.pdf()), f("x.pdf", b.exe()))
    concept = BijlageConcept.objects.get()
    other = type(world.coordinator_a).objects.create(
        organisatie=world.org, username="collega-a", rol="school"
    )
    other.scholen.set([world.school_a])
    login(client, other)
    response = upload(client, world.hv_a_voorlopig, bewaard=[concept.pk])
    assert response.status_code == 400
    assert not Bijlage.objects.exists()


def test_in_vragen_gesteld_the_upload_is_named_as_the_answer(school, world):
    hv = make_hulpvraag(
        schoolgegevens=world.hv_a_voorlopig.schoolgegevens,
        door=world.coordinator_a,
        status="TLV vragen gesteld",
    )
    pagina = school.get(url(hv)).content.decode()
    assert re.search(r'name="beantwoordt_vragen"[^>]*checked', pagina)
    upload(school, hv, f("Mijn antwoorden.docx", b.docx()), beantwoordt_vragen="on")
    bijlage = Bijlage.objects.get()
    assert bijlage.beantwoordt_vragen
    assert re.fullmatch(r"beantwoordingvragen\d{6}\.docx", bijlage.naam)
    assert bijlage.originele_naam == "Mijn antwoorden.docx"


def test_answer_flag_is_ignored_outside_vragen_gesteld(school, world):
    upload(school, world.hv_a_voorlopig, f("x.pdf", b.pdf()), beantwoordt_vragen="on")
    bijlage = Bijlage.objects.get()
    assert not bijlage.beantwoordt_vragen
    assert bijlage.naam == "x.pdf"


def test_list_shows_name_size_date_and_uploader_with_bounded_queries(
    school, world, django_assert_max_num_queries
):
    for n in range(5):
        upload(school, world.hv_a_voorlopig, f(f"bijlage{n}.pdf", b.pdf()))
    with django_assert_max_num_queries(12):
        response = school.get(url(world.hv_a_voorlopig))
    tekst = response.content.decode()
    assert "bijlage4.pdf" in tekst
    assert world.coordinator_a.get_full_name() in tekst
    assert re.search(r"\d\d-\d\d-\d{4} \d\d:\d\d", tekst)
    assert "bytes" in tekst


def test_button_fragment_counts_bijlagen(school, world):
    from django.template.loader import render_to_string

    upload(school, world.hv_a_voorlopig, f("a.pdf", b.pdf()), f("b.pdf", b.pdf()))
    html = render_to_string("bijlagen/_knop.html", {"hulpvraag": world.hv_a_voorlopig})
    assert "2 Bijlagen" in html
    assert url(world.hv_a_voorlopig) in html


# --- who may do what ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "collega_b", "deskundige", "beheerder"])
def test_others_get_404_on_the_list_and_the_upload(client, world, persona):
    login(client, getattr(world, persona))
    assert client.get(url(world.hv_a_ingediend)).status_code == 404
    assert upload(client, world.hv_a_ingediend, f("a.pdf", b.pdf())).status_code == 404
    assert not Bijlage.objects.exists()


def test_loket_does_not_see_a_voorlopige_aanvraag(client, world):
    login(client, world.loket)
    assert client.get(url(world.hv_a_voorlopig)).status_code == 404


def test_loket_uploads_too(client, world):
    login(client, world.loket)
    response = upload(client, world.hv_a_ingediend, f("vragen.docx", b.docx()))
    assert response.status_code == 302
    assert Bijlage.objects.get().geupload_door == world.loket


def test_deskundige_with_access_reads_but_does_not_upload(client, world):
    grant_toegang(hulpvraag=world.hv_a_ingediend, gebruiker=world.deskundige)
    login(client, world.deskundige)
    assert client.get(url(world.hv_a_ingediend)).status_code == 200
    assert upload(client, world.hv_a_ingediend, f("a.pdf", b.pdf())).status_code == 403


def test_school_cannot_upload_after_a_final_status(school, world):
    hv = make_hulpvraag(
        schoolgegevens=world.hv_a_voorlopig.schoolgegevens,
        door=world.coordinator_a,
        status="TLV afgegeven",
    )
    assert "Bijlagen toevoegen" not in school.get(url(hv)).content.decode()
    assert upload(school, hv, f("a.pdf", b.pdf())).status_code == 403


def test_removal_before_submission_deletes_the_file(
    school, world, django_capture_on_commit_callbacks
):
    upload(school, world.hv_a_voorlopig, f("a.pdf", b.pdf()))
    bijlage = Bijlage.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = school.post(
            reverse("bijlagen:verwijderen", args=[world.hv_a_voorlopig.pk, bijlage.pk])
        )
    assert response.status_code == 302
    assert not Bijlage.objects.exists()
    assert not default_storage.exists(bijlage.sleutel)


def test_removal_after_submission_is_a_visible_withdrawal(school, world):
    upload(school, world.hv_a_ingediend, f("a.pdf", b.pdf()))
    bijlage = Bijlage.objects.get()
    school.post(reverse("bijlagen:verwijderen", args=[world.hv_a_ingediend.pk, bijlage.pk]))
    bijlage.refresh_from_db()
    assert bijlage.ingetrokken_op is not None
    assert bijlage.ingetrokken_door == world.coordinator_a
    assert default_storage.exists(bijlage.sleutel)
    assert "Ingetrokken op" in school.get(url(world.hv_a_ingediend)).content.decode()


def test_only_the_uploader_removes(client, world):
    login(client, world.loket)
    upload(client, world.hv_a_ingediend, f("brief.pdf", b.pdf()))
    bijlage = Bijlage.objects.get()
    login(client, world.coordinator_a)
    response = client.post(
        reverse("bijlagen:verwijderen", args=[world.hv_a_ingediend.pk, bijlage.pk])
    )
    assert response.status_code == 403
    bijlage.refresh_from_db()
    assert bijlage.ingetrokken_op is None


def test_staged_files_are_cleaned_up_after_a_day(school, world):
    from datetime import timedelta

    from django.utils import timezone

    from bijlagen.tasks import concepten_opruimen

    upload(school, world.hv_a_voorlopig, f("a.pdf", b.pdf()), f("x.pdf", b.exe()))
    concept = BijlageConcept.objects.get()
    assert concepten_opruimen() == 0
    BijlageConcept.objects.update(aangemaakt_op=timezone.now() - timedelta(hours=25))
    assert concepten_opruimen() == 1
    assert not BijlageConcept.objects.exists()
    assert not default_storage.exists(concept.sleutel)


def test_hulpvraag_page_has_the_bijlagen_button(school, world):
    upload(school, world.hv_a_voorlopig, f("a.pdf", b.pdf()))
    pagina = school.get(reverse("hulpvragen:detail", args=[world.hv_a_voorlopig.pk]))
    # The manual's button label, also for one file ("1 Bijlagen", as the manual shows it).
    assert f'href="{url(world.hv_a_voorlopig)}">1 Bijlagen</a>' in pagina.content.decode()
