"""Writes for schools, their besturen and the organisation itself: every school change is kept in
its history (Schoolwijziging); a merge or closure moves the dossiers behind it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rechten import Recht, is_platformbeheerder, mag, mag_in_organisatie
from beheer.audit import audit_gewijzigd
from beheer.models import (
    Schoolwijziging,
    SchoolwijzigingSoort,
)
from dossiers.models import Schoolgegevens
from formulieren.services import formulierdefinities_load_defaults
from hulpvragen.models import Hulpvraag
from hulpvragen.selectors import hulpvragen_open
from hulpvragen.services_processen import processen_load_defaults
from organisaties.models import Bestuur, Organisatie, School

_SCHOOLVELDEN = ("naam", "brin", "vestiging", "bestuur_id", "sector", "plaats")


_SOORT_PER_VELD = {
    "naam": SchoolwijzigingSoort.HERNOEMD,
    "brin": SchoolwijzigingSoort.BRIN,
    "vestiging": SchoolwijzigingSoort.BRIN,
    "bestuur_id": SchoolwijzigingSoort.BESTUUR,
}


def _check_school_beheer(door: User, *scholen: School) -> None:
    for school in scholen:
        if not mag_in_organisatie(door, Recht.SCHOLEN_BEHEREN, school.organisatie_id):
            raise ValidationError(_("Alleen het loket of de beheerder wijzigt scholen."))


def school_check(*, door: User, school: School) -> None:
    """The checks of every school write, also run by the admin form's clean: `door` may manage
    the school's organisation and its bestuur belongs to the same organisation."""
    _check_school_beheer(door, school)
    if school.bestuur_id is not None and school.bestuur.organisatie_id != school.organisatie_id:
        raise ValidationError({"bestuur": _("Kies een bestuur van de eigen organisatie.")})


def _log_school(door: User, school: School, soort: str, oud: dict, nieuw: dict, doel=None):
    return Schoolwijziging.objects.create(
        organisatie_id=school.organisatie_id,
        school=school,
        soort=soort,
        oud=oud,
        nieuw=nieuw,
        doel=doel,
        door=door,
        door_naam=str(door),
    )


@transaction.atomic
def school_create(*, door: User, gegevens: dict) -> School:
    """A new school in `door`'s organisation (a platform admin passes the organisation in
    `gegevens`), recorded in its history (Schoolwijziging "nieuw")."""
    gegevens = dict(gegevens)
    if not is_platformbeheerder(door):
        gegevens.pop("organisatie", None)
        gegevens["organisatie_id"] = door.organisatie_id
    school = School(**gegevens)
    school_check(door=door, school=school)
    school.full_clean()
    school.save()
    _log_school(door, school, SchoolwijzigingSoort.NIEUW, {}, _schoolgegevens_dict(school))
    return school


def _schoolgegevens_dict(school: School) -> dict:
    return {veld: getattr(school, veld) for veld in _SCHOOLVELDEN}


@transaction.atomic
def school_update(*, door: User, school: School, **wijzigingen) -> list[Schoolwijziging]:
    """Rename, a new BRIN/vestiging, another bestuur, other plaats/sector: one history row per
    kind of change. Dossiers keep pointing at the same school, so nothing is lost; a new bestuur
    means its bevoegd gezag sees the school's hulpvragen from now on (and the old one no longer)."""
    locked = School.objects.select_for_update().get(pk=school.pk)
    _check_school_beheer(door, locked)
    if not locked.actief:
        raise ValidationError(_("Deze school is opgeheven; haar gegevens worden niet gewijzigd."))
    bestuur = wijzigingen.pop("bestuur", None)
    if bestuur is not None:
        if bestuur.organisatie_id != locked.organisatie_id:
            raise ValidationError({"bestuur": _("Kies een bestuur van de eigen organisatie.")})
        wijzigingen["bestuur_id"] = bestuur.pk
    oud = _schoolgegevens_dict(locked)
    for veld, waarde in wijzigingen.items():
        if veld not in _SCHOOLVELDEN:
            raise ValueError(veld)
        setattr(locked, veld, waarde)
    locked.full_clean()
    locked.save()
    nieuw = _schoolgegevens_dict(locked)
    per_soort: dict[str, tuple[dict, dict]] = {}
    for veld in _SCHOOLVELDEN:
        if oud[veld] != nieuw[veld]:
            soort = _SOORT_PER_VELD.get(veld, SchoolwijzigingSoort.GEGEVENS)
            was, wordt = per_soort.setdefault(soort, ({}, {}))
            was[veld], wordt[veld] = oud[veld], nieuw[veld]
    school.__dict__.update({veld: getattr(locked, veld) for veld in _SCHOOLVELDEN})
    return [_log_school(door, locked, s, was, wordt) for s, (was, wordt) in per_soort.items()]


