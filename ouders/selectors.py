"""Reads for parents' invitations.

Staff find invitations only through the access module's hulpvragen. A parent's page finds its
invitation through the link's hash and shows only what belongs to that invitation: the one form,
the bijlagen the school ticked, and what this parent did. Nothing else of the dossier (other
hulpvragen, notes, LVS data, the Statushistorie) is ever read for a parent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from bijlagen.models import Bijlage
from formulieren.definities import vragen
from formulieren.models import Formulier
from formulieren.selectors import (
    canoniek_sha256,
    formulier_ondertekening_for,
    formulier_prefill,
    formulier_weergave_for,
    ondertekening_valid,
)
from formulieren.weergave import Weergave
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.models import Hulpvraag
from ouders.models import Correctievoorstel, Uitnodiging, VoorstelStatus, Zienswijze

# Prefilled sources a parent's page leaves out: data from the pupil administration system (LVS).
VERBORGEN_BRONNEN = ("lvs.",)


def link_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def uitnodiging_get_by_link(token: str) -> Uitnodiging | None:
    """The invitation of this link, whatever its state (callers check `bruikbaar`)."""
    if not token or len(token) > 100:
        return None
    return (
        Uitnodiging.objects.select_related(
            "organisatie",
            "formulier__definitie",
            "formulier__organisatie",
            "hulpvraag__leerling",
            "hulpvraag__status",
            "hulpvraag__schoolgegevens__school__bestuur",
        )
        .filter(link_hash=link_hash(token))
        .first()
    )


def uitnodigingen_visible_to(user: User) -> QuerySet[Uitnodiging]:
    return Uitnodiging.objects.filter(hulpvraag__in=hulpvragen_visible_to(user))


def uitnodiging_get_for(*, user: User, pk: int | str) -> Uitnodiging:
    try:
        return (
            uitnodigingen_visible_to(user)
            .select_related("hulpvraag__status", "formulier__definitie")
            .get(pk=int(pk))
        )
    except (Uitnodiging.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def voorstel_get_for(*, user: User, pk: int | str) -> Correctievoorstel:
    try:
        return Correctievoorstel.objects.select_related(
            "uitnodiging__hulpvraag__status", "uitnodiging__formulier__definitie"
        ).get(pk=int(pk), uitnodiging__hulpvraag__in=hulpvragen_visible_to(user))
    except (Correctievoorstel.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def ouders_for_formulier(formulier: Formulier) -> list[dict]:
    """The parents/guardians named in the form's section for them: number, name, e-mail (the
    school invites one with an e-mail address)."""
    antwoorden = formulier.antwoorden or {}
    result = []
    for nummer in (1, 2):
        naam = str(antwoorden.get(f"ouder{nummer}_naam") or "").strip()
        email = str(antwoorden.get(f"ouder{nummer}_email") or "").strip()
        if naam or email:
            result.append({"nummer": nummer, "naam": naam, "email": email})
    return result


def uitnodigen_allowed(
    formulier: Formulier, *, ondertekening_geldig: bool | None = None
) -> str | None:
    """Why the school cannot invite the parents for this form yet, or None. A caller that has
    the form's Weergave passes its `ondertekening.geldig` (saves two queries)."""
    if "ouders" not in formulier.definitie.inhoud:
        return "Dit formulier heeft geen deel voor ouders."
    if formulier.opgeslagen_op is None:
        return "Sla het formulier eerst op."
    if formulier.definitie.ondertekening_vereist:
        if ondertekening_geldig is None:
            prefill = formulier_prefill(hulpvraag=formulier.hulpvraag)
            ondertekening = formulier_ondertekening_for(formulier=formulier)
            ondertekening_geldig = ondertekening_valid(
                formulier=formulier, ondertekening=ondertekening, prefill=prefill
            )
        if not ondertekening_geldig:
            return "Het bevoegd gezag moet het formulier eerst ondertekenen."
    if not any(o["email"] for o in ouders_for_formulier(formulier)):
        return "Vul eerst in het formulier het e-mailadres van een ouder/verzorger in."
    return None


def ouder_weergave_for(uitnodiging: Uitnodiging) -> Weergave:
    """The form as the Word export renders it, without LVS data."""
    formulier = uitnodiging.formulier
    formulier.hulpvraag = uitnodiging.hulpvraag
    weergave = formulier_weergave_for(formulier)
    verborgen = {
        v["sleutel"]
        for _s, v in vragen(formulier.definitie.inhoud)
        if str(v.get("bron", "")).startswith(VERBORGEN_BRONNEN)
    }
    for sectie in weergave.secties:
        sectie.vragen = [v for v in sectie.vragen if v.sleutel not in verborgen]
    weergave.secties = [s for s in weergave.secties if s.vragen]
    return weergave


def ouder_bijlagen_for(uitnodiging: Uitnodiging) -> list[Bijlage]:
    """The bijlagen the school ticked, still present (not withdrawn)."""
    return list(
        uitnodiging.bijlagen.filter(
            hulpvraag_id=uitnodiging.hulpvraag_id, ingetrokken_op__isnull=True
        ).order_by("naam", "pk")
    )


def ouder_bijlage_get_for(uitnodiging: Uitnodiging, pk: int | str) -> Bijlage:
    try:
        return uitnodiging.bijlagen.get(
            pk=int(pk), hulpvraag_id=uitnodiging.hulpvraag_id, ingetrokken_op__isnull=True
        )
    except (Bijlage.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class Getoond:
    """What the signing page shows, and its SHA-256 (the "voor gezien" covers exactly this)."""

    weergave: Weergave
    bijlagen: list[Bijlage]
    zienswijzen: list[Zienswijze]
    voorstellen: list[Correctievoorstel]
    hash: str


def ouder_getoond_for(uitnodiging: Uitnodiging) -> Getoond:
    weergave = ouder_weergave_for(uitnodiging)
    bijlagen = ouder_bijlagen_for(uitnodiging)
    zienswijzen = list(uitnodiging.zienswijzen.all())
    voorstellen = list(uitnodiging.voorstellen.all())
    canoniek = {
        "uitnodiging": uitnodiging.pk,
        "formulier": weergave.formulier,
        "versie": weergave.versie,
        "secties": [
            [s.titel, [[v.label, v.tekst] for v in s.vragen if v.in_export]]
            for s in weergave.secties
        ],
        "ondertekening_bevoegd_gezag": weergave.ondertekening.hash,
        "ouders": [list(r) for r in weergave.ouders.contact],
        "gezagssituatie": list(weergave.ouders.gezagssituatie or []),
        "bijlagen": [[b.pk, b.naam, b.sha256] for b in bijlagen],
        "zienswijzen": [[z.tekst, z.niet_eens] for z in zienswijzen],
        "voorstellen": [[v.wijzigingen, v.toelichting] for v in voorstellen],
    }
    return Getoond(weergave, bijlagen, zienswijzen, voorstellen, canoniek_sha256(canoniek))


def hulpvraag_ouderdeel(*, hulpvraag: Hulpvraag, formulier: Formulier) -> dict:
    """The parents' part of the Formulier tab: the invitations with what each parent did."""
    uitnodigingen = list(
        formulier.ouderuitnodigingen.select_related("voor_gezien__bijlage").prefetch_related(
            "zienswijzen", "voorstellen", "bijlagen"
        )
    )
    return {
        "uitnodigingen": uitnodigingen,
        "open_voorstellen": [
            v for u in uitnodigingen for v in u.voorstellen.all() if v.status == VoorstelStatus.OPEN
        ],
    }
