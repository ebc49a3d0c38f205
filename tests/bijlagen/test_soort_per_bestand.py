"""A kind per file in one upload action: the manual's "in ieder geval het door ouders ondertekende
aanvraagformulier en het OPP" in one go. Posted as the page's script does (one
"documentsoort_bestand" per file), or without the script: the single select plus the file-name
rule; unknown kinds refused in Dutch with nothing lost; staged files keeping their kinds."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bijlagen.models import Bijlage, BijlageConcept
from bijlagen.names import DOCUMENTSOORT_TREFWOORDEN, documentsoort_raden
from tests.bijlagen import bestanden as b
from tests.bijlagen.test_guard import OPP, OUDERS, indienen, ontbrekend  # noqa: F401 (fixture)
from tests.helpers import login

ONBEKEND = "Onbekende soort document. Kies een soort uit de lijst."


def lijst(hv):
    return reverse("bijlagen:lijst", args=[hv.pk])


def pdf(naam):
    return SimpleUploadedFile(naam, b.pdf(naam.encode()), content_type="application/pdf")


def soorten(hv) -> dict[str, str]:
    return dict(Bijlage.objects.filter(hulpvraag=hv).values_list("naam", "documentsoort"))


# The browser test checks that static/js/bijlagen-upload.js guesses the same for these names.
NAMEN = [
    ("OPP Jan de Vries.pdf", "opp"),
    ("2025-opp_definitief.docx", "opp"),
    ("Toestemming ouders.pdf", "ouderformulier"),
    ("aanvraagformulier_ondertekend.pdf", "ouderformulier"),
    ("handtekening-ouders.jpg", "ouderformulier"),
    ("Onderzoeksverslag psycholoog.pdf", "onderzoeksverslag"),
    ("WISC-V uitslag.pdf", "onderzoeksverslag"),
    ("IQ.pdf", "onderzoeksverslag"),
    ("Evaluatie FA.docx", "evaluatie"),
    # The first kind in the table wins: an OPP signed by the parents is the OPP.
    ("OPP ondertekend door ouders.pdf", "opp"),
    # A keyword must begin a word: no guesses from the middle of one.
    ("stoppen.pdf", None),
    ("unique.pdf", None),
    ("notulen.pdf", None),
    (".opp", "opp"),
    ("C:\\\\fakepath\\\\opp.pdf", "opp"),
    ("OPPJan.pdf", "opp"),
    ("JanOPP.pdf", None),
    ("Ouderformulier (2).pdf", "ouderformulier"),
    ("Ontwikkelingsperspectiefplan.docx", "opp"),
    ("iq-test_2024.png", "onderzoeksverslag"),
    ("Évaluatie.pdf", None),  # "é" separates words: "valuatie" begins no keyword
    ("verslag.opp.pdf", "opp"),
    ("", None),
]


@pytest.mark.parametrize(("naam", "soort"), NAMEN)
def test_guess_from_the_name(naam, soort):
    assert documentsoort_raden(naam) == soort


def test_two_files_with_two_kinds_satisfy_the_check(client, world, indienen):  # noqa: F811
    hv, naar = indienen
    assert ontbrekend(hv, naar, world.coordinator_a) == [OUDERS, OPP]
    login(client, world.coordinator_a)
    response = client.post(
        lijst(hv),
        {
            # Names that say nothing: only the per-file kinds can make them right.
            "bestanden": [pdf("scan001.pdf"), pdf("scan002.pdf")],
            "documentsoort": "ouderformulier",
            "documentsoort_bestand": ["ouderformulier", "opp"],
        },
    )
    assert response.status_code == 302
    assert soorten(hv) == {"scan001.pdf": "ouderformulier", "scan002.pdf": "opp"}
    assert len(set(Bijlage.objects.values_list("upload", flat=True))) == 1  # one action
    assert ontbrekend(hv, naar, world.coordinator_a) == []  # and so the status changed
    hv.refresh_from_db()
    assert hv.status == naar


def test_without_the_script_the_names_choose_while_the_proposal_stands(client, world, indienen):  # noqa: F811
    hv, naar = indienen
    login(client, world.coordinator_a)
    # The form proposed "ouderformulier" and the user left it: each name that says its kind gets
    # that kind, the others the proposal.
    response = client.post(
        lijst(hv),
        {
            "bestanden": [pdf("OPP Jan.pdf"), pdf("scan.pdf"), pdf("WISC-V.pdf")],
            "documentsoort": "ouderformulier",
            "documentsoort_voorstel": "ouderformulier",
        },
    )
    assert response.status_code == 302
    assert soorten(hv) == {
        "OPP Jan.pdf": "opp",
        "scan.pdf": "ouderformulier",
        "WISC-V.pdf": "onderzoeksverslag",
    }
    assert ontbrekend(hv, naar, world.coordinator_a) == []


def test_without_the_script_a_changed_select_applies_to_all(client, world):
    hv = world.hv_a_voorlopig
    login(client, world.coordinator_a)
    response = client.post(
        lijst(hv),
        {
            "bestanden": [pdf("OPP Jan.pdf"), pdf("toestemming.pdf")],
            "documentsoort": "overig",
            "documentsoort_voorstel": "ouderformulier",
        },
    )
    assert response.status_code == 302
    assert set(soorten(hv).values()) == {"overig"}


def test_nothing_posted_but_files_uses_the_proposal_and_the_names(client, world):
    hv = world.hv_a_voorlopig
    login(client, world.coordinator_a)
    assert client.post(lijst(hv), {"bestanden": [pdf("opp.pdf"), pdf("a.pdf")]}).status_code == 302
    assert soorten(hv) == {"opp.pdf": "opp", "a.pdf": "ouderformulier"}


def test_the_loket_and_the_answers_are_not_guessed(client, world):
    login(client, world.loket)
    hv = world.hv_a_ingediend
    assert client.post(lijst(hv), {"bestanden": [pdf("opp.pdf")]}).status_code == 302
    assert soorten(hv) == {"opp.pdf": "brief"}
    pagina = client.get(lijst(hv)).content.decode()
    assert _trefwoorden(pagina) == []
    assert "waarvan de naam de soort noemt" not in pagina  # the help text promises no guess


def _trefwoorden(pagina: str):
    m = re.search(
        r'<script id="documentsoort-trefwoorden" type="application/json">(.*?)</script>', pagina
    )
    return json.loads(m.group(1))


def test_the_page_passes_the_servers_keyword_table(client, world):
    login(client, world.coordinator_a)
    pagina = client.get(lijst(world.hv_a_voorlopig)).content.decode()
    assert _trefwoorden(pagina) == json.loads(json.dumps(DOCUMENTSOORT_TREFWOORDEN))
    assert 'name="documentsoort_voorstel" value="ouderformulier"' in pagina
    assert "js/bijlagen-upload.js" in pagina
    assert "waarvan de naam de soort noemt" in pagina


def test_a_bad_kind_is_refused_in_dutch_and_the_good_files_kept(client, world):
    hv = world.hv_a_voorlopig
    login(client, world.coordinator_a)
    response = client.post(
        lijst(hv),
        {
            "bestanden": [pdf("toestemming.pdf"), pdf("scan.pdf")],
            "documentsoort_bestand": ["ouderformulier", "<script>"],
        },
    )
    assert response.status_code == 400
    tekst = response.content.decode()
    assert "Er is niets toegevoegd." in tekst
    assert f"<strong>scan.pdf</strong>: {ONBEKEND}" in tekst
    assert "&lt;script&gt;" not in tekst  # the posted value is not echoed
    assert not Bijlage.objects.exists()
    # Both files wait; the refused kind became the form's rule (here the proposal).
    kept = dict(BijlageConcept.objects.values_list("originele_naam", "documentsoort"))
    assert kept == {"toestemming.pdf": "ouderformulier", "scan.pdf": "ouderformulier"}
    concept = BijlageConcept.objects.get(originele_naam="scan.pdf")
    assert re.search(
        rf'<select name="documentsoort_bewaard_{concept.pk}"[^>]*>.*?'
        r'<option value="ouderformulier" selected>',
        tekst,
        re.S,
    )
    assert "Soort document van scan.pdf" in tekst

    # Corrected on the staged file's own select; added without choosing the files again.
    response = client.post(
        lijst(hv),
        {
            "bewaard": list(BijlageConcept.objects.values_list("pk", flat=True)),
            f"documentsoort_bewaard_{concept.pk}": "opp",
        },
    )
    assert response.status_code == 302
    assert soorten(hv) == {"toestemming.pdf": "ouderformulier", "scan.pdf": "opp"}
    assert not BijlageConcept.objects.exists()


def test_a_bad_kind_for_a_staged_file_is_refused_and_it_stays(client, world):
    hv = world.hv_a_voorlopig
    login(client, world.coordinator_a)
    client.post(lijst(hv), {"bestanden": [pdf("opp.pdf"), SimpleUploadedFile("x.exe", b.exe())]})
    concept = BijlageConcept.objects.get()
    response = client.post(
        lijst(hv), {"bewaard": [concept.pk], f"documentsoort_bewaard_{concept.pk}": "nee"}
    )
    assert response.status_code == 400
    assert f"<strong>opp.pdf</strong>: {ONBEKEND}" in response.content.decode()
    concept.refresh_from_db()
    assert concept.documentsoort == "opp"
    assert not Bijlage.objects.exists()


def test_staged_files_keep_their_kinds(client, world):
    hv = world.hv_a_voorlopig
    login(client, world.coordinator_a)
    response = client.post(
        lijst(hv),
        {
            "bestanden": [
                pdf("scan1.pdf"),
                SimpleUploadedFile("virus.exe", b.exe()),
                pdf("scan2.pdf"),
            ],
            "documentsoort_bestand": ["opp", "overig", "onderzoeksverslag"],
        },
    )
    assert response.status_code == 400
    assert dict(BijlageConcept.objects.values_list("originele_naam", "documentsoort")) == {
        "scan1.pdf": "opp",
        "scan2.pdf": "onderzoeksverslag",
    }
    # Refused again (another bad file): a kind changed on a staged file is kept too.
    eerste = BijlageConcept.objects.get(originele_naam="scan1.pdf")
    tweede = BijlageConcept.objects.get(originele_naam="scan2.pdf")
    response = client.post(
        lijst(hv),
        {
            "bewaard": [eerste.pk, tweede.pk],
            f"documentsoort_bewaard_{eerste.pk}": "opp",
            f"documentsoort_bewaard_{tweede.pk}": "ouderformulier",
            "bestanden": [pdf("toestemming.pdf"), SimpleUploadedFile("b.exe", b.exe())],
        },
    )
    assert response.status_code == 400
    tweede.refresh_from_db()
    assert tweede.documentsoort == "ouderformulier"
    # Finally added, without their selects posted (an old page): the stored kinds hold, and the
    # new file's name chooses its kind.
    response = client.post(
        lijst(hv),
        {
            "bewaard": list(BijlageConcept.objects.values_list("pk", flat=True)),
            "bestanden": [pdf("verslag.pdf")],
        },
    )
    assert response.status_code == 302
    assert soorten(hv) == {
        "scan1.pdf": "opp",
        "scan2.pdf": "ouderformulier",
        "toestemming.pdf": "ouderformulier",
        "verslag.pdf": "onderzoeksverslag",
    }


def test_kinds_that_do_not_match_the_files_are_refused(client, world):
    hv = world.hv_a_voorlopig
    login(client, world.coordinator_a)
    response = client.post(
        lijst(hv),
        {"bestanden": [pdf("a.pdf"), pdf("b.pdf")], "documentsoort_bestand": ["opp"]},
    )
    assert response.status_code == 400
    assert "De soorten document horen niet bij de gekozen bestanden." in response.content.decode()
    assert not Bijlage.objects.exists()
    assert BijlageConcept.objects.count() == 2


def test_the_answer_box_still_makes_every_file_the_answer(client, world):
    hv = world.hv_a_ingediend
    vragen = hv.proces.statussen.filter(naam__iendswith="vragen gesteld").first()
    if vragen is None:
        pytest.skip("no 'vragen gesteld' status in this process")
    hv.status = vragen
    hv.save(update_fields=["status"])
    login(client, world.coordinator_a)
    response = client.post(
        lijst(hv),
        {
            "bestanden": [pdf("opp.pdf"), pdf("b.pdf")],
            "beantwoordt_vragen": "on",
            "documentsoort_bestand": ["opp", "overig"],
        },
    )
    assert response.status_code == 302
    assert set(soorten(hv).values()) == {"beantwoording_vragen"}