def _verhuis_schoolgegevens(bron: School, doel: School, ids: list[int]) -> None:
    Schoolgegevens.objects.filter(pk__in=ids, school=bron).update(school=doel)


@transaction.atomic
def school_merge(*, door: User, bron: School, doel: School) -> Schoolwijziging:
    """Merge `bron` into `doel`: every Schoolgegevens of `bron` (so every dossier and hulpvraag)
    moves to `doel`, every account of `bron` gets `doel` instead, and `bron` is closed. The
    moved ids are recorded, so each dossier's history still shows where it came from."""
    _check_school_beheer(door, bron, doel)
    if bron.pk == doel.pk:
        raise ValidationError(_("Kies een andere school om mee samen te voegen."))
    if not doel.actief:
        raise ValidationError(_("De school die doorgaat is opgeheven."))
    bron = School.objects.select_for_update().get(pk=bron.pk)
    sg_ids = list(Schoolgegevens.objects.filter(school=bron).values_list("pk", flat=True))
    _verhuis_schoolgegevens(bron, doel, sg_ids)
    schoolgegevens_audit(
        door, "schoolwijziging", sg_ids, f"school {bron.pk} samengevoegd met {doel.pk}"
    )
    koppeling = User.scholen.through
    gebruiker_ids = list(
        koppeling.objects.filter(school_id=bron.pk).values_list("user_id", flat=True)
    )
    al_bij_doel = set(
        koppeling.objects.filter(school_id=doel.pk, user_id__in=gebruiker_ids).values_list(
            "user_id", flat=True
        )
    )
    koppeling.objects.bulk_create(
        koppeling(user_id=u, school_id=doel.pk) for u in gebruiker_ids if u not in al_bij_doel
    )
    koppeling.objects.filter(school_id=bron.pk).delete()
    bron.actief = False
    bron.save(update_fields=["actief"])
    return _log_school(
        door,
        bron,
        SchoolwijzigingSoort.SAMENGEVOEGD,
        {"schoolgegevens": sg_ids, "gebruikers": gebruiker_ids},
        {"school": doel.pk, "naam": doel.naam},
        doel=doel,
    )


@transaction.atomic
def school_close(*, door: User, school: School, doel: School | None = None) -> Schoolwijziging:
    """Close (opheffen) a school. With `doel`, the Schoolgegevens behind its open hulpvragen move
    to that school (the pupil went there); closed ones stay with the old school as history.
    Accounts keep the closed school (the beheerder deactivates or relinks them)."""
    _check_school_beheer(door, school, *([doel] if doel else []))
    if doel is not None and (doel.pk == school.pk or not doel.actief):
        raise ValidationError(_("Kies een andere, actieve school voor de open hulpvragen."))
    locked = School.objects.select_for_update().get(pk=school.pk)
    open_ids = hulpvragen_open(Hulpvraag.objects.filter(schoolgegevens__school=locked)).values(
        "schoolgegevens_id"
    )
    sg_ids = list(Schoolgegevens.objects.filter(pk__in=open_ids).values_list("pk", flat=True))
    if doel is not None:
        _verhuis_schoolgegevens(locked, doel, sg_ids)
        schoolgegevens_audit(
            door, "schoolwijziging", sg_ids, f"school {locked.pk} opgeheven, naar {doel.pk}"
        )
    locked.actief = False
    locked.save(update_fields=["actief"])
    school.actief = False
    return _log_school(
        door,
        locked,
        SchoolwijzigingSoort.GESLOTEN,
        {"open_schoolgegevens": sg_ids},
        {"school": doel.pk, "naam": doel.naam} if doel else {},
        doel=doel,
    )


