"""Parents online, through the paths a school and a parent take (test client): the invitation,
the mail, the code, reading, a correction, a zienswijze, "voor gezien", the bijlage it makes and
the school taking the correction over; and the safety rules around it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import Inzage
from bijlagen.models import Bijlage, Documentsoort
from bijlagen.selectors import bijlagen_vereisten_for, documentsoorten_aanwezig_for
from formulieren.selectors import formulier_ondertekening_ontbreekt
from meldingen.models import Notificatie
from ouders.models import Correctievoorstel, Uitnodiging, VoorGezien, VoorstelStatus, Zienswijze
from ouders.sessie import COOKIE
from tests.helpers import login
from tests.ouders.conftest import aanvraag_klaar, link_uit_mail

pytestmark = pytest.mark.django_db


def uitnodigen(client, world, aanvraag, *, ouders=(1,), bijlagen=(), capture=None):
    login(client, world.coordinator_a)
    url = reverse("ouders:uitnodigen", args=[aanvraag.formulier.pk])
    data = {"ouders": list(ouders), "bijlagen": [b.pk for b in bijlagen]}
    response = client.post(url, data)
    assert response.status_code == 200, response.content.decode()[:2000]
    codes = [
        el.split("</strong>")[0]
        for el in response.content.decode().split('<strong class="ouders-code" data-code>')[1:]
    ]
    return response, codes


def ouder_aanmelden(link: str, code: str) -> Client:
    ouder = Client()
    response = ouder.post(link, {"code": code})
    assert response.status_code == 302, response.content.decode()[:1000]
    assert response.url.endswith("/aanvraag/")
    return ouder


@pytest.fixture
def uitgenodigd(client, world, aanvraag, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _r, codes = uitnodigen(client, world, aanvraag, bijlagen=[aanvraag.opp])
    (mail,) = mailoutbox
    return {"mail": mail, "link": link_uit_mail(mail), "code": codes[0]}


def test_the_whole_flow(client, world, aanvraag, mailoutbox, django_capture_on_commit_callbacks):
    hv = aanvraag.hulpvraag
    with django_capture_on_commit_callbacks(execute=True):
        response, codes = uitnodigen(client, world, aanvraag, bijlagen=[aanvraag.opp])
    assert len(codes) == 1 and len(codes[0]) == 9  # ABCD-EFGH, shown once
    uitnodiging = Uitnodiging.objects.get()
    assert uitnodiging.email == "m.deboer@example.nl"
    assert codes[0].replace("-", "") not in uitnodiging.code_hash  # stored hashed

    # The mail: a link, nothing about the pupil.
    (mail,) = mailoutbox
    assert mail.to == ["m.deboer@example.nl"]
    tekst = mail.subject + mail.body + mail.alternatives[0][0]
    leerling = hv.leerling
    for geheim in (
        leerling.achternaam,
        leerling.roepnaam,
        leerling.bsn or "-geen-",
        leerling.geboortedatum.strftime("%d-%m-%Y"),
        hv.schoolgegevens.school.naam,
        "TLV",
        codes[0],
        codes[0].replace("-", ""),
    ):
        assert geheim not in tekst, geheim
    link = link_uit_mail(mail)
    # Once sent, the outbox keeps no link.
    assert Notificatie.objects.get(soort="ouder_uitnodiging").tekst == ""

    ouder = Client()
    pagina = ouder.get(link)
    assert pagina.status_code == 200 and "Code van de school" in pagina.content.decode()
    assert leerling.achternaam not in pagina.content.decode()  # nothing before the code
    fout = ouder.post(link, {"code": "AAAA-AAAA"})
    assert "De code klopt niet. U kunt het nog 4 keer proberen." in fout.content.decode()
    ouder = ouder_aanmelden(link, codes[0].lower().replace("-", " "))  # typed loosely
    assert ouder.cookies[COOKIE]["path"] == "/ouder/"
    assert ouder.cookies[COOKIE]["httponly"]

    # Read: the same content as the Word export, and the ticked bijlage only.
    aanvraag_url = link + "aanvraag/"
    pagina = ouder.get(aanvraag_url)
    html = pagina.content.decode()
    assert pagina.status_code == 200
    assert "no-store" in pagina["Cache-Control"]
    assert leerling.naam in html and "M. (Marieke) de Boer" in html
    assert "OPP Sanne.pdf" in html and "Verslag psycholoog.pdf" not in html
    download = ouder.get(link + f"bijlagen/{aanvraag.opp.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert ouder.get(link + f"bijlagen/{aanvraag.verslag.pk}/").status_code == 404

    # A correction to the phone number and the gezagssituatie.
    pagina = ouder.get(link + "gegevens/")
    assert 'value="06-12345678"' in pagina.content.decode()
    post = {
        "gezagssituatie": "een_ouder",
        "ouder1_naam": "M. (Marieke) de Boer",
        "ouder1_telefoon": "06-11112222",
        "ouder1_email": "m.deboer@example.nl",
        "ouder2_naam": "R. (Ruud) de Boer",
        "ouder2_telefoon": "06-87654321",
        "ouder2_email": "",
        "toelichting": "Nieuw nummer sinds januari.",
        "eenmalig": "t-voorstel",
    }
    for veld in ("ouder1_adres", "ouder2_adres", "ouder2_email"):
        post[veld] = aanvraag.formulier.antwoorden.get(veld, "")
    response = ouder.post(link + "gegevens/", post)
    assert response.status_code == 302
    voorstel = Correctievoorstel.objects.get()
    assert set(voorstel.wijzigingen) == {"ouder1_telefoon", "gezagssituatie"}
    assert voorstel.status == VoorstelStatus.OPEN
    aanvraag.formulier.refresh_from_db()
    assert aanvraag.formulier.antwoorden["ouder1_telefoon"] == "06-12345678"  # not silently

    # A zienswijze: "wij zijn het niet eens".
    response = ouder.post(
        link + "zienswijze/",
        {"tekst": "Wij willen eerst een gesprek.", "niet_eens": "on", "eenmalig": "t-zw"},
    )
    assert response.status_code == 302
    assert Zienswijze.objects.get().niet_eens

    # Sign "voor gezien" with the hash of what the page showed.
    pagina = ouder.get(link + "tekenen/")
    getoond = pagina.context["getoond"].hash
    assert f'value="{getoond}"' in pagina.content.decode()
    response = ouder.post(
        link + "tekenen/",
        {"naam": "Marieke de Boer", "getoond": getoond, "eenmalig": "t-teken"},
    )
    assert response.status_code == 302
    vg = VoorGezien.objects.get()
    assert (vg.naam, vg.hash) == ("Marieke de Boer", getoond)
    bijlage = vg.bijlage
    assert bijlage.documentsoort == Documentsoort.OUDERFORMULIER_ONLINE
    assert bijlage.get_documentsoort_display() == (
        "Aanvraagformulier, door ouders voor gezien getekend"
    )
    assert bijlage.naam.endswith(".docx")
    # It satisfies the required documents (the parents' signed form and the OPP).
    vereist = set(bijlagen_vereisten_for(hulpvraag=hv).soorten)
    assert vereist == {"ouderformulier", "opp"}
    assert vereist <= documentsoorten_aanwezig_for(hulpvraag=hv)

    # The school sees the zienswijze and the proposal on the Formulier tab, and takes it over.
    tab = client.get(reverse("hulpvragen:tab", args=[hv.pk, "formulier"]))
    html = tab.content.decode()
    assert "Wij willen eerst een gesprek." in html and "Wij zijn het niet eens" in html
    assert "06-11112222" in html and "Marieke de Boer" in html
    response = client.post(
        reverse("ouders:voorstel", args=[voorstel.pk]), {"keuze": "overnemen", "eenmalig": "s1"}
    )
    assert response.status_code == 302
    voorstel.refresh_from_db()
    assert voorstel.status == VoorstelStatus.AANVAARD
    aanvraag.formulier.refresh_from_db()
    assert aanvraag.formulier.antwoorden["ouder1_telefoon"] == "06-11112222"
    assert aanvraag.formulier.antwoorden["gezagssituatie"] == "een_ouder"
    # A changed signed form needs the board again: nothing changed silently.
    assert "opnieuw ondertekenen" in formulier_ondertekening_ontbreekt(hulpvraag=hv)

    # The audit trail: every parent page and action, with "ouder" as the actor.
    rijen = Inzage.objects.filter(ouder_uitnodiging_id=uitnodiging.pk).order_by("id")
    assert all(r.gebruiker_id is None and r.door.startswith("ouder") for r in rijen)
    onderdelen = [r.onderdeel for r in rijen]
    for verwacht in (
        "ouder: code",
        "ouder: aanvraag",
        "bijlage",
        "ouder: gegevens",
        "ouder: zienswijze",
        "ouder: voor gezien",
    ):
        assert verwacht in onderdelen, verwacht
    assert all(r.hulpvraag_id == hv.pk for r in rijen)
    assert rijen.filter(onderdeel="bijlage", details__contains=f"bijlage {aanvraag.opp.pk}")


def test_the_loket_sees_the_zienswijze(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    aanvraag = aanvraag_klaar(world, world.hv_a_ingediend)
    with django_capture_on_commit_callbacks(execute=True):
        _r, codes = uitnodigen(client, world, aanvraag)
    ouder = ouder_aanmelden(link_uit_mail(mailoutbox[0]), codes[0])
    ouder.post(
        link_uit_mail(mailoutbox[0]) + "zienswijze/",
        {"tekst": "Wij twijfelen.", "niet_eens": "on"},
    )
    login(client, world.loket)
    html = client.get(
        reverse("hulpvragen:tab", args=[aanvraag.hulpvraag.pk, "formulier"])
    ).content.decode()
    assert "Wij twijfelen." in html and "Wij zijn het niet eens" in html
    assert "Nieuwe code" not in html and "Overnemen" not in html  # the school's buttons only


def test_wrong_code_n_times_locks_and_a_new_code_unlocks(client, world, uitgenodigd):
    link, code = uitgenodigd["link"], uitgenodigd["code"]
    ouder = Client()
    for _i in range(5):
        response = ouder.post(link, {"code": "ZZZZ-ZZZZ"})
        assert response.status_code == 400
    assert "te vaak een verkeerde code" in response.content.decode()
    uitnodiging = Uitnodiging.objects.get()
    assert uitnodiging.geblokkeerd and uitnodiging.pogingen == 5
    # Locked: even the right code no longer opens it.
    response = ouder.post(link, {"code": code})
    assert response.status_code == 400
    assert ouder.get(link + "aanvraag/").status_code == 302
    # The school makes a new code; the old one stays dead.
    response = client.post(reverse("ouders:nieuwe_code", args=[uitnodiging.pk]))
    nieuw = response.content.decode().split("data-code>")[1].split("<")[0]
    assert ouder.post(link, {"code": code}).status_code == 400
    ouder_aanmelden(link, nieuw)


def test_revoked_and_expired_links_open_nothing(client, world, uitgenodigd):
    link, code = uitgenodigd["link"], uitgenodigd["code"]
    ouder = ouder_aanmelden(link, code)
    uitnodiging = Uitnodiging.objects.get()
    client.post(reverse("ouders:intrekken", args=[uitnodiging.pk]))
    for pad in ("", "aanvraag/", "tekenen/", "gegevens/"):
        response = ouder.get(link + pad)
        assert response.status_code == 404
        assert "Deze link werkt niet (meer)" in response.content.decode()
    # Expired: the same answer as an unknown link.
    Uitnodiging.objects.filter(pk=uitnodiging.pk).update(
        ingetrokken_op=None, geldig_tot=timezone.now() - dt.timedelta(seconds=1)
    )
    assert ouder.get(link + "aanvraag/").status_code == 404
    assert Client().get("/ouder/bestaat-niet-abcdefghijklmnop/").status_code == 404


def test_a_parent_session_opens_only_its_own_invitation(
    client, world, aanvraag, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _r, codes = uitnodigen(client, world, aanvraag, bijlagen=[aanvraag.opp])
    ander = aanvraag_klaar(world, world.hv_a_ingediend)
    with django_capture_on_commit_callbacks(execute=True):
        _r, andere_codes = uitnodigen(client, world, ander, bijlagen=[ander.opp])
    link_a = link_uit_mail(mailoutbox[0])
    link_b = link_uit_mail(mailoutbox[-1])
    assert link_a != link_b
    ouder = ouder_aanmelden(link_a, codes[0])
    # Another invitation's link: the cookie does not open it.
    assert ouder.get(link_b + "aanvraag/").status_code == 302
    # Another hulpvraag's bijlage, by id, under the own link: 404.
    assert ouder.get(link_a + f"bijlagen/{ander.opp.pk}/").status_code == 404
    # Staff URLs with the parent's cookie: the login page, as for anyone anonymous.
    for url in (
        reverse("hulpvragen:detail", args=[aanvraag.hulpvraag.pk]),
        reverse("hulpvragen:tab", args=[aanvraag.hulpvraag.pk, "formulier"]),
        reverse("bijlagen:download", args=[aanvraag.hulpvraag.pk, aanvraag.opp.pk]),
        "/beheer/",
        reverse("ouders:uitnodigen", args=[aanvraag.formulier.pk]),
    ):
        response = ouder.get(url)
        assert response.status_code == 302 and "/inloggen/" in response.url, url
    # A forged cookie (another invitation's id) is refused.
    ouder.cookies[COOKIE] = ouder.cookies[COOKIE].value.replace("a", "b", 1)
    assert ouder.get(link_a + "aanvraag/").status_code == 302
    # What a parent never sees: the Statushistorie, notes, other hulpvragen.
    ouder = ouder_aanmelden(link_a, codes[0])
    html = ouder.get(link_a + "aanvraag/").content.decode()
    for nooit in ("Statushistorie", "Mijn notities", "Toegang", "Bijlagen toevoegen"):
        assert nooit not in html


def test_a_replayed_sign_post_records_once(client, world, uitgenodigd):
    link = uitgenodigd["link"]
    ouder = ouder_aanmelden(link, uitgenodigd["code"])
    getoond = ouder.get(link + "tekenen/").context["getoond"].hash
    post = {"naam": "Marieke de Boer", "getoond": getoond, "eenmalig": "tok-1"}
    assert ouder.post(link + "tekenen/", post).status_code == 302
    assert ouder.post(link + "tekenen/", post).status_code == 302  # same form again
    response = ouder.post(link + "tekenen/", {**post, "eenmalig": "tok-2"})  # a new token
    assert response.status_code == 400 and "al getekend" in response.content.decode()
    assert VoorGezien.objects.count() == 1
    assert Bijlage.objects.filter(documentsoort="ouderformulier_online").count() == 1


def test_signing_a_page_that_changed_since_it_was_shown_is_refused(client, world, uitgenodigd):
    link = uitgenodigd["link"]
    ouder = ouder_aanmelden(link, uitgenodigd["code"])
    getoond = ouder.get(link + "tekenen/").context["getoond"].hash
    ouder.post(link + "zienswijze/", {"tekst": "Nog iets.", "eenmalig": "z"})
    response = ouder.post(link + "tekenen/", {"naam": "Marieke", "getoond": getoond})
    assert response.status_code == 400
    assert "veranderd nadat u de pagina opende" in response.content.decode()
    assert not VoorGezien.objects.exists()


def test_only_the_school_invites(client, world, aanvraag):
    url = reverse("ouders:uitnodigen", args=[aanvraag.formulier.pk])
    for user, verwacht in (
        (world.bestuurder_a, 403),
        (world.collega_b, 404),
        (world.outsider, 404),
        (world.deskundige, 404),
    ):
        client.logout()
        login(client, user)
        assert client.post(url, {"ouders": [1]}).status_code == verwacht, user
    assert not Uitnodiging.objects.exists()


def test_no_invitation_before_the_board_signed(client, world):
    hv = world.hv_a_voorlopig
    formulier = hv.formulieren.get()
    login(client, world.coordinator_a)
    response = client.post(reverse("ouders:uitnodigen", args=[formulier.pk]), {"ouders": [1]})
    assert response.status_code == 400
    assert not Uitnodiging.objects.exists()


def test_a_double_invitation_post_invites_once(
    client, world, aanvraag, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, world.coordinator_a)
    url = reverse("ouders:uitnodigen", args=[aanvraag.formulier.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"ouders": [1], "eenmalig": "dubbel"})
        response = client.post(url, {"ouders": [1], "eenmalig": "dubbel"})
    assert response.status_code == 302
    assert Uitnodiging.objects.count() == 1 and len(mailoutbox) == 1


def test_paper_stays_a_scanned_form_also_satisfies_the_rule(world):
    from tests.ouders.conftest import _bijlage

    aanvraag = aanvraag_klaar(world)
    hv = aanvraag.hulpvraag
    assert "ouderformulier" not in documentsoorten_aanwezig_for(hulpvraag=hv)
    _bijlage(hv, world.coordinator_a, "Formulier getekend.pdf", Documentsoort.OUDERFORMULIER)
    assert {"ouderformulier", "opp"} <= documentsoorten_aanwezig_for(hulpvraag=hv)


def test_the_formulier_tab_with_parents_keeps_its_query_count(
    client, world, uitgenodigd, django_assert_max_num_queries
):
    """The parents' block costs the same with invitations, zienswijzen and proposals as with
    one: its queries do not grow with the rows."""
    link = uitgenodigd["link"]
    ouder = ouder_aanmelden(link, uitgenodigd["code"])
    for i in range(3):
        ouder.post(link + "zienswijze/", {"tekst": f"Punt {i}.", "eenmalig": f"z{i}"})
    hv = world.hv_a_voorlopig
    url = reverse("hulpvragen:tab", args=[hv.pk, "formulier"])
    client.get(url)
    with django_assert_max_num_queries(18):
        html = client.get(url).content.decode()
    assert "Punt 2." in html


def test_the_link_again_during_a_session_goes_to_the_aanvraag_and_afmelden_ends_it(
    client, world, uitgenodigd
):
    link = uitgenodigd["link"]
    ouder = ouder_aanmelden(link, uitgenodigd["code"])
    response = ouder.get(link)
    assert response.status_code == 302 and response.url.endswith("/aanvraag/")
    oud = ouder.cookies[COOKIE].value
    assert ouder.post(link + "afmelden/").status_code == 200
    assert Uitnodiging.objects.get().sessie_hash == ""
    # Even the old cookie, kept by someone, opens nothing any more.
    ouder.cookies[COOKIE] = oud
    assert ouder.get(link + "aanvraag/").status_code == 302
    assert "Code van de school" in ouder.get(link).content.decode()
