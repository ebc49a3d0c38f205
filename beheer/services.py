"""Writes for beheer: personeelswijzigingen (docs/beheer-en-privacy.md explains the choices)."""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Rol, User
from accounts.rechten import Recht, is_platformbeheerder, mag, mag_in_organisatie
from accounts.services import sessies_beeindig
from beheer.audit import audit_gewijzigd
from beheer.models import (
    Bewaarsignalering,
    BewaarSoort,
    BewaarStatus,
    Bewaartermijn,
    Personeelswijziging,
    PersoneelswijzigingRegel,
    PersoneelswijzigingStatus,
    Schoolwijziging,
    SchoolwijzigingSoort,
    Verwijdering,
)
from beheer.selectors import (
    dossiers_verlopen,
    gebruikersnaam_suggestie,
    is_swv_beheer,
    schoolgegevens_van_vertrekkende,
)
from bijlagen.models import Bijlage, BijlageConcept, BijlageInzage
from bijlagen.services import _opgeslagen_verwijderen
from dossiers.models import Leerling, Schoolgegevens
from formulieren.services import formulierdefinities_load_defaults
from hulpvragen.models import Hulpvraag
from hulpvragen.selectors import hulpvragen_open
from hulpvragen.services import processen_load_defaults
from kindkans.tasks import enqueue_on_commit
from organisaties.models import Bestuur, Organisatie, School

logger = logging.getLogger(__name__)

# --- Personeelswijziging -------------------------------------------------------------------------


def _audit_schoolgegevens(door: User, onderdeel: str, sg_ids, details: str) -> None:
    """One audit row per hulpvraag behind these Schoolgegevens (the one audit log)."""
    audit_gewijzigd(
        user=door,
        onderdeel=onderdeel,
        hulpvragen=Hulpvraag.objects.filter(schoolgegevens_id__in=list(sg_ids)).values_list(
            "leerling_id", "pk"
        ),
        details=details,
    )


def _naam(user: User) -> str:
    return user.get_full_name() or user.username


def _check_school_in_org(school: School, door: User) -> None:
    if school.organisatie_id != door.organisatie_id:
        raise ValidationError(_("Deze school hoort niet bij uw organisatie."))


@transaction.atomic
def personeelswijziging_request(
    *,
    door: User,
    school: School,
    vertrekkend: User | None,
    vertrekkend_email: str = "",
    opvolger_naam: str,
    opvolger_email: str,
    ingangsdatum: date,
    toelichting: str = "",
) -> Personeelswijziging:
    """A school asks the loket for a personeelswijziging (the manual's e-mail to the loket).
    Only a coordinator of that school may; nothing changes until the loket approves."""
    _check_school_in_org(school, door)
    if not mag(door, Recht.PERSONEELSWIJZIGING_AANVRAGEN) or not (
        door.scholen.filter(pk=school.pk).exists()
    ):
        raise ValidationError(_("U kunt alleen een wijziging voor uw eigen school aanvragen."))
    if vertrekkend is not None and vertrekkend.organisatie_id != door.organisatie_id:
        raise ValidationError(_("Deze vertrekkende coördinator is onbekend."))
    return Personeelswijziging.objects.create(
        organisatie_id=door.organisatie_id,
        school=school,
        vertrekkend=vertrekkend,
        vertrekkend_email=vertrekkend_email or (vertrekkend.email if vertrekkend else ""),
        opvolger_naam=opvolger_naam.strip(),
        opvolger_email=opvolger_email.strip(),
        ingangsdatum=ingangsdatum,
        toelichting=toelichting.strip(),
        aangevraagd_door=door,
    )