def bestuur_check(*, door: User, bestuur: Bestuur) -> None:
    if not mag_in_organisatie(door, Recht.SCHOLEN_BEHEREN, bestuur.organisatie_id):
        raise ValidationError(_("Alleen het loket of de beheerder wijzigt besturen."))


@transaction.atomic
def bestuur_save(*, door: User, bestuur: Bestuur) -> Bestuur:
    """Create or change a bestuur (bevoegd gezag) of `door`'s organisation (a platform admin: of
    the bestuur's own). Its schools and bevoegd-gezag accounts follow it by key."""
    if not is_platformbeheerder(door):
        if bestuur.pk is None:
            bestuur.organisatie_id = door.organisatie_id
        elif (
            Bestuur.objects.filter(pk=bestuur.pk).values_list("organisatie_id", flat=True).get()
            != door.organisatie_id
        ):
            raise ValidationError(_("Alleen het loket of de beheerder wijzigt besturen."))
    bestuur_check(door=door, bestuur=bestuur)
    bestuur.full_clean()
    bestuur.save()
    return bestuur


@transaction.atomic
def bestuur_delete(*, door: User, bestuur: Bestuur) -> None:
    """Only a bestuur without schools or accounts can go (the database protects the others)."""
    bestuur_check(door=door, bestuur=bestuur)
    if bestuur.scholen.exists() or User.objects.filter(bestuur=bestuur).exists():
        raise ValidationError(
            _("Dit bestuur heeft nog scholen of gebruikers en kan niet worden verwijderd.")
        )
    bestuur.delete()


@transaction.atomic
def organisatie_create(*, door: User | None, organisatie: Organisatie) -> Organisatie:
    """The one way an SWV is made (admin, the demo command, the test factory): the unsaved
    `organisatie` is saved with the shipped default processes AND form definitions, so its
    schools can file every type of hulpvraag at once. `door` None is the system (commands,
    tests)."""
    if door is not None and not mag(door, Recht.ORGANISATIE_AANMAKEN):
        raise ValidationError(_("Alleen een platformbeheerder maakt een samenwerkingsverband aan."))
    organisatie.full_clean()
    organisatie.save()
    organisatie_defaults_load(organisatie=organisatie)
    return organisatie


def organisatie_check_update(*, door: User, organisatie: Organisatie) -> None:
    if not mag_in_organisatie(door, Recht.ORGANISATIE_WIJZIGEN, organisatie.pk):
        raise ValidationError(_("U mag de gegevens van deze organisatie niet wijzigen."))


@transaction.atomic
def organisatie_update(*, door: User, organisatie: Organisatie) -> Organisatie:
    """Save the changed fields of an organisation (the admin offers an SWV user only its contact
    e-mail and information; code, name, sector and actief are the platform admin's)."""
    organisatie_check_update(door=door, organisatie=organisatie)
    if not is_platformbeheerder(door):
        oud = Organisatie.objects.get(pk=organisatie.pk)
        for veld in ("code", "naam", "sector", "actief"):
            setattr(organisatie, veld, getattr(oud, veld))
    organisatie.full_clean()
    organisatie.save()
    return organisatie


def organisatie_defaults_load(*, organisatie: Organisatie) -> None:
    """Load the shipped processes and form definitions an organisation does not have yet (the
    loaders skip what exists): used on create, and by the demo command on an existing SWV."""
    processen_load_defaults(organisatie=organisatie)
    formulierdefinities_load_defaults(organisatie=organisatie)


def schoolgegevens_audit(door: User, onderdeel: str, sg_ids, details: str) -> None:
    """One audit row per hulpvraag behind these Schoolgegevens (the one audit log)."""
    audit_gewijzigd(
        user=door,
        onderdeel=onderdeel,
        hulpvragen=Hulpvraag.objects.filter(schoolgegevens_id__in=list(sg_ids)).values_list(
            "leerling_id", "pk"
        ),
        details=details,
    )
