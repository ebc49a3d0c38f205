"""Admin for the beheerder: processes with their statuses and transitions, validated as a whole,
versioned when in use, shown as an SVG diagram; only the own organisation."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.db.models import Q
from django.urls import reverse
from django.utils.html import escape

from hulpvragen.diagram import proces_overgangen_lijst, proces_svg
from hulpvragen.models import Proces, Status, TypePerSector
from hulpvragen.process_validation import vereiste_statussen
from tests.helpers import login

pytestmark = pytest.mark.django_db


def change_url(proces):
    return reverse("admin:hulpvragen_proces_change", args=[proces.pk])


def changelist_url():
    return reverse("admin:hulpvragen_proces_changelist")


def form_data(response) -> dict:
    """What the browser would post back from this admin page unchanged."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        if not field.disabled:
            data[name] = form[name].value()
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value is False or value is None:
                    continue
                data[sub.add_prefix(name)] = "on" if value is True else value
    return {k: v for k, v in data.items() if v is not None}


def bag(world):
    return Proces.objects.get(organisatie=world.org, type="BAG", actief=True)


def test_beheerder_sees_own_processes_with_diagram(client, world, django_assert_max_num_queries):
    login(client, world.beheerder)
    response = client.get(changelist_url())
    assert response.status_code == 200
    assert {p.organisatie_id for p in response.context["cl"].queryset} == {world.org.pk}
    assert response.context["cl"].result_count == 5
    with django_assert_max_num_queries(25):  # measured 20: not one query per row or select
        page = client.get(change_url(bag(world)))
    body = page.content.decode()
    assert "<svg" in body and "BAG geagendeerd" in body
    assert "Het proces is geldig." in body
    assert 'name="overgangen-0-van"' in body  # editable: no hulpvraag uses BAG yet


def test_other_organisations_process_is_404(client, world):
    login(client, world.beheerder)
    elders = Proces.objects.get(organisatie=world.other_org, type="BAG")
    assert client.get(change_url(elders)).status_code == 404


def test_loket_may_only_look(client, world):
    login(client, world.loket)
    assert client.get(change_url(bag(world))).status_code == 200
    response = client.post(change_url(bag(world)), {})
    assert response.status_code == 403


def test_an_invalid_change_to_an_active_process_is_refused(client, world):
    login(client, world.beheerder)
    proces = bag(world)
    data = form_data(client.get(change_url(proces)))
    prefix = "statussen"
    n = int(data[f"{prefix}-TOTAL_FORMS"]) - 1  # the empty extra form
    data[f"{prefix}-{n}-naam"] = "BAG wachtlijst"
    data[f"{prefix}-{n}-kiezen_door"] = "swv"
    data[f"{prefix}-{n}-volgorde"] = "9"
    response = client.post(change_url(proces), data)
    assert response.status_code == 200
    assert "De status “BAG wachtlijst” is niet bereikbaar vanuit de beginstatus." in (
        response.content.decode()
    )
    assert not Status.objects.filter(naam="BAG wachtlijst").exists()


