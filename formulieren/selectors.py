"""Reads for forms. Every query for a form goes through the access module's hulpvragen."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Rol, User
from accounts.rechten import Recht, mag, mag_formulier_bewerken
from dossiers.lvs import GEEN_PRAKTIJKONDERWIJS
from dossiers.selectors import pro_advies_for, sociaal_emotioneel_samenvatting_for
from formulieren.definities import is_verplicht, vragen
from formulieren.models import Formulier, Ondertekening
from formulieren.weergave import formulier_weergave
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.models import Hulpvraag, HulpvraagType


def formulieren_visible_to(user: User) -> QuerySet[Formulier]:
    return Formulier.objects.filter(hulpvraag__in=hulpvragen_visible_to(user))


def formulier_get_for(*, user: User, pk: int | str) -> Formulier:
    """The form with this id if the user may see its hulpvraag; otherwise 404."""
    try:
        return (
            formulieren_visible_to(user)
            .select_related(
                "definitie",
                "organisatie",
                "hulpvraag__status",
                "hulpvraag__leerling",
                "hulpvraag__schoolgegevens__school__bestuur",
            )
            .get(pk=int(pk))
        )
    except (Formulier.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def formulieren_for_hulpvraag(*, hulpvraag: Hulpvraag) -> QuerySet[Formulier]:
    return hulpvraag.formulieren.select_related("definitie").order_by("definitie__naam")


def formulier_edit_allowed(*, user: User, formulier: Formulier) -> bool:
    """Schools fill in their forms (the access module already limited them to their own
    schools); nobody edits a form of a closed hulpvraag (accounts.rechten decides)."""
    return mag_formulier_bewerken(user, formulier)


class Vooringevuld(dict):
    """Prefilled answers by source. A source in `later` is computed on its first `get`."""

    def __init__(self, waarden: Mapping[str, Any], *, later: Mapping[str, Any]):
        super().__init__(waarden)
        self._later = dict(later)

    def __missing__(self, bron: str) -> Any:
        if bron not in self._later:
            raise KeyError(bron)
        self[bron] = waarde = self._later.pop(bron)()
        return waarde

    def get(self, bron: str, default: Any = None) -> Any:
        try:
            return self[bron]
        except KeyError:
            return default


def formulier_prefill(*, hulpvraag: Hulpvraag) -> dict[str, Any]:
    """The dossier's answers to prefilled questions, by source (dates as ISO text)."""
    leerling = hulpvraag.leerling
    sg = hulpvraag.schoolgegevens
    school = sg.school
    adres = leerling.adressen.op_datum().first()  # in force today (a future one on its date)
    waarden = {
        "leerling.naam": leerling.naam,
        "leerling.voornamen": leerling.voornamen,
        "leerling.geboortedatum": leerling.geboortedatum.isoformat(),
        "leerling.geslacht": str(leerling.get_geslacht_display()),
        "leerling.bsn": leerling.bsn or leerling.onderwijsnummer,
        "leerling.adres": str(adres) if adres else "",
        "school.naam": school.naam,
        "school.brin": school.brin_vestiging,
        "school.bestuur": school.bestuur.naam,
        "schoolgegevens.leerjaar": str(sg.leerjaar_of_groep),
        "schoolgegevens.contactpersoon": sg.contactpersoon,
        "schoolgegevens.email": sg.email,
        "schoolgegevens.telefoon": sg.telefoon,
    }
    # Sources that cost a query of their own are read only when a question uses them.
    return Vooringevuld(
        waarden,
        later={
            "lvs.sociaal_emotioneel": lambda: sociaal_emotioneel_samenvatting_for(leerling=leerling)
        },
    )


def formulier_context(*, hulpvraag: Hulpvraag) -> dict[str, Any]:
    """Facts outside the form that its conditions test. `pro_advies` is the LVS tab's computed
    advice for a PrO hulpvraag ("praktijkonderwijs" or "geen_praktijkonderwijs"), None while it
    cannot be computed (no toetsen yet) or for other types."""
    context: dict[str, Any] = {"pro_advies": None, "pro_advies_tekst": ""}
    if hulpvraag.type != HulpvraagType.PRO:
        return context
    advies = pro_advies_for(leerling=hulpvraag.leerling, schoolgegevens=hulpvraag.schoolgegevens)
    if advies is not None:
        context["pro_advies"] = advies.code
        context["pro_advies_tekst"] = str(advies.conclusie)
    return context


