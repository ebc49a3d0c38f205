"""The one audit log: written by every beheer view of pupil data, searched by the beheerder, and
unchangeable through the application."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Beveiligingsgebeurtenis, Gebeurtenis
from accounts.services import beveiliging_log
from audit.models import AppendOnlyError, Inzage, InzageActie
from beheer.models import Schoolwijziging
from tests.helpers import login

pytestmark = pytest.mark.django_db

URL = reverse("beheer:auditlog")


def _rows(leerling_id=None):
    qs = Inzage.objects.all()
    return qs.filter(leerling_id=leerling_id) if leerling_id else qs


def test_every_beheer_view_of_pupil_data_leaves_exactly_one_record(client, world):
    leerling = world.hv_a_ingediend.leerling
    login(client, world.beheerder)
    client.post(reverse("beheer:inzage_export", args=[leerling.pk]))
    assert _rows(leerling.pk).filter(actie=InzageActie.BEKEKEN).count() == 1

    login(client, world.loket)
    voor = Inzage.objects.count()
    client.get(reverse("beheer:school_sluiten", args=[world.school_a.pk]))
    assert Inzage.objects.count() == voor + 1
    record = Inzage.objects.latest("op", "id")
    assert (record.gebruiker, record.onderdeel) == (world.loket, "school")
    assert leerling.achternaam not in record.details  # never content


def test_a_personeelswijziging_is_recorded_per_hulpvraag(client, world):
    from tests.factories import UserFactory

    opvolger = UserFactory(
        organisatie=world.org, rol="school", scholen=[world.school_a], email="o@a.example"
    )
    login(client, world.loket)
    client.post(
        reverse("beheer:personeelswijziging_nieuw"),
        {
            "school": world.school_a.pk,
            "vertrekkend": world.coordinator_a.pk,
            "opvolger": opvolger.pk,
            "ingangsdatum": "01-01-2031",
            "actie": "toepassen",
        },
    )
    gewijzigd = Inzage.objects.filter(actie=InzageActie.GEWIJZIGD, onderdeel="personeelswijziging")
    assert set(gewijzigd.values_list("hulpvraag_id", flat=True)) == {
        world.hv_a_ingediend.pk,
        world.hv_a_voorlopig.pk,
    }


def test_search_by_pupil_user_and_period(client, world, django_assert_max_num_queries):
    leerling = world.hv_a_ingediend.leerling
    for user in (world.loket, world.deskundige):
        Inzage.objects.create(
            organisatie=world.org,
            gebruiker=user,
            actie=InzageActie.BEKEKEN,
            onderdeel="hulpvraag",
            leerling_id=leerling.pk,
            hulpvraag_id=world.hv_a_ingediend.pk,
        )
    Inzage.objects.create(
        organisatie=world.org,
        gebruiker=world.loket,
        actie=InzageActie.BEKEKEN,
        onderdeel="hulpvraag",
        leerling_id=world.hv_b_ingediend.leerling_id,
    )
    beveiliging_log(gebeurtenis=Gebeurtenis.LOGIN_GELUKT, gebruiker=world.loket, ip="10.1.2.3")
    login(client, world.beheerder)

    with django_assert_max_num_queries(8):
        html = client.get(URL, {"dossier": leerling.pk}).content.decode()
    assert html.count("<td>hulpvraag</td>") == 2
    assert escape(str(world.deskundige)) in html.split("<tbody>")[1]

    # A BSN is posted, never put in a URL: the answer redirects to the dossier number.
    response = client.post(URL, {"bsn": leerling.bsn})
    assert response.status_code == 302 and leerling.bsn not in response.url
    assert response.url.endswith(f"?dossier={leerling.pk}")
    html = client.get(response.url).content.decode()
    assert html.count("<td>hulpvraag</td>") == 2
    assert "Niets gevonden." not in client.get(URL, {"bsn": leerling.bsn}).content.decode()
    assert "<tbody>" not in client.get(URL, {"bsn": leerling.bsn}).content.decode()

    html = client.get(URL, {"gebruiker": world.loket.pk}).content.decode()
    resultaat = html.split("<tbody>")[1]
    assert resultaat.count("<td>hulpvraag</td>") == 2  # both pupils
    assert "Inloggen gelukt" in resultaat and "10.1.2.3" in resultaat
    assert escape(str(world.deskundige)) not in resultaat

    morgen = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d-%m-%Y")
    html = client.get(URL, {"van": morgen}).content.decode()
    assert "Niets gevonden." in html

    # Another SWV's pupil or an unknown BSN finds nothing.
    response = client.post(URL, {"bsn": world.hv_other_org.leerling.bsn})
    assert response.status_code == 200
    assert "Er is geen leerling met dit BSN." in response.content.decode()
    assert "<tbody>" not in response.content.decode()


def test_pages_with_a_cursor_and_never_a_full_count(client, world):
    leerling_id = world.hv_a_ingediend.leerling_id
    Inzage.objects.bulk_create(
        Inzage(
            organisatie=world.org,
            gebruiker=world.loket,
            actie=InzageActie.BEKEKEN,
            onderdeel=f"tab{i}",
            leerling_id=leerling_id,
        )
        for i in range(60)
    )
    login(client, world.beheerder)
    with CaptureQueriesContext(connection) as q:
        html = client.get(URL, {"dossier": leerling_id}).content.decode()
    assert not any("COUNT(" in x["sql"].upper() for x in q.captured_queries)
    assert html.count("<tr><td>") == 50
    volgende = html.split("&amp;na=")[1].split('"')[0]
    html2 = client.get(f"{URL}?dossier={leerling_id}&na={volgende}".replace("&amp;", "&"))
    assert html2.content.decode().count("<tr><td>") == 10


def test_the_log_cannot_be_changed_through_the_application(client, world):
    record = Inzage.objects.create(
        organisatie=world.org, gebruiker=world.loket, actie="bekeken", onderdeel="x"
    )
    beveiliging = beveiliging_log(gebeurtenis=Gebeurtenis.LOGIN_GELUKT, gebruiker=world.loket)
    for model, obj in ((Inzage, record), (Beveiligingsgebeurtenis, beveiliging)):
        with pytest.raises(AppendOnlyError):
            model.objects.all().update(ip=None) if model is Beveiligingsgebeurtenis else (
                model.objects.all().update(onderdeel="y")
            )
        with pytest.raises(AppendOnlyError):
            model.objects.all().delete()
        with pytest.raises(AppendOnlyError):
            obj.save()
        with pytest.raises(AppendOnlyError):
            obj.delete()
    # No admin page offers adding, changing or deleting audit rows, not even to a superuser.
    for model in (Inzage, Beveiligingsgebeurtenis, Schoolwijziging):
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            continue
        request = type("R", (), {"user": world.beheerder})()
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request, None)
        assert not model_admin.has_delete_permission(request, None)
    # The search screen only reads: a POST (the BSN search) only redirects to the search.
    login(client, world.beheerder)
    aantal = Inzage.objects.count()
    response = client.post(URL, {"dossier": record.leerling_id or 1, "actie": "x", "op": "x"})
    assert response.status_code == 302
    assert Inzage.objects.count() == aantal
    assert client.put(URL).status_code == 405 and client.delete(URL).status_code == 405
    record.refresh_from_db()
    assert record.onderdeel == "x"


@pytest.mark.parametrize("persona", ["loket", "coordinator_a", "deskundige", "outsider"])
def test_only_the_beheerder(client, world, persona):
    login(client, getattr(world, persona))
    assert client.get(URL, {"dossier": 1}).status_code == 404