def test_a_valid_change_to_an_unused_active_process_is_saved(client, world):
    login(client, world.beheerder)
    proces = bag(world)
    data = form_data(client.get(change_url(proces)))
    status = proces.statussen.get(naam="BAG geagendeerd")
    index = next(
        k.split("-")[1]
        for k, v in data.items()
        if k.startswith("statussen-") and k.endswith("-id") and str(v) == str(status.pk)
    )
    data[f"statussen-{index}-omschrijving"] = "Nieuwe instructie voor de school."
    response = client.post(change_url(proces), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    status.refresh_from_db()
    assert status.omschrijving == "Nieuwe instructie voor de school."


def test_process_in_use_is_read_only_and_changes_through_a_new_version(
    client, world, new_hulpvraag
):
    hulpvraag = new_hulpvraag("SV")
    v1 = hulpvraag.proces
    login(client, world.beheerder)
    page = client.get(change_url(v1)).content.decode()
    assert "SV aanvraag indienen" in page
    assert 'name="statussen-0-naam"' not in page  # view only
    assert client.post(change_url(v1), {}).status_code == 403

    response = client.post(
        changelist_url(), {"action": "nieuwe_versie", "_selected_action": [v1.pk]}, follow=True
    )
    assert (
        "Versie 2 van het proces Schakelvoorziening is gemaakt (nog niet actief)."
        in response.content.decode()
    )
    v2 = Proces.objects.get(organisatie=world.org, type="SV", versie=2)
    assert not v2.actief

    # A draft may be saved half-done: a new, not yet reachable status gives a warning.
    data = form_data(client.get(change_url(v2)))
    n = int(data["statussen-TOTAL_FORMS"]) - 1
    data.update({f"statussen-{n}-naam": "SV wachtlijst", f"statussen-{n}-kiezen_door": "swv"})
    response = client.post(change_url(v2), data, follow=True)
    body = response.content.decode()
    assert "nog niet geldig" in body and "“SV wachtlijst” is niet bereikbaar" in body
    assert v2.statussen.filter(naam="SV wachtlijst").exists()

    response = client.post(
        changelist_url(), {"action": "activeren", "_selected_action": [v2.pk]}, follow=True
    )
    assert "is niet geactiveerd" in response.content.decode()
    v1.refresh_from_db()
    assert v1.actief

    v2.statussen.filter(naam="SV wachtlijst").delete()
    response = client.post(
        changelist_url(), {"action": "activeren", "_selected_action": [v2.pk]}, follow=True
    )
    assert "is nu actief" in response.content.decode()
    v1.refresh_from_db()
    hulpvraag.refresh_from_db()
    assert not v1.actief and hulpvraag.proces == v1


def test_loket_has_no_actions(client, world):
    login(client, world.loket)
    response = client.post(
        changelist_url(), {"action": "activeren", "_selected_action": [bag(world).pk]}
    )
    assert Proces.objects.filter(organisatie=world.org, actief=True).count() == 5
    assert response.status_code in (200, 302, 403)


def test_types_per_sector_admin_is_scoped(client, world):
    login(client, world.beheerder)
    response = client.get(reverse("admin:hulpvragen_typepersector_changelist"))
    assert response.status_code == 200
    assert set(response.context["cl"].queryset) == set(
        TypePerSector.objects.filter(organisatie=world.org)
    )


def test_diagram_escapes_names_and_draws_every_transition(world):
    proces = bag(world)
    proces.statussen.filter(naam="BAG geagendeerd").update(naam="<script>x</script>")
    svg = proces_svg(proces)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count('class="diagram-overgang"') == proces.overgangen.count()
    assert svg.count('class="diagram-status"') == proces.statussen.count()
    lijst = proces_overgangen_lijst(proces)
    assert "<script>" not in lijst and "&lt;script&gt;" in lijst
    assert "bijlage toegevoegd" not in svg  # BAG has no automatic transitions
    tlv = Proces.objects.get(organisatie=world.org, type="TLV_VSO")
    assert proces_svg(tlv).count("bijlage toegevoegd") == 2


NS = "{http://www.w3.org/2000/svg}"


def _diagram(client, proces):
    import re
    import xml.etree.ElementTree as ET

    body = client.get(change_url(proces)).content.decode()
    svg = re.search(r"<svg[^>]*procesdiagram.*?</svg>", body, re.S).group(0)
    return body, ET.fromstring(svg)  # well-formed


def _bezier_punten(d: str) -> list[tuple[float, float]]:
    """Points along an SVG path of M and C commands (each cubic sampled 40 times)."""
    import re

    getallen = [float(g) for g in re.findall(r"-?\d+(?:\.\d+)?", d)]
    punten = list(zip(getallen[::2], getallen[1::2], strict=True))
    uit = [punten[0]]
    for k in range(1, len(punten) - 2, 3):
        p0, p1, p2, p3 = punten[k - 1], punten[k], punten[k + 1], punten[k + 2]
        for n in range(1, 41):
            t = n / 40
            a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
            uit.append(
                (
                    a * p0[0] + b * p1[0] + c * p2[0] + e * p3[0],
                    a * p0[1] + b * p1[1] + c * p2[1] + e * p3[1],
                )
            )
    return uit


def _vak(rect) -> tuple[float, float, float, float]:
    x, y = float(rect.get("x")), float(rect.get("y"))
    return x, y, x + float(rect.get("width")), y + float(rect.get("height"))


def _overlapt(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("type_", ["TLV_VSO", "FA", "PRO", "SV", "BAG"])
def test_each_process_is_drawn_with_every_status_and_transition(client, world, type_):
    """The admin shows each process as a picture. The change page of every shipped
    process holds one well-formed SVG with a box per status, an arrow per transition, each
    labelled with its party or event; FA afgegeven, final with its follow-up, has the thick
    border of a final status. Beside it the transitions as a plain list."""
    proces = Proces.objects.get(organisatie=world.org, type=type_, actief=True)
    login(client, world.beheerder)
    body, root = _diagram(client, proces)
    statusvakken = root.findall(f"{NS}rect[@class='diagram-status']")
    assert len(statusvakken) == proces.statussen.count()
    overgangen = root.findall(f"{NS}g[@class='diagram-overgang']")
    assert len(overgangen) == proces.overgangen.count()
    for g in overgangen:
        assert g.find(f"{NS}path") is not None and g.find(f"{NS}polygon") is not None
    teksten = [t.text for t in root.iter(f"{NS}text")]
    for status in proces.statussen.all():
        assert status.naam in teksten
    automatisch = proces.overgangen.exclude(trigger="handmatig").count()
    assert teksten.count("bijlage toegevoegd") == automatisch
    handmatig = teksten.count("school") + teksten.count("SWV")
    assert handmatig == proces.overgangen.filter(trigger="handmatig").count()
    if type_ == "FA":
        volgorde = {t.text: i for i, t in enumerate(root.iter(f"{NS}text"))}
        dik = [r for r in statusvakken if r.get("stroke-width") == "3"]
        assert len(dik) == proces.statussen.filter(eindstatus=True).count()
        assert "FA afgegeven" in volgorde
    # The plain list: one sentence per transition, named by both statuses and who takes it.
    assert 'aria-describedby="diagram-overgangen"' in body
    lijst = body[body.index('id="diagram-overgangen"') :]
    lijst = lijst[: lijst.index("</ul>")]
    assert lijst.count("<li>") == proces.overgangen.count()
    for o in proces.overgangen.select_related("van", "naar"):
        assert f"Van “{o.van.naam}” naar “{o.naar.naam}”" in lijst


@pytest.mark.parametrize("type_", ["TLV_VSO", "FA", "PRO", "SV", "BAG"])
def test_no_label_overlaps_another_label_a_status_or_a_foreign_arrow(client, world, type_):
    """Every arrow label's box (rect.diagram-label, its width from Graphviz's text metrics plus
    2 px either side) is clear of every other label, every status box and every arrow but its
    own (each arrow sampled along its Bézier curves, and its arrowhead's corners)."""
    proces = Proces.objects.get(organisatie=world.org, type=type_, actief=True)
    login(client, world.beheerder)
    _body, root = _diagram(client, proces)
    labels, lijnen = [], []
    for g in root.findall(f"{NS}g[@class='diagram-overgang']"):
        i = int(g.get("data-overgang"))
        labels.append((i, _vak(g.find(f"{NS}rect[@class='diagram-label']"))))
        punten = _bezier_punten(g.find(f"{NS}path").get("d"))
        punten += _bezier_punten("M" + g.find(f"{NS}polygon").get("points").replace(" ", " "))
        lijnen.append((i, punten))
    statussen = [_vak(r) for r in root.findall(f"{NS}rect[@class='diagram-status']")]
    assert len(labels) == proces.overgangen.count()
    for n, (i, vak) in enumerate(labels):
        for j, ander in labels[n + 1 :]:
            assert not _overlapt(vak, ander), (type_, i, j)
        for status in statussen:
            assert not _overlapt(vak, status), (type_, i, status)
        for j, punten in lijnen:
            if j == i:
                continue
            binnen = [(x, y) for x, y in punten if vak[0] < x < vak[2] and vak[1] < y < vak[3]]
            assert not binnen, (type_, "label", i, "arrow", j, binnen[:3])


# --- Removing a status: refused with the real cause; required statuses ------------------------


def _index(data, prefix, pk) -> str:
    return next(
        k.split("-")[1]
        for k, v in data.items()
        if k.startswith(f"{prefix}-") and k.endswith("-id") and str(v) == str(pk)
    )


def _nieuwe_versie(client, proces) -> Proces:
    client.post(changelist_url(), {"action": "nieuwe_versie", "_selected_action": [proces.pk]})
    return Proces.objects.get(
        organisatie=proces.organisatie, type=proces.type, versie=proces.versie + 1
    )


def _pijlen(proces) -> int:
    return proces_svg(proces).count('marker-end="url(#pijl)"')


def test_removing_a_status_that_transitions_use_is_refused_naming_them(client, world):
    """A draft version: before, the status went and silently took its transitions along (the
    diagram lost 5 arrows). Now the page refuses and names every transition that uses it; the
    beheerder ticks those too to remove them knowingly."""
    login(client, world.beheerder)
    v1 = Proces.objects.get(organisatie=world.org, type="TLV_VSO", actief=True)
    v2 = _nieuwe_versie(client, v1)
    compleet = v2.statussen.get(naam="TLV aanvraag compleet")
    assert not compleet.vereist  # our reading, not named in the manual
    overgangen_voor = v2.overgangen.count()
    gebruikt = list(
        v2.overgangen.filter(Q(van=compleet) | Q(naar=compleet)).select_related("van", "naar")
    )
    assert len(gebruikt) >= 3

    data = form_data(client.get(change_url(v2)))
    data[f"statussen-{_index(data, 'statussen', compleet.pk)}-DELETE"] = "on"
    response = client.post(change_url(v2), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "De status “TLV aanvraag compleet” kan niet worden verwijderd" in body
    for o in gebruikt:
        assert escape(f"{o.van.naam} → {o.naar.naam}") in body
    assert "ander proces" not in body
    assert v2.statussen.filter(pk=compleet.pk).exists()
    assert v2.overgangen.count() == overgangen_voor

    # Ticked together with its transitions: it goes, and exactly those transitions with it.
    for o in gebruikt:
        data[f"overgangen-{_index(data, 'overgangen', o.pk)}-DELETE"] = "on"
    response = client.post(change_url(v2), data, follow=True)
    assert response.status_code == 200
    assert not v2.statussen.filter(pk=compleet.pk).exists()
    assert v2.overgangen.count() == overgangen_voor - len(gebruikt)


def test_a_required_status_cannot_be_removed_even_with_its_transitions(client, world):
    login(client, world.beheerder)
    v2 = _nieuwe_versie(client, Proces.objects.get(organisatie=world.org, type="FA", actief=True))
    ingetrokken = v2.statussen.get(naam="FA aanvraag ingetrokken")
    assert ingetrokken.vereist
    data = form_data(client.get(change_url(v2)))
    data[f"statussen-{_index(data, 'statussen', ingetrokken.pk)}-DELETE"] = "on"
    for o in v2.overgangen.filter(naar=ingetrokken):
        data[f"overgangen-{_index(data, 'overgangen', o.pk)}-DELETE"] = "on"
    pijlen = _pijlen(v2)
    body = client.post(change_url(v2), data).content.decode()
    assert "De status “FA aanvraag ingetrokken” kan niet worden verwijderd: de handleiding" in body
    assert v2.statussen.filter(pk=ingetrokken.pk).exists()
    assert _pijlen(v2) == pijlen
    # the page shows which statuses are required
    assert "vereist" in client.get(change_url(v2)).content.decode()


def test_on_an_active_version_the_refusal_names_the_real_cause(client, world):
    login(client, world.beheerder)
    proces = bag(world)  # active, no hulpvraag uses it: editable
    advies = proces.statussen.get(naam="BAG advies uitgebracht")
    data = form_data(client.get(change_url(proces)))
    data[f"statussen-{_index(data, 'statussen', advies.pk)}-DELETE"] = "on"
    body = client.post(change_url(proces), data).content.decode()
    assert "De status “BAG advies uitgebracht” kan niet worden verwijderd" in body
    assert "BAG geagendeerd → BAG advies uitgebracht" in body
    assert "ander proces" not in body
    assert proces.statussen.filter(pk=advies.pk).exists()


def test_a_version_without_a_required_status_is_refused_at_activation(client, world):
    """Renaming is the other way to lose a status the manual prescribes: the draft saves with a
    warning, activation refuses it and says which status is missing, in a Dutch sentence."""
    login(client, world.beheerder)
    v1 = Proces.objects.get(organisatie=world.org, type="PRO", actief=True)
    v2 = _nieuwe_versie(client, v1)
    afwijzing = v2.statussen.get(naam="PrO afwijzing")
    data = form_data(client.get(change_url(v2)))
    data[f"statussen-{_index(data, 'statussen', afwijzing.pk)}-naam"] = "PrO niet toegelaten"
    body = client.post(change_url(v2), data, follow=True).content.decode()
    assert "nog niet geldig" in body
    assert "De status “PrO afwijzing” ontbreekt." in body

    response = client.post(
        changelist_url(), {"action": "activeren", "_selected_action": [v2.pk]}, follow=True
    )
    body = response.content.decode()
    assert "Het proces Praktijkonderwijs v2 is niet geactiveerd" in body
    assert "De status “PrO afwijzing” ontbreekt." in body
    v1.refresh_from_db()
    assert v1.actief


def test_every_shipped_process_marks_the_statuses_the_manual_names_as_required(world):
    for proces in Proces.objects.filter(organisatie=world.org):
        vereist = set(proces.statussen.filter(vereist=True).values_list("naam", flat=True))
        assert vereist == set(vereiste_statussen(proces.type)), proces.type
        assert proces.statussen.get(initieel=True).vereist
        assert any(n.endswith("aanvraag indienen") for n in vereist)


def test_migration_marks_existing_statuses_required(world):
    migratie = importlib.import_module("hulpvragen.migrations.0007_status_vereist")
    Status.objects.update(vereist=False)
    migratie.markeer_vereist(django_apps, None)
    tlv = Proces.objects.get(organisatie=world.other_org, type="TLV_VSO")
    assert tlv.statussen.get(naam="TLV afgegeven").vereist
    assert not tlv.statussen.get(naam="TLV aanvraag compleet").vereist
    assert Status.objects.filter(vereist=True).count() == 2 * sum(
        len(vereiste_statussen(t)) for t in ("TLV_VSO", "FA", "PRO", "SV", "BAG")
    )
