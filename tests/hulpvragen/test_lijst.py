"""The Hulpvragen screen: search, filters, remembered search and "Wissen", sorting, the column
chooser, full screen, keyset pagination, constant query counts, and the access audit."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AppendOnlyError, Inzage
from dossiers.models import Leerling
from hulpvragen.models import Hulpvraag, HulpvraagType, LijstVoorkeur
from tests.factories import (
    LabelFactory,
    LeerlingFactory,
    SchoolgegevensFactory,
    UserFactory,
    make_hulpvraag,
)
from tests.helpers import login

pytestmark = pytest.mark.django_db
LIJST = reverse("hulpvragen:lijst")


def rows(response) -> list[str]:
    """The first cell (the link) of every body row, in order."""
    body = response.content.decode()
    tbody = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    found = re.findall(r'<td><a href="/hulpvragen/\d+/">([^<]*)</a>', tbody)
    return [html.unescape(name) for name in found]


def headers(response) -> list[str]:
    thead = response.content.decode().split("<thead>", 1)[1].split("</thead>", 1)[0]
    return [
        re.sub(r"<[^>]+>|[▲▼]", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", thead)
    ]


def hv_for(school, *, achternaam, roepnaam="Sam", type=HulpvraagType.TLV_VSO, **kw):
    leerling = LeerlingFactory(
        organisatie=school.organisatie, achternaam=achternaam, roepnaam=roepnaam, voornamen=roepnaam
    )
    sg = SchoolgegevensFactory(school=school, leerling=leerling)
    return make_hulpvraag(schoolgegevens=sg, type=type, **kw)


def test_list_shows_only_what_the_user_may_see_and_has_the_manual_labels(client, world):
    login(client, world.coordinator_a)
    response = client.get(LIJST)
    body = response.content.decode()
    assert response.status_code == 200
    for label in (
        "Hulpvragen",
        "Toevoegen",
        "Wissen",
        "zoeken",
        "Laatste datum",
        "volledig scherm",
    ):
        assert label in body
    assert set(rows(response)) == {
        world.hv_a_voorlopig.leerling.naam,
        world.hv_a_ingediend.leerling.naam,
    }


@pytest.mark.parametrize("persona", ["beheerder"])
def test_roles_without_pupil_data_get_404(client, world, persona):
    login(client, getattr(world, persona))
    assert client.get(LIJST).status_code == 404


def test_outsider_never_sees_rows_of_another_organisation(client, world):
    login(client, world.outsider)
    response = client.get(LIJST, {"zoeken": 1, "q": world.hv_a_ingediend.leerling.achternaam})
    assert world.hv_a_ingediend.leerling.naam not in response.content.decode()


def test_search_by_name_dossiernummer_type_school_and_status(client, world):
    # Surnames Faker's nl_NL list (the world's pupils) never makes: the expected sets are exact.
    jansen = hv_for(world.school_a, achternaam="Wölfingh", roepnaam="Aïsha")
    other = hv_for(world.school_a, achternaam="Bakker", roepnaam="Tim", type=HulpvraagType.PRO)
    login(client, world.coordinator_a)

    def found(q):
        return set(rows(client.get(LIJST, {"zoeken": 1, "q": q})))

    assert found("wolfingh") == {jansen.leerling.naam}  # accents folded (PostgreSQL unaccent)
    assert found("aisha wolf") == {jansen.leerling.naam}  # every word must match
    assert found(str(other.leerling_id)) == {other.leerling.naam}
    assert found("Praktijk") == {other.leerling.naam}
    assert jansen.leerling.naam in found("School A")
    assert found("TLV aanvraag indienen") == {world.hv_a_ingediend.leerling.naam}


def test_search_needs_three_characters(client, world):
    login(client, world.coordinator_a)
    response = client.get(LIJST, {"zoeken": 1, "q": "ab"})
    assert "Zoek op minstens 3 tekens." in response.content.decode()


def test_filters_type_status_school_coordinator_label_and_dates(client, world):
    label = LabelFactory(organisatie=world.org, naam="Spoed")
    world.hv_a_ingediend.labels.add(label)
    world.hv_a_ingediend.coordinator = world.loket
    world.hv_a_ingediend.save()
    Hulpvraag.objects.filter(pk=world.hv_a_voorlopig.pk).update(hulpvraagdatum=dt.date(2024, 1, 15))
    login(client, world.loket)

    def found(**filters):
        return set(rows(client.get(LIJST, {"zoeken": 1, **filters})))

    a, b = world.hv_a_ingediend.leerling.naam, world.hv_b_ingediend.leerling.naam
    assert found(type="FA") == {b}
    assert found(status="TLV aanvraag indienen") == {a}
    assert found(school=world.school_b.pk) == {b}
    assert found(coordinator=world.loket.pk) == {a}
    assert found(label=label.pk) == {a}
    assert found(van="01-01-2020") == {a, b}
    login(client, world.coordinator_a)
    assert set(rows(client.get(LIJST, {"zoeken": 1, "tot": "31-01-2024"}))) == {
        world.hv_a_voorlopig.leerling.naam
    }
    response = client.get(LIJST, {"zoeken": 1, "van": "01-02-2024", "tot": "01-01-2024"})
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()


def test_a_name_with_an_apostrophe_is_found_and_shown_escaped(client, world):
    """The factories never make such names at random (tests/factories.py); this one is fixed."""
    hv = hv_for(world.school_a, achternaam="van 't Riet", roepnaam="Daan")
    login(client, world.coordinator_a)
    response = client.get(LIJST, {"zoeken": 1, "q": "van 't riet"})
    assert rows(response) == ["Daan van 't Riet"]
    assert "van &#x27;t Riet" in response.content.decode()
    detail = client.get(reverse("hulpvragen:detail", args=[hv.pk])).content.decode()
    assert "Daan van &#x27;t Riet" in detail and "van 't Riet" not in detail


def test_markup_in_names_is_escaped_in_rows_and_filter_options(client, world):
    """Rows and the filter selects are built with format_html (lijst.rij_html, LichteSelect):
    every value is escaped, the chosen filter stays selected."""
    label = LabelFactory(organisatie=world.org, naam="<b>Spoed</b> & zo")
    world.school_a.naam = 'School "A" <i>'
    world.school_a.save()
    hv_for(world.school_a, achternaam="<script>x</script>", roepnaam="Eé")
    login(client, world.loket)
    body = client.get(LIJST, {"zoeken": 1, "label": label.pk}).content.decode()
    assert f'<option value="{label.pk}" selected>&lt;b&gt;Spoed&lt;/b&gt; &amp; zo</option>' in body
    assert '<select name="label" id="id_label">' in body
    login(client, world.coordinator_a)
    body = client.get(LIJST, {"zoeken": 1, "q": "script"}).content.decode()
    assert "<script>x</script>" not in body and "&lt;script&gt;x&lt;/script&gt;" in body
    assert "School &quot;A&quot; &lt;i&gt;" in body
    assert rows(client.get(LIJST, {"zoeken": 1, "q": "script"})) == ["Eé <script>x</script>"]


def test_search_is_remembered_across_sessions_until_wissen(client, world):
    # A fixed surname: a Faker one can be shorter than the 3 characters a search needs ("VI").
    target = hv_for(world.school_a, achternaam="Oudewaterhof").leerling
    login(client, world.coordinator_a)
    client.get(LIJST, {"zoeken": 1, "q": target.achternaam, "type": "TLV_VSO"})
    client.logout()
    login(client, world.coordinator_a)
    response = client.get(LIJST)
    # The search box shows it again, and only the pupil searched for is listed.
    assert 'value="Oudewaterhof"' in response.content.decode()
    assert rows(response) == [target.naam]
    response = client.post(reverse("hulpvragen:wissen"))
    assert response.status_code == 302
    assert LijstVoorkeur.objects.get(gebruiker=world.coordinator_a).filters == {}
    assert len(rows(client.get(LIJST))) == 3


def test_sortable_headers_with_triangles(client, world):
    older = world.hv_a_voorlopig
    Hulpvraag.objects.filter(pk=older.pk).update(
        laatste_datum=timezone.now() - dt.timedelta(days=3)
    )
    login(client, world.coordinator_a)
    response = client.get(LIJST)
    body = response.content.decode()
    assert 'aria-sort="descending"' in body and "▼" in body
    assert rows(response)[-1] == older.leerling.naam
    response = client.get(LIJST, {"sortering": "laatste_datum"})
    assert rows(response)[0] == older.leerling.naam
    assert "▲" in response.content.decode()
    # The sort is remembered too.
    assert rows(client.get(LIJST))[0] == older.leerling.naam
    Leerling.objects.filter(pk=world.hv_a_voorlopig.leerling_id).update(achternaam="Zwart")
    Leerling.objects.filter(pk=world.hv_a_ingediend.leerling_id).update(achternaam="Aalders")
    response = client.get(LIJST, {"sortering": "naam"})
    assert [n.split()[-1] for n in rows(response)] == ["Aalders", "Zwart"]


def test_column_chooser_saves_columns_and_order_per_user(client, world):
    login(client, world.coordinator_a)
    url = reverse("hulpvragen:kolommen")
    assert "Kolommenkiezer" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "toon_geboortedatum": "1",
            "volgorde_geboortedatum": "1",
            "toon_naam": "1",
            "volgorde_naam": "2",
            "toon_status": "1",
            "volgorde_status": "3",
        },
    )
    assert response.status_code == 302
    assert headers(client.get(LIJST)) == ["Geboortedatum", "Leerling", "Status"]
    # Another user keeps the default columns.
    login(client, world.bestuurder_a)
    assert "Dossiernummer" in headers(client.get(LIJST))
    login(client, world.coordinator_a)
    assert "Kies minstens één kolom." in client.post(url, {}).content.decode()
    client.post(url, {"standaard": "1"})
    assert "Dossiernummer" in headers(client.get(LIJST))


def test_volledig_scherm_toggle_is_remembered(client, world):
    login(client, world.coordinator_a)
    client.post(reverse("hulpvragen:volledig_scherm"))
    assert "inhoud--volledig" in client.get(LIJST).content.decode()
    client.post(reverse("hulpvragen:volledig_scherm"))
    assert "inhoud--volledig" not in client.get(LIJST).content.decode()


def test_keyset_pagination_walks_forward_and_back_without_gaps(client, world):
    base = timezone.now()
    for i in range(23):
        hv = hv_for(world.school_a, achternaam=f"Leerling{i:02d}")
        # Ties on purpose: several rows share one laatste_datum; id breaks them.
        Hulpvraag.objects.filter(pk=hv.pk).update(laatste_datum=base - dt.timedelta(hours=i // 3))
    login(client, world.coordinator_a)
    seen, response = [], client.get(LIJST, {"per": 10})
    pages = [rows(response)]
    while 'rel="next"' in response.content.decode():
        cursor = re.search(r'href="\?na=([^&"]+)', response.content.decode()).group(1)
        response = client.get(LIJST, {"per": 10, "na": cursor})
        pages.append(rows(response))
    for page in pages:
        seen.extend(page)
    assert [len(p) for p in pages] == [10, 10, 5]
    assert len(seen) == len(set(seen)) == 25
    cursor = re.search(r'href="\?voor=([^&"]+)', response.content.decode()).group(1)
    assert rows(client.get(LIJST, {"per": 10, "voor": cursor})) == pages[1]
    # A broken cursor is just the first page.
    assert rows(client.get(LIJST, {"per": 10, "na": "kapot!"})) == pages[0]


@pytest.mark.parametrize("per", [10, 25, 100])
def test_queries_per_page_do_not_depend_on_page_size_or_rows(client, world, per):
    label = LabelFactory(organisatie=world.org)
    login(client, world.coordinator_a)
    client.post(
        reverse("hulpvragen:kolommen"),
        {f"toon_{k}": "1" for k in ("naam", "status", "school", "coordinator", "labels")},
    )
    with CaptureQueriesContext(connection) as cold:
        client.get(LIJST, {"per": per})
    with CaptureQueriesContext(connection) as few:
        client.get(LIJST, {"per": per})
    for i in range(30):
        hv_for(world.school_a, achternaam=f"Extra{i}").labels.add(label)
    with CaptureQueriesContext(connection) as many:
        assert len(rows(client.get(LIJST, {"per": per}))) == min(per, 32)
    # The first request fills the organisation's cached list data (statuses, lokets, schools,
    # labels: 4 queries). After that: session, user, second-factor device, saved preferences,
    # the user's schools (school role), the ids with the count (on SQLite a separate count),
    # the rows, their labels, the audit insert and the user's drafts.
    assert len(cold) == len(few) + 4
    assert len(many) == len(few) <= (10 if connection.vendor == "postgresql" else 11)


def test_list_view_writes_an_audit_record(client, world):
    login(client, world.coordinator_a)
    client.get(LIJST)
    record = Inzage.objects.get(gebruiker=world.coordinator_a, onderdeel="lijst")
    assert record.actie == "bekeken"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()


def test_coordinator_list_of_other_school_user_is_separate(client, world):
    other = UserFactory(organisatie=world.org, rol="school", scholen=[world.school_b])
    login(client, other)
    assert rows(client.get(LIJST)) == [world.hv_b_ingediend.leerling.naam]


def test_queries_per_page_are_the_same_for_10_and_10000_hulpvragen(client, world):
    """The list's SQL does not grow with the organisation's size (keyset pagination, a
    capped count): 10 hulpvragen or 10,000, the same queries for a page of 100."""
    voorbeeld = hv_for(world.school_a, achternaam="Voorbeeld")
    leerling, sg = voorbeeld.leerling, voorbeeld.schoolgegevens

    def erbij(n: int, start: int) -> None:
        # Bulk copies of one real hulpvraag (its pupil and schoolgegevens too): set-up only.
        leerlingen = Leerling.objects.bulk_create(
            [
                Leerling(
                    organisatie_id=leerling.organisatie_id,
                    voornamen="Kim",
                    roepnaam="Kim",
                    achternaam=f"Massa{start + i:05d}",
                    geboortedatum=leerling.geboortedatum,
                    geslacht=leerling.geslacht,
                )
                for i in range(n)
            ]
        )
        sgs = SchoolgegevensFactory._meta.model.objects.bulk_create(
            [
                SchoolgegevensFactory._meta.model(
                    organisatie_id=sg.organisatie_id,
                    leerling=ll,
                    school_id=sg.school_id,
                    leerjaar=sg.leerjaar,
                    aanvrager_id=sg.aanvrager_id,
                    email=sg.email,
                    begindatum=sg.begindatum,
                )
                for ll in leerlingen
            ]
        )
        nu = timezone.now()
        Hulpvraag.objects.bulk_create(
            [
                Hulpvraag(
                    organisatie_id=voorbeeld.organisatie_id,
                    leerling=s.leerling,
                    schoolgegevens=s,
                    type=voorbeeld.type,
                    proces_id=voorbeeld.proces_id,
                    status_id=voorbeeld.status_id,
                    hulpvraagdatum=voorbeeld.hulpvraagdatum,
                    laatste_datum=nu,
                    aangemaakt_door_id=voorbeeld.aangemaakt_door_id,
                )
                for s in sgs
            ]
        )

    erbij(7, 0)  # with the world's two and the example: 10
    login(client, world.coordinator_a)
    client.get(LIJST, {"per": 100})  # preferences written once
    with CaptureQueriesContext(connection) as tien:
        assert len(rows(client.get(LIJST, {"per": 100}))) == 10
    erbij(9_990, 7)
    assert Hulpvraag.objects.filter(schoolgegevens__school=world.school_a).count() == 10_000
    with CaptureQueriesContext(connection) as tienduizend:
        response = client.get(LIJST, {"per": 100})
    assert len(rows(response)) == 100
    assert "Meer dan 1000 hulpvragen" in response.content.decode()
    assert len(tienduizend) == len(tien)