def _check_opvolger(*, school: School, opvolger: User, vertrekkend: User | None) -> None:
    problems = []
    if opvolger.organisatie_id != school.organisatie_id:
        problems.append(_("De opvolger hoort niet bij deze organisatie."))
    if not opvolger.is_active:
        problems.append(_("Het account van de opvolger is gedeactiveerd."))
    if opvolger.rol != Rol.SCHOOL or not opvolger.scholen.filter(pk=school.pk).exists():
        # Otherwise the successor would get the e-mails but could not open the hulpvragen.
        problems.append(
            _(
                "Geef de opvolger eerst de rol school en toegang tot %(school)s "
                "(scherm Gebruikers); anders kan hij of zij de hulpvragen niet openen."
            )
            % {"school": school.naam}
        )
    if not opvolger.email:
        problems.append(_("Het account van de opvolger heeft geen e-mailadres."))
    if vertrekkend is not None and vertrekkend.pk == opvolger.pk:
        problems.append(_("De opvolger is dezelfde persoon als de vertrekkende coördinator."))
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def personeelswijziging_apply(
    *,
    door: User,
    school: School,
    vertrekkend: User | None,
    vertrekkend_email: str = "",
    opvolger: User,
    ingangsdatum: date,
    toelichting: str = "",
    aanvraag: Personeelswijziging | None = None,
) -> Personeelswijziging:
    """Apply at once: every Schoolgegevens of `school` behind an open hulpvraag of the departing
    coordinator gets the successor as aanvrager, contactpersoon and e-mailadres, so the next
    notification goes to the successor. What each held before is kept for undo (until the start
    date). With `aanvraag`, this approves the school's request."""
    if not is_swv_beheer(door):
        raise ValidationError(
            _("Alleen het loket of de beheerder past een personeelswijziging toe.")
        )
    _check_school_in_org(school, door)
    vertrekkend_email = vertrekkend_email or (vertrekkend.email if vertrekkend else "")
    if vertrekkend is None and not vertrekkend_email:
        raise ValidationError(_("Kies de vertrekkende coördinator of vul het e-mailadres in."))
    _check_opvolger(school=school, opvolger=opvolger, vertrekkend=vertrekkend)

    if aanvraag is not None:
        pw = Personeelswijziging.objects.select_for_update().get(
            pk=aanvraag.pk, organisatie_id=door.organisatie_id
        )
        if pw.status != PersoneelswijzigingStatus.AANGEVRAAGD:
            raise ValidationError(_("Deze aanvraag is al behandeld."))
    else:
        pw = Personeelswijziging(organisatie_id=door.organisatie_id)
    pw.school = school
    pw.vertrekkend = vertrekkend
    pw.vertrekkend_email = vertrekkend_email
    pw.opvolger = opvolger
    pw.opvolger_naam = _naam(opvolger)
    pw.opvolger_email = opvolger.email
    pw.ingangsdatum = ingangsdatum
    if toelichting:
        pw.toelichting = toelichting.strip()
    pw.status = PersoneelswijzigingStatus.TOEGEPAST
    pw.behandeld_door = door
    pw.behandeld_op = timezone.now()
    pw.save()

    rijen = list(
        Schoolgegevens.objects.select_for_update().filter(
            pk__in=schoolgegevens_van_vertrekkende(
                school=school, vertrekkend=vertrekkend, vertrekkend_email=vertrekkend_email
            ).values("pk")
        )
    )
    PersoneelswijzigingRegel.objects.bulk_create(
        PersoneelswijzigingRegel(
            personeelswijziging=pw,
            schoolgegevens=sg,
            oud_aanvrager_id=sg.aanvrager_id,
            oud_contactpersoon=sg.contactpersoon,
            oud_email=sg.email,
        )
        for sg in rijen
    )
    Schoolgegevens.objects.filter(pk__in=[sg.pk for sg in rijen]).update(
        aanvrager=opvolger, contactpersoon=pw.opvolger_naam, email=pw.opvolger_email
    )
    _audit_schoolgegevens(
        door,
        "personeelswijziging",
        [sg.pk for sg in rijen],
        f"wijziging {pw.pk}: aanvrager, contactpersoon en e-mailadres naar de opvolger",
    )
    return pw


def personeelswijziging_kan_ongedaan(
    pw: Personeelswijziging, *, vandaag: date | None = None
) -> bool:
    vandaag = vandaag or timezone.localdate()
    return pw.status == PersoneelswijzigingStatus.TOEGEPAST and vandaag <= pw.ingangsdatum