def ondertekenaars_for(*, hulpvraag: Hulpvraag) -> dict[str, str]:
    """Who may be named under "Ondertekening door": the active bevoegd-gezag users of the
    bestuur of the hulpvraag's school, id (as text) → name and function."""
    bestuur_id = hulpvraag.schoolgegevens.school.bestuur_id
    users = User.objects.filter(
        organisatie_id=hulpvraag.organisatie_id,
        rol=Rol.BEVOEGD_GEZAG,
        bestuur_id=bestuur_id,
        is_active=True,
    ).order_by("last_name", "first_name")
    return {str(u.pk): _naam_functie(u) for u in users}


def _naam_functie(user: User) -> str:
    naam = user.get_full_name() or user.username
    return f"{naam} ({user.functie})" if user.functie else naam


def formulier_canoniek(
    *, formulier: Formulier, antwoorden: Mapping[str, Any], prefill: Mapping[str, Any]
) -> dict[str, Any]:
    """What a signature covers: the definition and version, and every answer as shown,
    prefilled ones included (a pupil's changed name or address therefore voids it too)."""
    inhoud = formulier.definitie.inhoud
    alle: dict[str, Any] = {}
    for _sectie, vraag in vragen(inhoud):
        sleutel = vraag["sleutel"]
        waarde = prefill.get(vraag["bron"]) if vraag.get("bron") else antwoorden.get(sleutel)
        if waarde not in (None, "", []):
            alle[sleutel] = waarde
    return {
        "formulier": formulier.definitie.sleutel,
        "versie": formulier.definitie.versie,
        "hulpvraag": formulier.hulpvraag_id,
        "antwoorden": alle,
    }


