"""Deskundigenadvies: the loket assigns deskundige 1 and 2 of a TLV VSO (which grants them
access), they record their advice; the checks a decision makes on the two advices. See
docs/besluiten.md."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Rol, User
from accounts.rechten import Recht, mag_in_organisatie
from besluiten.fouten import BesluitOnvolledig
from besluiten.models import (
    GEDRAGSWETENSCHAPPERS,
    Bekostigingscategorie,
    Deskundigenadvies,
    Discipline,
)
from hulpvragen.models import Hulpvraag, HulpvraagType
from hulpvragen.services import (
    OvergangNietToegestaan,
)
from hulpvragen.services_toegang import toegang_grant, toegang_revoke


def adviezen_problemen_for(adviezen: list[Deskundigenadvies]) -> list[str]:
    """What a TLV VSO decision still waits for: two advices, at least one of an orthopedagoog or
    psycholoog (DESIGN.md §6)."""
    uitgebracht = [a for a in adviezen if a.uitgebracht]
    problemen = []
    if len(uitgebracht) < 2:
        problemen.append(
            ngettext(
                "Er is %(n)s van de 2 deskundigenadviezen uitgebracht; wacht op beide adviezen.",
                "Er zijn %(n)s van de 2 deskundigenadviezen uitgebracht; wacht op beide adviezen.",
                len(uitgebracht),
            )
            % {"n": len(uitgebracht)}
        )
    if not any(a.discipline in GEDRAGSWETENSCHAPPERS for a in uitgebracht):
        problemen.append(_("Ten minste één advies moet van een orthopedagoog of psycholoog zijn."))
    return problemen


def adviezen_waarschuwingen_for(adviezen: list[Deskundigenadvies]) -> list[str]:
    """Where the two advices disagree: shown to the loket, does not block the decision."""
    uitgebracht = [a for a in adviezen if a.uitgebracht]
    if len(uitgebracht) < 2:
        return []
    a, b = uitgebracht[:2]
    waarschuwingen = []
    if a.toelaatbaar != b.toelaatbaar:
        waarschuwingen.append(
            _(
                "De deskundigen zijn het oneens over de toelaatbaarheid: %(a)s adviseert %(x)s, "
                "%(b)s adviseert %(y)s."
            )
            % {
                "a": a.get_discipline_display(),
                "x": _("toelaatbaar") if a.toelaatbaar else _("niet toelaatbaar"),
                "b": b.get_discipline_display(),
                "y": _("toelaatbaar") if b.toelaatbaar else _("niet toelaatbaar"),
            }
        )
    elif a.toelaatbaar:
        if a.bekostigingscategorie != b.bekostigingscategorie:
            waarschuwingen.append(
                _("De geadviseerde bekostigingscategorie verschilt: %(x)s en %(y)s.")
                % {
                    "x": a.get_bekostigingscategorie_display(),
                    "y": b.get_bekostigingscategorie_display(),
                }
            )
        if a.duur_schooljaren != b.duur_schooljaren:
            waarschuwingen.append(
                _("De geadviseerde duur verschilt: %(x)s en %(y)s.")
                % {
                    "x": ngettext("%(n)s schooljaar", "%(n)s schooljaren", a.duur_schooljaren or 0)
                    % {"n": a.duur_schooljaren},
                    "y": ngettext("%(n)s schooljaar", "%(n)s schooljaren", b.duur_schooljaren or 0)
                    % {"n": b.duur_schooljaren},
                }
            )
    return waarschuwingen


@transaction.atomic
def deskundige_assign(
    *,
    hulpvraag: Hulpvraag,
    door: User,
    deskundige: User,
    volgorde: int,
    discipline: str,
) -> Deskundigenadvies:
    """The loket assigns deskundige 1 or 2 of a TLV VSO; this grants read access (Toegang,
    audited). Deskundige 1 is an orthopedagoog or psycholoog. Replacing a deskundige who has not
    advised yet revokes their access."""
    fouten = []
    if not mag_in_organisatie(door, Recht.BESLISSEN, hulpvraag.organisatie_id):
        raise OvergangNietToegestaan(_("Alleen het loket wijst deskundigen toe."))
    if hulpvraag.type != HulpvraagType.TLV_VSO:
        fouten.append(_("Deskundigenadvies hoort bij een TLV VSO."))
    if hulpvraag.status.eindstatus:
        fouten.append(_("Over deze hulpvraag is al besloten."))
    if (
        deskundige.rol != Rol.DESKUNDIGE
        or deskundige.organisatie_id != hulpvraag.organisatie_id
        or not deskundige.is_active
    ):
        fouten.append(_("Kies een deskundige van het samenwerkingsverband."))
    if volgorde not in (1, 2):
        fouten.append(_("Kies deskundige 1 of 2."))
    if discipline not in Discipline.values:
        fouten.append(_("Kies de discipline van de deskundige."))
    if volgorde == 1 and discipline not in GEDRAGSWETENSCHAPPERS:
        fouten.append(_("De eerste deskundige is een orthopedagoog of psycholoog."))
    bestaand = {a.volgorde: a for a in hulpvraag.deskundigenadviezen.select_for_update()}
    ander = bestaand.get(2 if volgorde == 1 else 1)
    if ander is not None and ander.deskundige_id == deskundige.pk:
        fouten.append(_("Kies twee verschillende deskundigen."))
    huidig = bestaand.get(volgorde)
    if huidig is not None and huidig.uitgebracht:
        fouten.append(_("Deze deskundige heeft al geadviseerd; het advies blijft staan."))
    if fouten:
        raise BesluitOnvolledig(_("De deskundige is niet toegewezen:"), ontbrekend=fouten)

    if huidig is not None:
        if huidig.deskundige_id == deskundige.pk:
            huidig.discipline = discipline
            huidig.save(update_fields=["discipline"])
            return huidig
        if huidig.toegang is not None:
            toegang_revoke(toegang=huidig.toegang, door=door)
        huidig.delete()
    toegang = toegang_grant(
        hulpvraag=hulpvraag,
        gebruiker=deskundige,
        door=door,
        reden=_("Deskundigenadvies TLV (deskundige %(n)s)") % {"n": volgorde},
    )
    return Deskundigenadvies.objects.create(
        organisatie_id=hulpvraag.organisatie_id,
        hulpvraag=hulpvraag,
        volgorde=volgorde,
        deskundige=deskundige,
        discipline=discipline,
        toegang=toegang,
        toegewezen_door=door,
    )


def discipline_suggest(user: User) -> str:
    """The discipline a user's "functie of discipline" names, for the loket's form."""
    functie = (user.functie or "").lower()
    for waarde, label in Discipline.choices:
        if waarde != Discipline.ANDERS and str(label).split(" ")[0] in functie:
            return waarde
    return Discipline.ANDERS if functie else ""


@transaction.atomic
def advies_submit(
    *,
    advies: Deskundigenadvies,
    door: User,
    toelaatbaar: bool,
    motivering: str,
    bekostigingscategorie: str = "",
    duur_schooljaren: int | None = None,
) -> Deskundigenadvies:
    """The assigned deskundige records (or, until the decision, corrects) their advice."""
    advies = (
        Deskundigenadvies.objects.select_for_update()
        .select_related("hulpvraag__status")
        .get(pk=advies.pk)
    )
    if advies.deskundige_id != door.pk:
        raise OvergangNietToegestaan(_("Alleen de toegewezen deskundige brengt dit advies uit."))
    fouten = []
    if advies.hulpvraag.status.eindstatus:
        fouten.append(_("Over deze hulpvraag is al besloten."))
    if not (motivering or "").strip():
        fouten.append(_("Vul een motivering in."))
    if toelaatbaar:
        if bekostigingscategorie not in Bekostigingscategorie.values:
            fouten.append(_("Kies de geadviseerde bekostigingscategorie."))
        if not duur_schooljaren or duur_schooljaren < 1:
            fouten.append(_("Vul de geadviseerde duur in (ten minste 1 schooljaar)."))
    if fouten:
        raise BesluitOnvolledig(_("Het advies is niet opgeslagen:"), ontbrekend=fouten)
    advies.toelaatbaar = toelaatbaar
    advies.bekostigingscategorie = bekostigingscategorie if toelaatbaar else ""
    advies.duur_schooljaren = duur_schooljaren if toelaatbaar else None
    advies.motivering = motivering.strip()
    advies.uitgebracht_op = timezone.now()
    advies.save()
    return advies