@transaction.atomic
def personeelswijziging_undo(*, personeelswijziging: Personeelswijziging, door: User) -> int:
    """Undo as a whole, up to and including the start date. A Schoolgegevens that someone changed
    again since is left as it is (their change wins); returns how many were restored."""
    if not is_swv_beheer(door):
        raise ValidationError(_("Alleen het loket of de beheerder maakt dit ongedaan."))
    pw = Personeelswijziging.objects.select_for_update().get(
        pk=personeelswijziging.pk, organisatie_id=door.organisatie_id
    )
    if not personeelswijziging_kan_ongedaan(pw):
        raise ValidationError(
            _("Ongedaan maken kan alleen bij een toegepaste wijziging, tot en met de startdatum.")
        )
    # One UPDATE per distinct previous contact (usually one), not one per row.
    groepen: dict[tuple, list[PersoneelswijzigingRegel]] = {}
    for regel in pw.regels.all():
        key = (regel.oud_aanvrager_id, regel.oud_contactpersoon, regel.oud_email)
        groepen.setdefault(key, []).append(regel)
    teruggezet = []
    for (aanvrager_id, contactpersoon, email), regels in groepen.items():
        nog_van_opvolger = set(
            Schoolgegevens.objects.select_for_update()
            .filter(
                pk__in=[r.schoolgegevens_id for r in regels],
                aanvrager_id=pw.opvolger_id,
                email=pw.opvolger_email,
            )
            .values_list("pk", flat=True)
        )
        Schoolgegevens.objects.filter(pk__in=nog_van_opvolger).update(
            aanvrager_id=aanvrager_id, contactpersoon=contactpersoon, email=email
        )
        teruggezet += [r.pk for r in regels if r.schoolgegevens_id in nog_van_opvolger]
    PersoneelswijzigingRegel.objects.filter(pk__in=teruggezet).update(teruggezet=True)
    _audit_schoolgegevens(
        door,
        "personeelswijziging",
        pw.regels.filter(pk__in=teruggezet).values_list("schoolgegevens_id", flat=True),
        f"wijziging {pw.pk} ongedaan gemaakt",
    )
    pw.status = PersoneelswijzigingStatus.ONGEDAAN
    pw.ongedaan_door = door
    pw.ongedaan_op = timezone.now()
    pw.save(update_fields=["status", "ongedaan_door", "ongedaan_op"])
    personeelswijziging.status = pw.status
    return len(teruggezet)


@transaction.atomic
def personeelswijziging_reject(
    *, personeelswijziging: Personeelswijziging, door: User, toelichting: str
) -> Personeelswijziging:
    if not is_swv_beheer(door):
        raise ValidationError(_("Alleen het loket of de beheerder wijst een aanvraag af."))
    pw = Personeelswijziging.objects.select_for_update().get(
        pk=personeelswijziging.pk, organisatie_id=door.organisatie_id
    )
    if pw.status != PersoneelswijzigingStatus.AANGEVRAAGD:
        raise ValidationError(_("Deze aanvraag is al behandeld."))
    if not toelichting.strip():
        raise ValidationError(_("Vul een toelichting in voor de school."))
    pw.status = PersoneelswijzigingStatus.AFGEWEZEN
    pw.behandeld_door = door
    pw.behandeld_op = timezone.now()
    pw.toelichting = (pw.toelichting + "\n\n" + toelichting.strip()).strip()
    pw.save(update_fields=["status", "behandeld_door", "behandeld_op", "toelichting"])
    return pw


# --- Users ---------------------------------------------------------------------------------------

_MEDEWERKER_ROLLEN = {Rol.SWV_LOKET, Rol.BEHEERDER, Rol.PLATFORM}


def _check_beheerder(door: User) -> None:
    """Retention and inzage: the beheerder of the own organisation."""
    if not mag_in_organisatie(door, Recht.BEWAARTERMIJNEN_BEHEREN, door.organisatie_id):
        raise ValidationError(_("Alleen de beheerder beheert gebruikers."))