def canoniek_sha256(canoniek: Any) -> str:
    """The SHA-256 every signature records: of the canonical JSON text (sorted keys, no spaces,
    UTF-8), so the same content always gives the same hash."""
    tekst = json.dumps(canoniek, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(tekst.encode("utf-8")).hexdigest()


def formulier_hash(
    *, formulier: Formulier, antwoorden: Mapping[str, Any], prefill: Mapping[str, Any]
) -> str:
    return canoniek_sha256(
        formulier_canoniek(formulier=formulier, antwoorden=antwoorden, prefill=prefill)
    )


def formulier_ondertekening_for(*, formulier: Formulier) -> Ondertekening | None:
    """The newest signature, valid or voided (the page shows a voided one visibly)."""
    return formulier.ondertekeningen.select_related("ondertekenaar").first()


def ondertekening_valid(
    *, formulier: Formulier, ondertekening: Ondertekening | None, prefill: Mapping[str, Any]
) -> bool:
    if ondertekening is None or ondertekening.ongeldig_op is not None:
        return False
    huidig = formulier_hash(formulier=formulier, antwoorden=formulier.antwoorden, prefill=prefill)
    return huidig == ondertekening.hash


def formulieren_te_ondertekenen_for(*, user: User) -> list[Formulier]:
    """Saved forms that name this bevoegd-gezag user under "Ondertekening door" and have no
    valid signature (schools of the user's bestuur only: the access module decides)."""
    if not mag(user, Recht.ONDERTEKENEN):
        return []
    kandidaten = (
        formulieren_visible_to(user)
        .filter(definitie__ondertekening_vereist=True, opgeslagen_op__isnull=False)
        .filter(~Exists(Ondertekening.objects.filter(formulier=OuterRef("pk"), ongeldig_op=None)))
        .select_related("definitie", "hulpvraag__leerling", "hulpvraag__schoolgegevens__school")
        .order_by("opgeslagen_op")
    )
    result = []
    for formulier in kandidaten:
        if str(formulier.antwoorden.get(_ondertekenaar_sleutel(formulier))) == str(user.pk):
            result.append(formulier)
    return result


def _ondertekenaar_sleutel(formulier: Formulier) -> str | None:
    for _sectie, vraag in vragen(formulier.definitie.inhoud):
        if vraag["type"] == "ondertekenaar":
            return vraag["sleutel"]
    return None


def formulier_aangewezen_ondertekenaar_id(*, formulier: Formulier) -> str | None:
    sleutel = _ondertekenaar_sleutel(formulier)
    waarde = formulier.antwoorden.get(sleutel) if sleutel else None
    return str(waarde) if waarde else None


def formulier_ontbrekende_antwoorden(
    *, formulier: Formulier, context: Mapping[str, Any]
) -> list[str]:
    """Labels of required questions that the saved answers leave empty under today's facts.

    Opslaan already demanded them, but a fact outside the form can change afterwards: the LVS
    tab's advice turning "geen praktijkonderwijs" makes the PrO form's toelichting required for
    a form that was saved (and signed) before."""
    antwoorden = formulier.antwoorden
    return [
        vraag["label"]
        for sectie, vraag in vragen(formulier.definitie.inhoud)
        if antwoorden.get(vraag["sleutel"]) in (None, "", [])
        and is_verplicht(sectie, vraag, antwoorden, context)
    ]


def formulier_ondertekening_ontbreekt(*, hulpvraag: Hulpvraag) -> str | None:
    """The guard "formulier ondertekend": why indienen cannot happen yet, or None when every
    form that needs a signature is complete and has a valid one."""
    prefill = None
    context = None
    for formulier in formulieren_for_hulpvraag(hulpvraag=hulpvraag):
        if not formulier.definitie.ondertekening_vereist:
            continue
        naam = formulier.definitie.naam
        if formulier.opgeslagen_op is None:
            return _("Het formulier “%(naam)s” is nog niet ingevuld en opgeslagen.") % {
                "naam": naam
            }
        context = context or formulier_context(hulpvraag=hulpvraag)
        ontbrekend = formulier_ontbrekende_antwoorden(formulier=formulier, context=context)
        if ontbrekend:
            reden = _(
                "In het formulier “%(naam)s” ontbreekt nog: %(vragen)s. Vul het formulier aan, "
                "sla het op en laat het bevoegd gezag opnieuw ondertekenen."
            ) % {"naam": naam, "vragen": ", ".join(f"“{label}”" for label in ontbrekend)}
            if context.get("pro_advies") == GEEN_PRAKTIJKONDERWIJS:
                reden += " " + _(
                    "Het berekende advies op het tabblad LVS is “%(advies)s”; daarom is de "
                    "toelichting bij een afwijkend advies verplicht."
                ) % {"advies": context["pro_advies_tekst"]}
            return reden
        prefill = prefill or formulier_prefill(hulpvraag=hulpvraag)
        ondertekening = formulier_ondertekening_for(formulier=formulier)
        if not ondertekening_valid(
            formulier=formulier, ondertekening=ondertekening, prefill=prefill
        ):
            if ondertekening is not None:
                return _(
                    "De ondertekening van het formulier “%(naam)s” is vervallen omdat het na "
                    "ondertekening is gewijzigd; het bevoegd gezag moet opnieuw ondertekenen."
                ) % {"naam": naam}
            return _("Het formulier “%(naam)s” is nog niet ondertekend door het bevoegd gezag.") % {
                "naam": naam
            }
    return None


def formulier_opgeslagen_for(*, hulpvraag: Hulpvraag, sleutel: str) -> tuple[dict, dict] | None:
    """The answers saved with "Opslaan" (not the draft) of this hulpvraag's form `sleutel`, with
    its definition's content; None when the hulpvraag has no such form. One query. Callers pass
    a hulpvraag they obtained through the access module."""
    formulier = (
        hulpvraag.formulieren.filter(definitie__sleutel=sleutel)
        .select_related("definitie")
        .only("antwoorden", "definitie__inhoud")
        .first()
    )
    if formulier is None:
        return None
    return dict(formulier.antwoorden or {}), formulier.definitie.inhoud


def formulier_weergave_for(
    formulier: Formulier, *, antwoorden=None, form=None, ondertekenaars=None, context=None
):
    """The one rendering (formulieren.weergave) of this form with today's dossier facts and its
    newest signature: what the tab, the signing page, the Word export and the parents' page
    show. `formulier.hulpvraag` must come from the access module (or an invitation's own)."""

    hulpvraag = formulier.hulpvraag
    prefill = formulier_prefill(hulpvraag=hulpvraag)
    ondertekening = formulier_ondertekening_for(formulier=formulier)
    return formulier_weergave(
        formulier=formulier,
        antwoorden=formulier.antwoorden if antwoorden is None else antwoorden,
        prefill=prefill,
        context=formulier_context(hulpvraag=hulpvraag) if context is None else context,
        ondertekenaars=ondertekenaars or ondertekenaars_for(hulpvraag=hulpvraag),
        ondertekening=ondertekening,
        ondertekening_geldig=ondertekening_valid(
            formulier=formulier, ondertekening=ondertekening, prefill=prefill
        ),
        form=form,
    )
