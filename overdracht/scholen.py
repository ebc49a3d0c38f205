"""Schools and besturen from DUO's open data: compare an upload with the SWV's schools (the
preview) and apply it through the school and bestuur services of beheer, so the history
(Schoolwijziging) is kept as on the screens. Nothing is deleted: a school no longer listed is
only offered for closing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rechten import Recht, mag_in_organisatie
from beheer.services_scholen import (
    bestuur_save,
    school_close,
    school_create,
    school_merge,
    school_update,
)
from organisaties.models import Bestuur, Organisatie, School
from overdracht import duo
from overdracht.models import DuoInlezing

VELDEN = ("naam", "plaats", "sector")


def _check(door: User, organisatie_id: int) -> None:
    if not mag_in_organisatie(door, Recht.SCHOLEN_INLEZEN, organisatie_id):
        raise ValidationError(_("Alleen de beheerder leest scholen in uit de DUO-bestanden."))


@transaction.atomic
def duo_inlezing_create(
    *,
    door: User,
    swv_code: str,
    vestigingen: bytes,
    bestandsnaam: str = "",
    besturen: bytes | None = None,
    overgangen: bytes | None = None,
) -> DuoInlezing:
    """Read the uploaded file(s) and keep the rows of SWV `swv_code`. Raises ValidationError
    (Dutch, naming the missing columns) for a file in another layout, or when no row carries
    the code."""
    _check(door, door.organisatie_id)
    organisatie = Organisatie.objects.get(pk=door.organisatie_id)
    gelezen = duo.lees_vestigingen(
        vestigingen, swv_code=swv_code, standaard_sector=organisatie.sector
    )
    if not gelezen.scholen:
        voorbeelden = ", ".join(sorted(gelezen.swv_codes)[:5])
        raise ValidationError(
            _(
                "Geen enkele vestiging in dit bestand hoort bij samenwerkingsverband %(code)s. "
                "Controleer de code (in het bestand staan bijvoorbeeld: %(voorbeelden)s)."
            )
            % {"code": swv_code, "voorbeelden": voorbeelden or _("geen codes")}
        )
    return DuoInlezing.objects.create(
        organisatie=organisatie,
        door=door,
        swv_code=duo.normaliseer_swv_code(swv_code),
        bestandsnaam=bestandsnaam[:200],
        scholen=gelezen.scholen,
        besturen=duo.lees_besturen(besturen) if besturen else {},
        overgangen=duo.lees_overgangen(overgangen) if overgangen else [],
        rijen_in_bestand=gelezen.rijen_in_bestand,
        resultaat={"overgeslagen": gelezen.overgeslagen[:50]},
    )


@dataclass
class Wijziging:
    school: School
    rij: dict
    velden: dict[str, tuple[str, str]]  # field → (old, new) for display
    nieuw_bestuur: str | None = None  # bevoegd-gezagnummer when the bestuur changes


@dataclass
class Voorbeeld:
    """What applying an upload would do now."""

    nieuw: list[dict] = field(default_factory=list)
    gewijzigd: list[Wijziging] = field(default_factory=list)
    niet_meer: list[School] = field(default_factory=list)
    samengevoegd: list[tuple[School, str, str]] = field(default_factory=list)  # bron, code, naam
    besturen_nieuw: list[tuple[str, str]] = field(default_factory=list)  # nummer, naam
    # bestuur, bevoegd-gezagnummer, naam
    besturen_gewijzigd: list[tuple[Bestuur, str, str]] = field(default_factory=list)
    ongewijzigd: int = 0

    @property
    def leeg(self) -> bool:
        return not (
            self.nieuw
            or self.gewijzigd
            or self.niet_meer
            or self.samengevoegd
            or self.besturen_nieuw
            or self.besturen_gewijzigd
        )


def _bestuur_naam(inlezing: DuoInlezing, rij: dict) -> str:
    nummer = rij["bestuur_nummer"]
    return (
        inlezing.besturen.get(nummer)
        or rij.get("bestuur_naam")
        or _("Bevoegd gezag %(nummer)s") % {"nummer": nummer}
    )


def duo_voorbeeld(*, inlezing: DuoInlezing) -> Voorbeeld:
    """Compare the upload with the SWV's schools and besturen as they are now (a constant number
    of queries, whatever the number of rows)."""
    org = inlezing.organisatie_id
    scholen = {
        s.brin_vestiging: s
        for s in School.objects.filter(organisatie_id=org).select_related("bestuur")
    }
    besturen = list(Bestuur.objects.filter(organisatie_id=org))
    per_nummer = {b.bevoegd_gezag_nummer: b for b in besturen if b.bevoegd_gezag_nummer}
    per_naam = {b.naam.lower(): b for b in besturen}
    uit = Voorbeeld()

    gezien_besturen: set[str] = set()
    for rij in inlezing.scholen:
        nummer = rij["bestuur_nummer"]
        if not nummer or nummer in gezien_besturen:
            continue
        gezien_besturen.add(nummer)
        naam = _bestuur_naam(inlezing, rij)
        bestuur = per_nummer.get(nummer) or per_naam.get(naam.lower())
        if bestuur is None:
            uit.besturen_nieuw.append((nummer, naam))
        elif bestuur.bevoegd_gezag_nummer != nummer or (
            bestuur.naam != naam and (inlezing.besturen.get(nummer) or rij.get("bestuur_naam"))
        ):
            uit.besturen_gewijzigd.append((bestuur, nummer, naam))

    in_bestand = set()
    for rij in inlezing.scholen:
        code = rij["brin"] + rij["vestiging"]
        in_bestand.add(code)
        school = scholen.get(code)
        if school is None:
            uit.nieuw.append(rij)
            continue
        if not school.actief:
            uit.ongewijzigd += 1
            continue
        velden = {
            veld: (getattr(school, veld), rij[veld])
            for veld in VELDEN
            if rij[veld] and getattr(school, veld) != rij[veld]
        }
        huidig = school.bestuur
        nummer = rij["bestuur_nummer"]
        nieuw_bestuur = None
        if nummer and huidig.bevoegd_gezag_nummer != nummer:
            doel = per_nummer.get(nummer) or per_naam.get(_bestuur_naam(inlezing, rij).lower())
            if doel is None or doel.pk != huidig.pk:
                nieuw_bestuur = nummer
                velden["bestuur"] = (huidig.naam, _bestuur_naam(inlezing, rij))
        if velden:
            uit.gewijzigd.append(Wijziging(school, rij, velden, nieuw_bestuur))
        else:
            uit.ongewijzigd += 1

    namen = {r["brin"] + r["vestiging"]: r["naam"] for r in inlezing.scholen}
    naar_per_van = {van: naar for van, naar in inlezing.overgangen}
    for code, school in sorted(scholen.items(), key=lambda kv: kv[1].naam):
        if not school.actief or code in in_bestand:
            continue
        naar = naar_per_van.get(code)
        doel = scholen.get(naar) if naar else None
        if naar and (naar in in_bestand or (doel is not None and doel.actief)):
            uit.samengevoegd.append((school, naar, namen.get(naar) or (doel.naam if doel else "")))
        else:
            uit.niet_meer.append(school)
    return uit


@transaction.atomic
def duo_toepassen(*, door: User, inlezing: DuoInlezing, sluiten: list[int] = ()) -> dict[str, int]:
    """Apply what the preview shows now: new besturen and schools, changes, mergers (from the
    transitions), and close the schools in `sluiten` (ids among "no longer listed"). Every
    write goes through beheer's services (history, checks)."""
    _check(door, inlezing.organisatie_id)
    if inlezing.organisatie_id != door.organisatie_id:
        raise ValidationError(_("Deze inlezing hoort niet bij uw organisatie."))
    inlezing = DuoInlezing.objects.select_for_update().get(pk=inlezing.pk)
    if inlezing.toegepast_op is not None:
        raise ValidationError(_("Deze inlezing is al verwerkt; lees het bestand opnieuw in."))
    voorbeeld = duo_voorbeeld(inlezing=inlezing)
    org = inlezing.organisatie_id
    besturen = {
        b.bevoegd_gezag_nummer: b
        for b in Bestuur.objects.filter(organisatie_id=org).exclude(bevoegd_gezag_nummer="")
    }
    for bestuur, nummer, naam in voorbeeld.besturen_gewijzigd:
        bestuur.naam = naam
        bestuur.bevoegd_gezag_nummer = nummer
        besturen[nummer] = bestuur_save(door=door, bestuur=bestuur)
    for nummer, naam in voorbeeld.besturen_nieuw:
        besturen[nummer] = bestuur_save(
            door=door, bestuur=Bestuur(organisatie_id=org, naam=naam, bevoegd_gezag_nummer=nummer)
        )
    for rij in voorbeeld.nieuw:
        school_create(
            door=door,
            gegevens={
                "brin": rij["brin"],
                "vestiging": rij["vestiging"],
                "naam": rij["naam"],
                "plaats": rij["plaats"],
                "sector": rij["sector"],
                "bestuur_id": besturen[rij["bestuur_nummer"]].pk,
            },
        )
    for wijziging in voorbeeld.gewijzigd:
        velden = {v: nieuw for v, (_oud, nieuw) in wijziging.velden.items() if v in VELDEN}
        if wijziging.nieuw_bestuur:
            velden["bestuur"] = besturen[wijziging.nieuw_bestuur]
        school_update(door=door, school=wijziging.school, **velden)
    scholen = {s.brin_vestiging: s for s in School.objects.filter(organisatie_id=org)}
    for bron, naar, _naam in voorbeeld.samengevoegd:
        school_merge(door=door, bron=bron, doel=scholen[naar])
    te_sluiten = {s.pk: s for s in voorbeeld.niet_meer}
    gesloten = 0
    for pk in sluiten:
        if pk in te_sluiten:
            school_close(door=door, school=te_sluiten[pk])
            gesloten += 1
    resultaat = {
        "besturen_nieuw": len(voorbeeld.besturen_nieuw),
        "besturen_gewijzigd": len(voorbeeld.besturen_gewijzigd),
        "nieuw": len(voorbeeld.nieuw),
        "gewijzigd": len(voorbeeld.gewijzigd),
        "samengevoegd": len(voorbeeld.samengevoegd),
        "gesloten": gesloten,
        "niet_meer": len(voorbeeld.niet_meer) - gesloten,
    }
    inlezing.toegepast_op = timezone.now()
    inlezing.resultaat = {**inlezing.resultaat, **resultaat}
    inlezing.save(update_fields=["toegepast_op", "resultaat"])
    return resultaat