def _check_gebruikersbeheer(door: User, organisatie_id: int | None) -> None:
    if not mag_in_organisatie(door, Recht.GEBRUIKERS_BEHEREN, organisatie_id):
        raise ValidationError(_("Alleen de beheerder beheert gebruikers."))


def _koppelingen_schoon(gebruiker: User, scholen) -> list:
    """Schools belong to the school role, a bestuur to the bevoegd gezag: anything else is
    dropped, so a role change never leaves access behind. Staff status (the admin) follows the
    role; superuser status only ever stays with a platform account."""
    if gebruiker.rol != Rol.BEVOEGD_GEZAG:
        gebruiker.bestuur = None
    gebruiker.is_staff = gebruiker.rol in _MEDEWERKER_ROLLEN
    if gebruiker.rol != Rol.PLATFORM:
        gebruiker.is_superuser = False
    if gebruiker.rol == Rol.PLATFORM:
        gebruiker.organisatie = None
    return list(scholen) if gebruiker.rol == Rol.SCHOOL else []


def _check_koppelingen(gebruiker: User, scholen: list) -> None:
    if any(s.organisatie_id != gebruiker.organisatie_id for s in scholen):
        raise ValidationError({"scholen": _("Kies scholen van de eigen organisatie.")})
    bestuur = gebruiker.bestuur
    if bestuur is not None and bestuur.organisatie_id != gebruiker.organisatie_id:
        raise ValidationError({"bestuur": _("Kies een bestuur van de eigen organisatie.")})


def gebruiker_check_gegevens(*, door: User, gebruiker: User, scholen=()) -> None:
    """The checks of every user write, also run by the admin form's clean before saving:
    the role may be chosen by `door`, and the username is unique within its organisation
    regardless of case."""
    if gebruiker.rol == Rol.PLATFORM and not is_platformbeheerder(door):
        raise ValidationError({"rol": _("Deze rol kan hier niet worden gekozen.")})
    if gebruiker.rol != Rol.PLATFORM and gebruiker.organisatie_id is None:
        raise ValidationError({"organisatie": _("Kies de organisatie van deze gebruiker.")})
    if gebruiker.username:
        zelfde = User.objects.filter(
            organisatie_id=None if gebruiker.rol == Rol.PLATFORM else gebruiker.organisatie_id,
            username__iexact=gebruiker.username,
        )
        if gebruiker.pk:
            zelfde = zelfde.exclude(pk=gebruiker.pk)
        if zelfde.exists():
            raise ValidationError(
                {"username": _("Deze gebruikersnaam bestaat al in deze organisatie.")}
            )
    _check_koppelingen(gebruiker, list(scholen) if gebruiker.rol == Rol.SCHOOL else [])


@transaction.atomic
def gebruiker_create(*, door: User, gegevens: dict, scholen=()) -> User:
    """A personal account in the beheerder's organisation (a platform admin passes the
    organisation in `gegevens`). It gets no password: the person sets one through "Wachtwoord
    vergeten" (the beheerder never knows it) and then links the authenticator app at the first
    login."""
    gegevens = dict(gegevens)
    if not is_platformbeheerder(door):
        gegevens.pop("organisatie", None)
        gegevens["organisatie_id"] = door.organisatie_id
    gebruiker = User(**gegevens)
    _check_gebruikersbeheer(door, gebruiker.organisatie_id)
    if gebruiker.rol == Rol.PLATFORM and not is_platformbeheerder(door):
        raise ValidationError(_("Deze rol kan hier niet worden gekozen."))
    if not gebruiker.username:
        gebruiker.username = gebruikersnaam_suggestie(
            organisatie_id=gebruiker.organisatie_id,
            voornaam=gebruiker.first_name,
            achternaam=gebruiker.last_name,
        )
    scholen = _koppelingen_schoon(gebruiker, scholen)
    gebruiker_check_gegevens(door=door, gebruiker=gebruiker, scholen=scholen)
    gebruiker.set_unusable_password()
    gebruiker.full_clean(exclude=["password"])
    gebruiker.save()
    gebruiker.scholen.set(scholen)
    return gebruiker


