"""PrO-loketvergadering through the pages: agenda of PrO hulpvragen and per hulpvraag the outcome,
each a status change through the engine."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from besluiten.models import Toelaatbaarheidsverklaring
from loket.models import Agendapunt, Termijn, Vergadering
from tests.helpers import login

VERGADERINGEN = reverse("loket:vergaderingen")


def agenda(client, *hulpvragen):
    response = client.post(
        VERGADERINGEN,
        {"soort": "pro", "datum": "2026-12-03", "tijd": "10:00", "plaats": "Loket"},
    )
    assert response.status_code == 302
    vergadering = Vergadering.objects.latest("id")
    for hv in hulpvragen:
        response = client.post(
            reverse("loket:vergadering", args=[vergadering.pk]), {"hulpvraag": hv.pk}
        )
        assert response.status_code == 302
    return vergadering


def uitkomst(client, vergadering, hulpvraag, **data):
    punt = Agendapunt.objects.get(vergadering=vergadering, hulpvraag=hulpvraag)
    return client.post(reverse("loket:agendapunt_afhandelen", args=[vergadering.pk, punt.pk]), data)


def test_outcomes_move_each_hulpvraag(client, world, ingediend):
    akkoord, afgewezen, aangehouden = ingediend("PRO"), ingediend("PRO"), ingediend("PRO")
    login(client, world.loket)
    vergadering = agenda(client, akkoord, afgewezen, aangehouden)
    akkoord.refresh_from_db()
    assert akkoord.status.naam == "PrO aanvraag indienen"  # the agenda itself changes nothing

    assert uitkomst(client, vergadering, akkoord, uitkomst="akkoord").status_code == 302
    # Afwijzing needs a toelichting: refused with the engine's message, nothing changed.
    response = uitkomst(client, vergadering, afgewezen, uitkomst="afwijzing")
    assert response.status_code == 302
    assert "toelichting" in client.get(response["Location"]).content.decode()
    afgewezen.refresh_from_db()
    assert afgewezen.status.naam == "PrO aanvraag indienen"
    uitkomst(client, vergadering, afgewezen, uitkomst="afwijzing", toelichting="IQ boven 80.")
    uitkomst(
        client, vergadering, aangehouden, uitkomst="aangehouden", toelichting="Toetsen ontbreken."
    )

    for hv, naam in (
        (akkoord, "PrO afgegeven"),
        (afgewezen, "PrO afwijzing"),
        (aangehouden, "PrO vragen gesteld"),
    ):
        hv.refresh_from_db()
        assert hv.status.naam == naam
    assert Termijn.objects.get(hulpvraag=akkoord).gestopt_op is not None
    # Akkoord recorded the TLV PrO with its toekenningsbrief (besluiten), on the TLV tab.
    tlv = Toelaatbaarheidsverklaring.objects.get(hulpvraag=akkoord)
    assert tlv.soort == "PRO" and tlv.besluitdatum == date(2026, 12, 3)
    assert tlv.ingangsdatum == date(2026, 12, 3) and tlv.einddatum == date(2028, 7, 31)
    (brief,) = tlv.brieven.all()
    assert brief.naam.endswith(".docx")
    assert not Toelaatbaarheidsverklaring.objects.filter(hulpvraag=afgewezen).exists()
    login(client, world.coordinator_a)
    tab = client.get(reverse("hulpvragen:tab", args=[akkoord.pk, "tlv"])).content.decode()
    assert brief.naam in tab
    login(client, world.loket)
    assert Termijn.objects.get(hulpvraag=aangehouden).pauze_sinds is not None
    page = client.get(reverse("loket:vergadering", args=[vergadering.pk])).content.decode()
    assert "IQ boven 80." in page and "Toetsen ontbreken." in page
    # An outcome is recorded once.
    assert uitkomst(client, vergadering, akkoord, uitkomst="afwijzing", toelichting="x")
    akkoord.refresh_from_db()
    assert akkoord.status.naam == "PrO afgegeven"


def test_only_submitted_pro_hulpvragen_are_candidates(client, world, ingediend):
    pro, tlv = ingediend("PRO"), ingediend("TLV_VSO")
    login(client, world.loket)
    vergadering = agenda(client)
    page = client.get(reverse("loket:vergadering", args=[vergadering.pk])).content.decode()
    assert f'value="{pro.pk}"' in page
    assert f'value="{tlv.pk}"' not in page
    assert f'value="{world.hv_other_org.pk}"' not in page


def test_on_the_agenda_means_waiting_for_the_decision_in_the_werkvoorraad(client, world, ingediend):
    pro, ander = ingediend("PRO"), ingediend("PRO")
    login(client, world.loket)
    agenda(client, pro)
    werkvoorraad = reverse("loket:werkvoorraad")
    besluit = client.get(werkvoorraad + "?weergave=besluit").content.decode()
    assert f'id="hv-{pro.pk}"' in besluit
    assert f'id="hv-{ander.pk}"' not in besluit
    assert "Wacht op besluit (1)" in besluit
    nieuw = client.get(werkvoorraad + "?weergave=nieuw").content.decode()
    assert f'id="hv-{ander.pk}"' in nieuw
