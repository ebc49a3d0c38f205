"""The Hulpvragen screen's cached per-organisation data (filter choices, names in the rows): a
change through the services shows on the next page view, and the rows are exactly the rows the
screen built from model instances before the cache (every column, escaping included)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join

from accounts.services_gebruikers import gebruiker_set_actief
from beheer.services_scholen import school_update
from hulpvragen.lijst import KOLOMMEN
from hulpvragen.models import Hulpvraag, Label, LijstVoorkeur, Status
from hulpvragen.services_processen import label_delete, label_save
from tests.factories import SchoolgegevensFactory, UserFactory, make_hulpvraag
from tests.helpers import login

pytestmark = pytest.mark.django_db
LIJST = reverse("hulpvragen:lijst")


def opties(response, veld: str) -> list[str]:
    body = response.content.decode()
    select = re.search(rf'<select name="{veld}"[^>]*>(.*?)</select>', body, re.S).group(1)
    return [m for m in re.findall(r"<option [^>]*>([^<]*)</option>", select)]


def test_filter_choices_follow_changes_made_through_the_services(client, world):
    login(client, world.loket)
    eerste = client.get(LIJST)  # fills the organisation's cached list data
    assert "Spoed" not in opties(eerste, "label")
    assert world.school_a.naam in opties(eerste, "school")
    assert str(world.loket) in opties(eerste, "coordinator")

    label = label_save(door=world.loket, label=Label(organisatie=world.org, naam="Spoed"))
    assert "Spoed" in opties(client.get(LIJST), "label")
    label.naam = "Met spoed"
    label_save(door=world.loket, label=label)
    assert opties(client.get(LIJST), "label")[1:] == ["Met spoed"]
    label_delete(door=world.loket, label=label)
    assert opties(client.get(LIJST), "label") == ["Alle"]

    school_update(door=world.loket, school=world.school_a, naam="Het Nieuwe Lyceum")
    assert "Het Nieuwe Lyceum" in opties(client.get(LIJST), "school")

    collega = UserFactory(organisatie=world.org, rol="swv_loket", first_name="Kees", last_name="Z")
    assert str(collega) in opties(client.get(LIJST), "coordinator")
    gebruiker_set_actief(door=world.beheerder, gebruiker=collega, actief=False)
    assert str(collega) not in opties(client.get(LIJST), "coordinator")

    status = Status.objects.filter(proces__organisatie=world.org, naam="TLV aanvraag indienen")
    for s in status:
        s.naam = "TLV aanvraag klaarzetten"
        s.save()
    statussen = opties(client.get(LIJST), "status")
    assert "TLV aanvraag klaarzetten" in statussen
    assert "TLV aanvraag indienen" not in statussen


def test_row_names_follow_a_rename_and_a_new_coordinator(client, world):
    login(client, world.loket)
    LijstVoorkeur.objects.create(gebruiker=world.loket, kolommen=list(KOLOMMEN))
    body = client.get(LIJST).content.decode()
    assert world.school_a.naam in body
    school_update(door=world.loket, school=world.school_a, naam="Het Nieuwe Lyceum")
    collega = UserFactory(organisatie=world.org, rol="swv_loket", first_name="Kees", last_name="Z")
    hv = world.hv_a_ingediend
    hv.coordinator = collega
    hv.save()
    body = client.get(LIJST).content.decode()
    assert "Het Nieuwe Lyceum" in body
    assert "<td>Kees Z</td>" in body


def _datum(value) -> str:
    if value is None:
        return "-"
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def rij_zoals_voorheen(h: Hulpvraag, kolommen: list[str]) -> str:
    """The row as the screen built it before: from model instances, format_html per cell."""
    status = h.status.naam
    if h.alleen_datum_gereserveerd:
        status = f"{status} — Alleen datum gereserveerd"
    cel = {
        "naam": h.leerling.naam,
        "dossiernummer": str(h.leerling_id),
        "geboortedatum": _datum(h.leerling.geboortedatum),
        "type": h.get_type_display(),
        "status": status,
        "school": h.schoolgegevens.school.naam,
        "hulpvraagdatum": _datum(h.hulpvraagdatum),
        "laatste_datum": _datum(h.laatste_datum),
        "coordinator": str(h.coordinator) if h.coordinator else "-",
        "labels": ", ".join(label.naam for label in h.labels.all()) or "-",
    }
    cellen = [cel[k] for k in kolommen]
    return format_html(
        '<tr><td><a href="{}">{}</a></td>{}</tr>',
        reverse("hulpvragen:detail", args=[h.pk]),
        cellen[0],
        format_html_join("", "<td>{}</td>", ((c,) for c in cellen[1:])),
    )


def test_rows_are_identical_to_the_rows_built_from_model_instances(client, world):
    kolommen = list(KOLOMMEN)
    LijstVoorkeur.objects.create(gebruiker=world.loket, kolommen=kolommen)
    # Names that need escaping, a coördinator who is not a loket user, labels out of order.
    sg = SchoolgegevensFactory(
        school=world.school_a,
        leerling__roepnaam="Zoë <b>",
        leerling__tussenvoegsel="van 't",
        leerling__achternaam="O'Brien & Co",
    )
    hv = make_hulpvraag(schoolgegevens=sg, status="TLV aanvraag indienen")
    hv.coordinator = UserFactory(organisatie=world.org, first_name="Anne", last_name="<Vos>")
    hv.save()
    for naam in ("Zorg", "Acuut & dringend"):
        hv.labels.add(Label.objects.create(organisatie=world.org, naam=naam))
    Hulpvraag.objects.filter(pk=world.hv_a_ingediend.pk).update(alleen_datum_gereserveerd=True)
    login(client, world.loket)
    body = client.get(LIJST, {"per": 100}).content.decode()
    tbody = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    shown = re.findall(r"<tr>.*?</tr>", tbody, re.S)
    zichtbaar = Hulpvraag.objects.filter(
        organisatie=world.org, status__zichtbaar_voor_swv=True
    ).order_by("-laatste_datum", "-id")
    assert len(shown) == zichtbaar.count() >= 3
    assert shown == [rij_zoals_voorheen(h, kolommen) for h in zichtbaar]