@transaction.atomic
def gebruiker_update(*, door: User, gebruiker: User, scholen=()) -> User:
    """Save the changed fields of `gebruiker` (names, e-mail, role, bestuur, active) and its
    schools."""
    oud = User.objects.filter(pk=gebruiker.pk).values("organisatie_id", "rol", "is_active").first()
    if oud is None:
        raise ValidationError(_("Deze gebruiker hoort niet bij uw organisatie."))
    _check_gebruikersbeheer(door, oud["organisatie_id"])
    if not is_platformbeheerder(door) and (
        gebruiker.organisatie_id != door.organisatie_id
        or Rol.PLATFORM in (gebruiker.rol, oud["rol"])
    ):
        raise ValidationError(_("Deze gebruiker hoort niet bij uw organisatie."))
    if gebruiker.pk == door.pk and gebruiker.rol != door.rol:
        raise ValidationError(_("U kunt uw eigen rol als beheerder niet afnemen."))
    if gebruiker.pk == door.pk and not gebruiker.is_active:
        raise ValidationError(_("U kunt uw eigen account niet deactiveren."))
    scholen = _koppelingen_schoon(gebruiker, scholen)
    gebruiker_check_gegevens(door=door, gebruiker=gebruiker, scholen=scholen)
    gebruiker.full_clean(exclude=["password"])
    gebruiker.save()
    gebruiker.scholen.set(scholen)
    if oud["is_active"] and not gebruiker.is_active:
        sessies_beeindig(gebruiker=gebruiker)
    return gebruiker


@transaction.atomic
def gebruiker_set_actief(*, door: User, gebruiker: User, actief: bool) -> User:
    """Deactivate (the account can no longer log in; its history and name stay) or reactivate."""
    _check_gebruikersbeheer(door, gebruiker.organisatie_id)
    if gebruiker.pk == door.pk and not actief:
        raise ValidationError(_("U kunt uw eigen account niet deactiveren."))
    gebruiker.is_active = actief
    gebruiker.save(update_fields=["is_active"])
    if not actief:
        # The login's own service: sessions that are still open end at their next request.
        sessies_beeindig(gebruiker=gebruiker)
    return gebruiker


# --- Schools -------------------------------------------------------------------------------------

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


