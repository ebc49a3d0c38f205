"""Writes for beheer: personeelswijzigingen (docs/beheer-en-privacy.md explains the choices)."""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Rol, User
from accounts.rechten import Recht, mag
from beheer.models import (
    Personeelswijziging,
    PersoneelswijzigingRegel,
    PersoneelswijzigingStatus,
)
from beheer.selectors import is_swv_beheer, schoolgegevens_for_vertrekkende
from beheer.services_scholen import schoolgegevens_audit
from dossiers.models import Schoolgegevens
from organisaties.models import School

logger = logging.getLogger(__name__)


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
    return Personeelswijziging.objects.create(  # type: ignore[misc]
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
        pw = Personeelswijziging.objects.select_for_update().get(  # type: ignore[misc]
            pk=aanvraag.pk, organisatie_id=door.organisatie_id
        )
        if pw.status != PersoneelswijzigingStatus.AANGEVRAAGD:
            raise ValidationError(_("Deze aanvraag is al behandeld."))
    else:
        pw = Personeelswijziging(organisatie_id=door.organisatie_id)  # type: ignore[misc]
    pw.school = school
    pw.vertrekkend = vertrekkend
    pw.vertrekkend_email = vertrekkend_email
    pw.opvolger = opvolger
    pw.opvolger_naam = str(opvolger)
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
            pk__in=schoolgegevens_for_vertrekkende(
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
    schoolgegevens_audit(
        door,
        "personeelswijziging",
        [sg.pk for sg in rijen],
        f"wijziging {pw.pk}: aanvrager, contactpersoon en e-mailadres naar de opvolger",
    )
    return pw


def personeelswijziging_undo_allowed(
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
    pw = Personeelswijziging.objects.select_for_update().get(  # type: ignore[misc]
        pk=personeelswijziging.pk, organisatie_id=door.organisatie_id
    )
    if not personeelswijziging_undo_allowed(pw):
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
    schoolgegevens_audit(
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
    pw = Personeelswijziging.objects.select_for_update().get(  # type: ignore[misc]
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
