"""Meetings: the BAG-overleg and the PrO-loketvergadering of the loket (agenda, advice, outcome)
and a school's internal overlegronde with invited outsiders. See docs/loket.md."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Rol, User
from accounts.rechten import Recht, mag
from besluiten.models import TlvSoort
from besluiten.services import tlv_record
from bijlagen.checks import Geweigerd
from bijlagen.services import bestand_check, bijlagen_add
from hulpvragen.access import toegang_geldig
from hulpvragen.models import Hulpvraag, Status, Toegang
from hulpvragen.selectors import available_transitions
from hulpvragen.services import hulpvraag_change_status
from hulpvragen.services_toegang import toegang_invite
from loket.klok import Fase
from loket.models import (
    Agendapunt,
    Termijn,
    Uitkomst,
    Vergadering,
    VergaderingSoort,
)
from loket.services import status_fasen
from meldingen.models import Notificatie
from meldingen.services import aanvrager_notify


def _doel(*, hulpvraag: Hulpvraag, door: User, fase: Fase, naam_bevat: str = "") -> Status:
    """The status this user may choose now whose phase is `fase` (and whose name contains
    `naam_bevat`, where one phase has several targets, e.g. afgegeven / afwijzing)."""
    fasen = status_fasen(proces_ids=[hulpvraag.proces_id])
    for keuze in available_transitions(hulpvraag=hulpvraag, user=door):
        if fasen.get(keuze.naar.pk) == fase and naam_bevat in keuze.naar.naam.lower():
            return keuze.naar
    raise ValidationError(
        _("Vanuit de status “%(status)s” kan dat niet.") % {"status": hulpvraag.status.naam}
    )


def _bestanden_weg(bijlagen) -> None:
    for bijlage in bijlagen:
        default_storage.delete(bijlage.sleutel)


@transaction.atomic
def vergadering_create(
    *,
    door: User,
    soort: str,
    datum,
    tijd,
    plaats: str,
    deelnemers: str = "",
    school=None,
) -> Vergadering:
    """The loket plans a BAG-overleg or PrO-loketvergadering; a school user its own internal
    overlegronde (for one of its schools)."""
    if soort == VergaderingSoort.INTERN:
        if (
            not mag(door, Recht.INTERNE_OVERLEGRONDE)
            or school is None
            or not door.scholen.filter(pk=school.pk).exists()
        ):
            raise PermissionDenied
    elif not mag(door, Recht.VERGADERINGEN_BEHEREN) or school is not None:
        raise PermissionDenied
    return Vergadering.objects.create(  # type: ignore[misc]
        organisatie_id=door.organisatie_id,
        soort=soort,
        school=school,
        datum=datum,
        tijd=tijd,
        plaats=plaats,
        deelnemers=deelnemers,
        aangemaakt_door=door,
    )


def agendering_toelichting_for(vergadering: Vergadering) -> str:
    return _("Geagendeerd voor het %(soort)s op %(datum)s om %(tijd)s, plaats: %(plaats)s.") % {
        "soort": vergadering.get_soort_display(),
        "datum": f"{vergadering.datum:%d-%m-%Y}",
        "tijd": f"{vergadering.tijd:%H:%M}",
        "plaats": vergadering.plaats,
    }


@transaction.atomic
def vergadering_move(
    *, vergadering: Vergadering, door: User, datum, tijd, plaats: str
) -> list[Notificatie]:
    """The loket moves a BAG-overleg or PrO-loketvergadering. Each school with a hulpvraag still
    open on a BAG-overleg's agenda was told the date with *BAG geagendeerd* (Statushistorie and
    e-mail, which stay as they were): it gets a message with the new date, time and place through
    the outbox, without pupil data. A PrO hulpvraag's school was not told the meeting, so it is
    not mailed either. Returns the messages written."""
    if vergadering.soort == VergaderingSoort.INTERN or not mag(door, Recht.VERGADERINGEN_BEHEREN):
        raise PermissionDenied
    if vergadering.organisatie_id != door.organisatie_id:
        raise PermissionDenied
    vergadering = Vergadering.objects.select_for_update().get(pk=vergadering.pk)
    if (vergadering.datum, vergadering.tijd, vergadering.plaats) == (datum, tijd, plaats):
        return []
    vergadering.datum, vergadering.tijd, vergadering.plaats = datum, tijd, plaats
    vergadering.save(update_fields=["datum", "tijd", "plaats"])
    if vergadering.soort != VergaderingSoort.BAG:
        return []
    tekst = _(
        "Het %(soort)s waarop deze hulpvraag besproken wordt, is verplaatst naar %(datum)s om "
        "%(tijd)s, plaats: %(plaats)s."
    ) % {
        "soort": vergadering.get_soort_display(),
        "datum": f"{datum:%d-%m-%Y}",
        "tijd": f"{tijd:%H:%M}",
        "plaats": plaats,
    }
    berichten = []
    for punt in vergadering.agendapunten.filter(uitkomst=Uitkomst.OPEN).select_related("hulpvraag"):
        bericht = aanvrager_notify(
            hulpvraag=punt.hulpvraag, onderwerp=_("Het BAG-overleg is verplaatst"), tekst=tekst
        )
        if bericht is not None:
            berichten.append(bericht)
    return berichten


@transaction.atomic
def agendapunt_add(*, vergadering: Vergadering, hulpvraag: Hulpvraag, door: User) -> Agendapunt:
    """Put a hulpvraag (got through the access module) on a meeting's agenda. For a BAG-overleg
    this sets *BAG geagendeerd* with date, time and place in the toelichting, so the school's
    e-mail and Statushistorie say when; a PrO hulpvraag keeps its status until the outcome."""
    if vergadering.organisatie_id != hulpvraag.organisatie_id:
        raise PermissionDenied
    verwacht = {str(VergaderingSoort.BAG): "BAG", str(VergaderingSoort.PRO): "PRO"}.get(
        vergadering.soort
    )
    if verwacht is None or not mag(door, Recht.VERGADERINGEN_BEHEREN):
        raise PermissionDenied
    if hulpvraag.type != verwacht:
        raise ValidationError(
            _("Op deze vergadering komen alleen hulpvragen van het type %(type)s.")
            % {"type": verwacht}
        )
    if Agendapunt.objects.filter(vergadering=vergadering, hulpvraag=hulpvraag).exists():
        raise ValidationError(_("Deze hulpvraag staat al op de agenda."))
    if vergadering.soort == VergaderingSoort.BAG:
        naar = _doel(hulpvraag=hulpvraag, door=door, fase=Fase.IN_BEHANDELING)
        hulpvraag_change_status(
            hulpvraag=hulpvraag,
            naar=naar,
            door=door,
            toelichting=agendering_toelichting_for(vergadering),
        )
    else:
        fase = Termijn.objects.filter(hulpvraag=hulpvraag).values_list("fase", flat=True).first()
        if fase not in (Fase.INGEDIEND, Fase.AANGEVULD):
            raise ValidationError(
                _("Alleen een ingediende of aangevulde aanvraag komt op de loketvergadering.")
            )
    return Agendapunt.objects.create(
        organisatie_id=vergadering.organisatie_id, vergadering=vergadering, hulpvraag=hulpvraag
    )


def bag_advies_submit(
    *, agendapunt: Agendapunt, door: User, toelichting: str, advies
) -> Agendapunt:
    """After the BAG-overleg: *BAG advies uitgebracht* with the advice as bijlage (added before
    the status changes, all in one transaction; nothing left behind when refused)."""
    if agendapunt.vergadering.soort != VergaderingSoort.BAG or not mag(
        door, Recht.VERGADERINGEN_BEHEREN
    ):
        raise PermissionDenied
    if advies is None:
        raise ValidationError(_("Voeg het advies toe als bestand."))
    try:
        bestand = bestand_check(bestand=advies)
    except Geweigerd as exc:
        raise ValidationError(exc.message) from exc
    hulpvraag = agendapunt.hulpvraag
    naar = _doel(hulpvraag=hulpvraag, door=door, fase=Fase.BESLOTEN)
    bijlagen = []
    try:
        with transaction.atomic():
            bijlagen = bijlagen_add(hulpvraag=hulpvraag, door=door, bestanden=[bestand])
            hulpvraag_change_status(
                hulpvraag=hulpvraag, naar=naar, door=door, toelichting=toelichting
            )
            _afhandelen(agendapunt, Uitkomst.ADVIES, toelichting, door)
    except BaseException:
        _bestanden_weg(bijlagen)
        raise
    return agendapunt


def _afhandelen(agendapunt: Agendapunt, uitkomst: str, toelichting: str, door: User) -> None:
    agendapunt.uitkomst = uitkomst
    agendapunt.toelichting = toelichting
    agendapunt.afgehandeld_op = timezone.now()
    agendapunt.afgehandeld_door = door
    agendapunt.save(update_fields=["uitkomst", "toelichting", "afgehandeld_op", "afgehandeld_door"])


@transaction.atomic
def pro_uitkomst_record(
    *,
    agendapunt: Agendapunt,
    door: User,
    uitkomst: str,
    toelichting: str = "",
    ingangsdatum=None,
    einddatum=None,
) -> Agendapunt:
    """The loketvergadering's outcome for one PrO hulpvraag: akkoord → the TLV PrO is recorded and
    its toekenningsbrief made (besluiten.services.tlv_record, which takes the hulpvraag to
    *PrO afgegeven*), afwijzing → *PrO afwijzing* (toelichting), aangehouden → *PrO vragen gesteld*
    (toelichting). One transaction with the agenda item; recorded once."""
    if agendapunt.vergadering.soort != VergaderingSoort.PRO or not mag(
        door, Recht.VERGADERINGEN_BEHEREN
    ):
        raise PermissionDenied
    if agendapunt.uitkomst != Uitkomst.OPEN:
        raise ValidationError(_("Voor deze hulpvraag is de uitkomst al vastgelegd."))
    hulpvraag = agendapunt.hulpvraag
    match uitkomst:
        case Uitkomst.AKKOORD:
            tlv_record(
                hulpvraag=hulpvraag,
                door=door,
                soort=TlvSoort.PRO,
                ingangsdatum=ingangsdatum or agendapunt.vergadering.datum,
                einddatum=einddatum,
                besluitdatum=agendapunt.vergadering.datum,
                toelichting=toelichting,
            )
        case Uitkomst.AFWIJZING:
            naar = _doel(hulpvraag=hulpvraag, door=door, fase=Fase.BESLOTEN, naam_bevat="afw")
            hulpvraag_change_status(
                hulpvraag=hulpvraag, naar=naar, door=door, toelichting=toelichting
            )
        case Uitkomst.AANGEHOUDEN:
            naar = _doel(hulpvraag=hulpvraag, door=door, fase=Fase.BIJ_SCHOOL, naam_bevat="vragen")
            hulpvraag_change_status(
                hulpvraag=hulpvraag, naar=naar, door=door, toelichting=toelichting
            )
        case _:
            raise ValidationError(_("Kies akkoord, afwijzing of aangehouden."))
    _afhandelen(agendapunt, uitkomst, toelichting, door)
    return agendapunt


def agendapunten_for(*, hulpvraag: Hulpvraag, user: User):
    """The meetings of one hulpvraag this user may see: the SWV's meetings for loket and
    deskundige; a school only its own internal rounds (the loket never sees those). An invited
    outsider (genodigde) sees the rounds of whoever invited them while the grant is valid: the
    school's internal rounds for a school's invitation, the SWV's meetings for the loket's."""
    qs = Agendapunt.objects.filter(hulpvraag=hulpvraag).select_related("vergadering")
    intern = Q(vergadering__soort=VergaderingSoort.INTERN)
    match user.rol:
        case Rol.SCHOOL:
            return qs.filter(intern, vergadering__school__in=user.scholen.all())
        case Rol.SWV_LOKET | Rol.DESKUNDIGE:
            return qs.exclude(intern)
        case Rol.GENODIGDE:
            uitnodigers = set(
                Toegang.objects.filter(toegang_geldig(), hulpvraag=hulpvraag, gebruiker=user)
                .values_list("schoolintern", flat=True)
                .distinct()
            )
            zichtbaar = Q(pk__in=[])
            if True in uitnodigers:
                zichtbaar |= intern & Q(vergadering__school_id=hulpvraag.schoolgegevens.school_id)
            if False in uitnodigers:
                zichtbaar |= ~intern
            return qs.filter(zichtbaar)
    return qs.none()


def overlegronde_genodigde_invite(
    *, agendapunt: Agendapunt, door: User, email: str, voornaam: str, achternaam: str, geldig_tot
) -> Toegang:
    """A school invites an outsider to its internal overlegronde: time-limited read access to
    the hulpvraag through the Toegang service (school-internal, so hidden from the loket; audited
    there)."""
    vergadering = agendapunt.vergadering
    if vergadering.soort != VergaderingSoort.INTERN or not mag(door, Recht.INTERNE_OVERLEGRONDE):
        raise PermissionDenied
    if not door.scholen.filter(pk=vergadering.school_id).exists():  # type: ignore[misc]
        raise PermissionDenied
    return toegang_invite(
        hulpvraag=agendapunt.hulpvraag,
        door=door,
        email=email,
        voornaam=voornaam,
        achternaam=achternaam,
        geldig_tot=geldig_tot,
        reden=_("Interne overlegronde op %(datum)s") % {"datum": f"{vergadering.datum:%d-%m-%Y}"},
    )


@transaction.atomic
def interne_overlegronde_create(
    *, hulpvraag: Hulpvraag, door: User, datum, tijd, plaats: str, deelnemers: str = ""
) -> Agendapunt:
    """A school plans its own overlegronde about a hulpvraag of its school."""
    vergadering = vergadering_create(
        door=door,
        soort=VergaderingSoort.INTERN,
        datum=datum,
        tijd=tijd,
        plaats=plaats,
        deelnemers=deelnemers,
        school=hulpvraag.schoolgegevens.school,
    )
    return Agendapunt.objects.create(
        organisatie_id=hulpvraag.organisatie_id, vergadering=vergadering, hulpvraag=hulpvraag
    )