def school_check_gegevens(*, door: User, school: School) -> None:
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
        door_naam=_naam(door),
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
    school_check_gegevens(door=door, school=school)
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
    _audit_schoolgegevens(
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
        _audit_schoolgegevens(
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


# --- Besturen and organisations -----------------------------------------------------------------


def bestuur_check_gegevens(*, door: User, bestuur: Bestuur) -> None:
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
    bestuur_check_gegevens(door=door, bestuur=bestuur)
    bestuur.full_clean()
    bestuur.save()
    return bestuur


@transaction.atomic
def bestuur_delete(*, door: User, bestuur: Bestuur) -> None:
    """Only a bestuur without schools or accounts can go (the database protects the others)."""
    bestuur_check_gegevens(door=door, bestuur=bestuur)
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


def organisatie_check_wijzigen(*, door: User, organisatie: Organisatie) -> None:
    if not mag_in_organisatie(door, Recht.ORGANISATIE_WIJZIGEN, organisatie.pk):
        raise ValidationError(_("U mag de gegevens van deze organisatie niet wijzigen."))


@transaction.atomic
def organisatie_update(*, door: User, organisatie: Organisatie) -> Organisatie:
    """Save the changed fields of an organisation (the admin offers an SWV user only its contact
    e-mail and information; code, name, sector and actief are the platform admin's)."""
    organisatie_check_wijzigen(door=door, organisatie=organisatie)
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


# --- Retention -----------------------------------------------------------------------------------

VERWIJDER_BATCH = 50


@transaction.atomic
def bewaartermijnen_set(*, door: User, jaren_per_type: dict[str, int]) -> None:
    _check_beheerder(door)
    for type_, jaren in jaren_per_type.items():
        Bewaartermijn.objects.update_or_create(
            organisatie_id=door.organisatie_id, type=type_, defaults={"jaren": jaren}
        )


@transaction.atomic
def bewaarsignalering_refresh(*, organisatie_id: int, vandaag: date | None = None) -> int:
    """The daily job: replace the organisation's list of dossiers whose term has passed (a
    dossier that was reopened since drops off). Returns how many are due."""
    vandaag = vandaag or timezone.localdate()
    verlopen = dossiers_verlopen(organisatie_id=organisatie_id, vandaag=vandaag)
    Bewaarsignalering.objects.filter(organisatie_id=organisatie_id).delete()
    Bewaarsignalering.objects.bulk_create(
        Bewaarsignalering(
            organisatie_id=organisatie_id,
            leerling_id=v.leerling_id,
            gesloten_op=v.gesloten_op,
            verloopt_op=v.verloopt_op,
            types=", ".join(sorted(set(v.types))),
        )
        for v in verlopen
    )
    return len(verlopen)


_OUDERS = {("dossiers", "leerling"), ("dossiers", "schoolgegevens"), ("hulpvragen", "hulpvraag")}


def _bijlagen_verwijderen(hv_ids: list[int]) -> list[str]:
    """Delete the bijlagen of these hulpvragen with their download records (which PROTECT the
    bijlage: they describe data that no longer exists and go with it). Returns the storage keys
    of those files and of staged uploads, for removal after the commit."""
    bijlagen = Bijlage.objects.filter(hulpvraag_id__in=hv_ids)
    sleutels = list(bijlagen.values_list("sleutel", flat=True))
    sleutels += list(
        BijlageConcept.objects.filter(hulpvraag_id__in=hv_ids).values_list("sleutel", flat=True)
    )
    BijlageInzage.objects.filter(bijlage__in=bijlagen).delete()
    bijlagen.delete()
    return sleutels


def _verwijder_batch(leerling_ids: list[int]) -> tuple[int, list[str]]:
    """Delete these dossiers with everything that hangs off them. Files are deleted from storage
    only after the transaction commits (a rollback keeps rows and files together)."""
    hulpvragen = Hulpvraag.objects.filter(leerling_id__in=leerling_ids)
    hv_ids = list(hulpvragen.values_list("pk", flat=True))
    sleutels = _bijlagen_verwijderen(hv_ids)
    # Rows of other apps that PROTECT the hulpvraag or the pupil (decision records, their advice)
    # go first; the rest cascades below.
    _verwijzende_rijen_verwijderen([(Hulpvraag, hv_ids), (Leerling, leerling_ids)], bewaard=_OUDERS)
    aantal_hulpvragen = len(hv_ids)
    # Cascades: status history, outbox rows, granted access, staged files, notes.
    hulpvragen.delete()
    # Cascades: addresses, Schoolgegevens (and personeelswijziging rows that point at them).
    Leerling.objects.filter(pk__in=leerling_ids).delete()
    Bewaarsignalering.objects.filter(leerling_id__in=leerling_ids).delete()
    transaction.on_commit(lambda: _opgeslagen_verwijderen(sleutels))
    return aantal_hulpvragen, sleutels


# What anonymising keeps: the pupil row (names, BSN, onderwijsnummer replaced, birth date reduced
# to its year), the Schoolgegevens (school, leerjaar: the kengetallen per school), the hulpvragen
# (type, status, dates: the kengetallen; their omschrijving emptied), their status history (the
# doorlooptijden; the toelichting emptied) and the personeelswijziging rows (staff contacts, no
# pupil data). Every other row that points at the pupil, a hulpvraag or a Schoolgegevens is deleted:
# addresses, LVS data, forms, notes, granted access, outbox rows, bijlagen (files included), and
# whatever other apps add later, unless it is named here.
ANONIEM_BEWAARD = {
    ("dossiers", "leerling"),
    ("dossiers", "schoolgegevens"),
    ("hulpvragen", "hulpvraag"),
    ("hulpvragen", "statuswijziging"),
    ("beheer", "personeelswijzigingregel"),
    # The decisions the reports count (TLVs by bekostigingscategorie, FA periods); no free text.
    ("besluiten", "toelaatbaarheidsverklaring"),
    ("besluiten", "financieelarrangement"),
}
ANONIEM = "Geanonimiseerd"


def _verwijzende_rijen_verwijderen(ouders: list[tuple[type, list[int]]], bewaard: set) -> None:
    """Delete every row of another model that points at one of these rows (cascading on), except
    the models in `bewaard`. Rows that a PROTECT still holds (a decision record pointing at the
    pupil through one relation while another is being walked) are retried after the others, so
    the order of the relations does not matter; what stays protected at the end raises."""
    taken = []
    for model, ids in ouders:
        for rel in model._meta.related_objects:
            if rel.many_to_many or not rel.field.concrete or not ids:
                continue
            ander = rel.related_model
            if (ander._meta.app_label, ander._meta.model_name) in bewaard:
                continue
            taken.append((ander, {f"{rel.field.name}__in": ids}))
    for _poging in range(len(taken) + 1):
        over = []
        for ander, filter_ in taken:
            try:
                with transaction.atomic():
                    # _base_manager: a plain queryset, whatever the default manager refuses.
                    ander._base_manager.filter(**filter_).delete()
            except ProtectedError:
                over.append((ander, filter_))
        if not over:
            return
        if len(over) == len(taken):
            break
        taken = over
    for ander, filter_ in taken:
        ander._base_manager.filter(**filter_).delete()  # raises ProtectedError: nothing half-done


def _anonimiseer_batch(leerling_ids: list[int]) -> tuple[int, list[str]]:
    """Anonymise these dossiers in place; files go from storage after the commit."""
    from hulpvragen.models import Statuswijziging

    hulpvragen = Hulpvraag.objects.filter(leerling_id__in=leerling_ids)
    hv_ids = list(hulpvragen.values_list("pk", flat=True))
    sg_ids = list(
        Schoolgegevens.objects.filter(leerling_id__in=leerling_ids).values_list("pk", flat=True)
    )
    sleutels = _bijlagen_verwijderen(hv_ids)
    _verwijzende_rijen_verwijderen(
        [(Hulpvraag, hv_ids), (Schoolgegevens, sg_ids), (Leerling, leerling_ids)],
        bewaard=ANONIEM_BEWAARD,
    )
    # Free text may name the pupil. The status history is immutable for the application; this is
    # its one sanctioned rewrite: the steps (from, to, when, by whom) stay, the text goes.
    Statuswijziging._base_manager.filter(hulpvraag_id__in=hv_ids).update(toelichting="")
    Hulpvraag.objects.filter(pk__in=hv_ids).update(omschrijving="")
    Hulpvraag.labels.through.objects.filter(hulpvraag_id__in=hv_ids).delete()
    nu = timezone.now()
    for leerling in Leerling.objects.filter(pk__in=leerling_ids).only("pk", "geboortedatum"):
        Leerling.objects.filter(pk=leerling.pk).update(
            voornamen=ANONIEM,
            roepnaam=ANONIEM,
            tussenvoegsel="",
            achternaam=f"{ANONIEM} {leerling.pk}",
            bsn="",
            onderwijsnummer="",
            # The year stays (age at the request, for the kengetallen), the day does not.
            geboortedatum=leerling.geboortedatum.replace(month=1, day=1),
            geanonimiseerd_op=nu,
        )
    Bewaarsignalering.objects.filter(leerling_id__in=leerling_ids).delete()
    transaction.on_commit(lambda: _opgeslagen_verwijderen(sleutels))
    return len(hv_ids), sleutels


def bewaaropdracht_plannen(
    *, door: User, leerling_ids: list[int], soort: str = BewaarSoort.VERWIJDEREN
) -> Verwijdering:
    """The beheerder's confirmation: record the job and queue it after the commit (a Celery task;
    in-process without REDIS_URL). Nothing is removed in the request."""
    from beheer.tasks import bewaaropdracht_uitvoeren as taak

    _check_beheerder(door)
    with transaction.atomic():
        record = Verwijdering.objects.create(
            organisatie_id=door.organisatie_id,
            door=door,
            door_naam=_naam(door),
            soort=BewaarSoort(soort),
            status=BewaarStatus.INGEPLAND,
            aangevraagd=sorted(set(leerling_ids)),
        )
        enqueue_on_commit(taak, record.pk)
    return record


def bewaaropdracht_uitvoeren(*, verwijdering_id: int, vandaag: date | None = None) -> Verwijdering:
    """Run one confirmed job: check each dossier again (one reopened since the list is skipped),
    then delete or anonymise in batches of VERWIJDER_BATCH dossiers per transaction, files
    included, updating the record after every batch. A job runs once: the claim moves it from
    "ingepland" to "bezig" (a second worker, or a redelivered message, finds nothing to claim)."""
    if not Verwijdering.objects.filter(pk=verwijdering_id, status=BewaarStatus.INGEPLAND).update(
        status=BewaarStatus.BEZIG
    ):
        return Verwijdering.objects.get(pk=verwijdering_id)
    record = Verwijdering.objects.select_related("door").get(pk=verwijdering_id)
    vandaag = vandaag or timezone.localdate()
    nog_verlopen = [
        v.leerling_id
        for v in dossiers_verlopen(
            organisatie_id=record.organisatie_id, vandaag=vandaag, leerling_ids=record.aangevraagd
        )
    ]
    uitvoeren = _anonimiseer_batch if record.soort == BewaarSoort.ANONIMISEREN else _verwijder_batch
    details = (
        "dossier geanonimiseerd na de bewaartermijn"
        if record.soort == BewaarSoort.ANONIMISEREN
        else "dossier verwijderd na de bewaartermijn"
    )
    try:
        for start in range(0, len(nog_verlopen), VERWIJDER_BATCH):
            batch = nog_verlopen[start : start + VERWIJDER_BATCH]
            with transaction.atomic():
                n_hv, sleutels = uitvoeren(batch)
                audit_gewijzigd(
                    user=record.door,
                    onderdeel="bewaartermijn",
                    hulpvragen=[(leerling_id, None) for leerling_id in batch],
                    details=details,
                )
                record.leerling_ids = [*record.leerling_ids, *batch]
                record.aantal_dossiers += len(batch)
                record.aantal_hulpvragen += n_hv
                record.aantal_bijlagen += len(sleutels)
                record.save(
                    update_fields=[
                        "leerling_ids",
                        "aantal_dossiers",
                        "aantal_hulpvragen",
                        "aantal_bijlagen",
                    ]
                )
    except Exception as exc:
        # Batches done so far stay done (and recorded); the rest waits for a new confirmation.
        logger.exception("Bewaaropdracht %s mislukt", verwijdering_id)
        record.status = BewaarStatus.MISLUKT
        record.fout = type(exc).__name__
        record.klaar_op = timezone.now()
        record.save(update_fields=["status", "fout", "klaar_op"])
        return record
    record.status = BewaarStatus.KLAAR
    record.klaar_op = timezone.now()
    record.save(update_fields=["status", "klaar_op"])
    return record


def dossiers_verwijderen(
    *,
    door: User,
    leerling_ids: list[int],
    vandaag: date | None = None,
    soort: str = BewaarSoort.VERWIJDEREN,
) -> Verwijdering | None:
    """Plan and run a job at once in this process (benchmarks, the shell). Returns None when no
    dossier was (still) due."""
    _check_beheerder(door)
    with transaction.atomic():
        record = Verwijdering.objects.create(
            organisatie_id=door.organisatie_id,
            door=door,
            door_naam=_naam(door),
            soort=BewaarSoort(soort),
            status=BewaarStatus.INGEPLAND,
            aangevraagd=sorted(set(leerling_ids)),
        )
    record = bewaaropdracht_uitvoeren(verwijdering_id=record.pk, vandaag=vandaag)
    if not record.aantal_dossiers and record.status == BewaarStatus.KLAAR:
        record.delete()
        return None
    return record
