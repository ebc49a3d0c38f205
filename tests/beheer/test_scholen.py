"""School changes (the manual's FAQ "Mijn school verhuist / fuseert / …") through the screens."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from audit.models import AppendOnlyError
from beheer.models import Schoolwijziging, SchoolwijzigingSoort
from hulpvragen.access import hulpvragen_visible_to
from organisaties.models import School
from tests.factories import SchoolFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _velden(school, **extra):
    data = {
        "naam": school.naam,
        "brin": school.brin,
        "vestiging": school.vestiging,
        "bestuur": school.bestuur_id,
        "sector": school.sector,
        "plaats": school.plaats,
    }
    data.update(extra)
    return data


def _zichtbaar(user):
    return set(hulpvragen_visible_to(user).values_list("pk", flat=True))


def test_rename_and_new_brin_are_recorded(client, world):
    login(client, world.loket)
    url = reverse("beheer:school", args=[world.school_a.pk])
    oude_brin = world.school_a.brin
    response = client.post(url, _velden(world.school_a, naam="Het Nieuwe College", brin="99ZZ"))
    assert response.status_code == 302
    world.school_a.refresh_from_db()
    assert (world.school_a.naam, world.school_a.brin) == ("Het Nieuwe College", "99ZZ")
    soorten = {w.soort: w for w in Schoolwijziging.objects.filter(school=world.school_a)}
    assert set(soorten) == {SchoolwijzigingSoort.HERNOEMD, SchoolwijzigingSoort.BRIN}
    assert soorten[SchoolwijzigingSoort.BRIN].oud == {"brin": oude_brin}
    assert soorten[SchoolwijzigingSoort.HERNOEMD].door == world.loket
    html = client.get(url).content.decode()
    assert "naam: School A" in html and "naam: Het Nieuwe College" in html
    assert "Nieuwe BRIN of vestiging" in html and "BRIN: 99ZZ" in html
    # Dossiers stay with the school: the coordinator still sees them.
    assert world.hv_a_ingediend.pk in _zichtbaar(world.coordinator_a)


def test_invalid_brin_is_refused(client, world):
    login(client, world.loket)
    url = reverse("beheer:school", args=[world.school_a.pk])
    response = client.post(url, _velden(world.school_a, brin="xx"))
    assert response.status_code == 200
    assert not Schoolwijziging.objects.exists()


def test_move_to_another_bestuur_moves_the_bevoegd_gezag_access(client, world):
    assert world.hv_a_ingediend.pk in _zichtbaar(world.bestuurder_a)
    login(client, world.beheerder)
    bestuur_b = world.school_b.bestuur
    client.post(
        reverse("beheer:school", args=[world.school_a.pk]),
        _velden(world.school_a, bestuur=bestuur_b.pk),
    )
    assert world.hv_a_ingediend.pk not in _zichtbaar(world.bestuurder_a)
    wijziging = Schoolwijziging.objects.get(soort=SchoolwijzigingSoort.BESTUUR)
    assert wijziging.oud == {"bestuur_id": world.bestuur_a.pk}
    # The history reads as Dutch: the besturen by name, not "bestuur_id: 2".
    html = client.get(reverse("beheer:school", args=[world.school_a.pk])).content.decode()
    assert "Ander bestuur" in html
    assert f"bestuur: {escape(world.bestuur_a.naam)}" in html
    assert f"bestuur: {escape(bestuur_b.naam)}" in html
    assert "bestuur_id" not in html


def test_merge_keeps_every_dossier_reachable_for_the_right_people_only(client, world):
    hv_a = {world.hv_a_voorlopig.pk, world.hv_a_ingediend.pk}
    hv_b = {world.hv_b_ingediend.pk}
    loket_voor = _zichtbaar(world.loket)
    login(client, world.loket)
    url = reverse("beheer:school_samenvoegen", args=[world.school_a.pk])
    check = client.post(url, {"doel": world.school_b.pk, "actie": "controleren"}).content.decode()
    assert "weet u het zeker" in check
    assert escape(world.hv_a_ingediend.leerling.naam) in check  # listed through the access module
    assert escape(world.hv_a_voorlopig.leerling.naam) not in check  # the loket may not see it
    assert not Schoolwijziging.objects.exists()

    response = client.post(url, {"doel": world.school_b.pk, "actie": "bevestigen"})
    assert response.status_code == 302
    world.school_a.refresh_from_db()
    assert not world.school_a.actief
    # School A's coordinator moved with the school and still sees its dossiers, and now B's.
    assert list(world.coordinator_a.scholen.all()) == [world.school_b]
    assert _zichtbaar(world.coordinator_a) == hv_a | hv_b
    assert _zichtbaar(world.collega_b) == hv_a | hv_b
    # The loket sees what it saw; the board of A no longer (the school is B's board's now).
    assert _zichtbaar(world.loket) == loket_voor
    assert _zichtbaar(world.bestuurder_a) == set()
    assert _zichtbaar(world.outsider) == {world.hv_other_org.pk}
    # History: which Schoolgegevens came from A.
    wijziging = Schoolwijziging.objects.get(soort=SchoolwijzigingSoort.SAMENGEVOEGD)
    assert wijziging.doel == world.school_b
    assert set(wijziging.oud["schoolgegevens"]) == {
        world.hv_a_voorlopig.schoolgegevens_id,
        world.hv_a_ingediend.schoolgegevens_id,
    }
    # The merge shows on both schools' pages.
    bron = client.get(reverse("beheer:school", args=[world.school_a.pk])).content.decode()
    assert "Samengevoegd met School B (die school gaat door)" in bron
    assert "2 dossiers, 1 account" in bron
    doel = client.get(reverse("beheer:school", args=[world.school_b.pk])).content.decode()
    assert "School A is samengevoegd met deze school" in doel
    assert "2 dossiers overgenomen" in doel


def test_close_lists_open_hulpvragen_and_moves_them(client, world):
    nieuwe = SchoolFactory(organisatie=world.org, bestuur=world.bestuur_a, naam="Nieuwe School")
    login(client, world.loket)
    url = reverse("beheer:school_sluiten", args=[world.school_a.pk])
    html = client.get(url).content.decode()
    assert escape(world.hv_a_ingediend.leerling.naam) in html
    assert "1 open hulpvraag die u niet kunt inzien" in html
    client.post(url, {"doel": nieuwe.pk, "actie": "bevestigen"})
    world.school_a.refresh_from_db()
    assert not world.school_a.actief
    world.hv_a_ingediend.schoolgegevens.refresh_from_db()
    assert world.hv_a_ingediend.schoolgegevens.school == nieuwe
    assert Schoolwijziging.objects.get().soort == SchoolwijzigingSoort.GESLOTEN
    doel = client.get(reverse("beheer:school", args=[nieuwe.pk])).content.decode()
    assert "School A is opgeheven" in doel
    assert "2 dossiers met een open hulpvraag overgenomen" in doel


def test_a_closed_schools_form_is_read_only(client, world):
    login(client, world.loket)
    client.post(reverse("beheer:school_sluiten", args=[world.school_a.pk]), {"actie": "bevestigen"})
    world.school_a.refresh_from_db()
    assert not world.school_a.actief
    url = reverse("beheer:school", args=[world.school_a.pk])
    html = client.get(url).content.decode()
    assert "Deze school is opgeheven. Haar gegevens blijven als historie bewaard" in html
    assert "<form" not in html.split('id="historie-kop"')[0].split("<main")[-1]
    assert 'name="naam"' not in html and ">Opslaan<" not in html
    assert "Opgeheven" in html
    # A post (an old tab) changes nothing.
    response = client.post(url, _velden(world.school_a, naam="Toch Anders"), follow=True)
    assert "Deze school is opgeheven; haar gegevens worden niet gewijzigd." in (
        response.content.decode()
    )
    world.school_a.refresh_from_db()
    assert world.school_a.naam == "School A"
    assert Schoolwijziging.objects.count() == 1


def test_new_school(client, world):
    login(client, world.loket)
    response = client.post(
        reverse("beheer:school_nieuw"),
        {
            "naam": "Vrije School",
            "brin": "12AB",
            "vestiging": "01",
            "bestuur": world.bestuur_a.pk,
            "sector": "VO",
            "plaats": "Apeldoorn",
        },
    )
    school = School.objects.get(naam="Vrije School")
    assert response.status_code == 302
    assert school.organisatie == world.org
    assert Schoolwijziging.objects.get(school=school).soort == SchoolwijzigingSoort.NIEUW


def test_history_cannot_be_changed():
    with pytest.raises(AppendOnlyError):
        Schoolwijziging.objects.update(soort="x")
    with pytest.raises(AppendOnlyError):
        Schoolwijziging.objects.all().delete()


def test_list_query_count(client, world, django_assert_max_num_queries):
    for _i in range(20):
        SchoolFactory(organisatie=world.org, bestuur=world.bestuur_a)
    login(client, world.loket)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("beheer:scholen"))
    assert response.content.decode().count("<tr>") == 23  # header + 22 schools
    assert "School elders" not in response.content.decode()


@pytest.mark.parametrize("persona", ["coordinator_a", "bestuurder_a", "deskundige", "outsider"])
def test_others_get_404(client, world, persona):
    login(client, getattr(world, persona))
    for name in ("school", "school_samenvoegen", "school_sluiten"):
        assert client.get(reverse(f"beheer:{name}", args=[world.school_a.pk])).status_code == 404
    assert client.get(reverse("beheer:scholen")).status_code == 404


def test_another_organisations_school_is_404_for_the_loket(client, world):
    login(client, world.loket)
    url = reverse("beheer:school_samenvoegen", args=[world.school_a.pk])
    response = client.post(url, {"doel": world.school_other.pk, "actie": "bevestigen"})
    assert response.status_code == 200  # the other SWV's school is not a choice
    assert world.school_a.actief
    assert client.get(reverse("beheer:school", args=[world.school_other.pk])).status_code == 404
