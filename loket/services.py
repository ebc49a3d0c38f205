"""Writes of the loket: the decision clock, the loket settings, assigning coördinator and labels."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import DateTimeField as DateTimeOutput
from django.db.models import DurationField, ExpressionWrapper, F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Rol, User
from accounts.rechten import Recht, mag, mag_in_organisatie
from besluiten.models import TlvSoort
from besluiten.services import tlv_vastleggen
from bijlagen.checks import Geweigerd
from bijlagen.models import Documentsoort
from bijlagen.services import bestand_check, bijlagen_add
from dossiers.services import toegang_uitnodigen
from hulpvragen.access import toegang_geldig
from hulpvragen.models import (
    Hulpvraag,
    KiezenDoor,
    Label,
    Notificatie,
    Overgang,
    Status,
    Statuswijziging,
    Toegang,
)
from hulpvragen.selectors import available_transitions
from hulpvragen.services import hulpvraag_change_status, notificatie_aan_aanvrager
from loket.documenten import vragendocument_maken
from loket.klok import Fase, StatusSpec, klok_bereken, status_fase
from loket.models import (
    Aanpak,
    Agendapunt,
    LoketInstellingen,
    Termijn,
    Uitkomst,
    Vergadering,
    VergaderingSoort,
)
from organisaties.models import Organisatie

# --- Settings ------------------------------------------------------------------------------------


def loket_instellingen_voor(*, organisatie_id: int) -> LoketInstellingen:
    """The organisation's settings; an unsaved row with the defaults when it has none."""
    return LoketInstellingen.objects.filter(organisatie_id=organisatie_id).first() or (
        LoketInstellingen(organisatie_id=organisatie_id)
    )


@transaction.atomic
def loket_instellingen_update(
    *, organisatie: Organisatie, door: User, beslistermijn_weken: int
) -> LoketInstellingen:
    """Save the settings and move every stored deadline of the organisation to the new term (one
    UPDATE: deadline = ingediend + closed pauses + term)."""
    if not mag_in_organisatie(door, Recht.LOKETINSTELLINGEN_BEHEREN, organisatie.pk):
        raise PermissionDenied
    instellingen = loket_instellingen_voor(organisatie_id=organisatie.pk)
    instellingen.beslistermijn_weken = beslistermijn_weken
    instellingen.full_clean()
    instellingen.save()
    Termijn.objects.filter(organisatie_id=organisatie.pk, ingediend_op__isnull=False).update(
        deadline=ExpressionWrapper(
            F("ingediend_op")
            + F("gepauzeerd")
            + Value(instellingen.beslistermijn, output_field=DurationField()),
            output_field=DateTimeOutput(),
        )
    )
    return instellingen


# --- The decision clock --------------------------------------------------------------------------


def status_fasen(*, proces_ids: Iterable[int]) -> dict[int, Fase]:
    """The phase (loket.klok) of every status of these process versions: two queries."""
    proces_ids = set(proces_ids)
    automatisch: dict[int, list[bool]] = {}
    for van_id, naar_eind in Overgang.objects.filter(
        proces_id__in=proces_ids, door=KiezenDoor.SYSTEEM
    ).values_list("van_id", "naar__eindstatus"):
        automatisch.setdefault(van_id, []).append(naar_eind)
    return {
        s.pk: status_fase(
            StatusSpec(
                initieel=s.initieel,
                eindstatus=s.eindstatus,
                zichtbaar_voor_swv=s.zichtbaar_voor_swv,
                kiezen_door=s.kiezen_door,
                automatisch_naar_eind=tuple(automatisch.get(s.pk, ())),
            )
        )
        for s in Status.objects.filter(proces_id__in=proces_ids).only(
            "initieel", "eindstatus", "zichtbaar_voor_swv", "kiezen_door"
        )
    }


def termijn_bijwerken(*, hulpvraag: Hulpvraag) -> Termijn:
    """Recompute the hulpvraag's clock from its whole history and store it. Called for every status
    change, inside its transaction (loket.apps connects it to hulpvragen.signals)."""
    fasen = status_fasen(proces_ids=[hulpvraag.proces_id])
    historie = Statuswijziging.objects.filter(hulpvraag_id=hulpvraag.pk).order_by("op", "id")
    klok = klok_bereken(
        ((op, fasen[naar_id]) for op, naar_id in historie.values_list("op", "naar_id")),
        termijn=loket_instellingen_voor(organisatie_id=hulpvraag.organisatie_id).beslistermijn,
        alleen_reservering=hulpvraag.alleen_datum_gereserveerd,
        start_niet_voor=hulpvraag.aanvraag_compleet_op,
    )
    termijn, _created = Termijn.objects.update_or_create(
        hulpvraag_id=hulpvraag.pk,
        defaults={
            "organisatie_id": hulpvraag.organisatie_id,
            "fase": klok.fase,
            "ingediend_op": klok.ingediend_op,
            "gepauzeerd": klok.gepauzeerd,
            "pauze_sinds": klok.pauze_sinds,
            "gestopt_op": klok.gestopt_op,
            "deadline": klok.deadline,
        },
    )
    return termijn


def termijnen_herberekenen(*, organisatie: Organisatie | None = None) -> int:
    """Recompute every stored clock (after an upgrade, or when in doubt); returns how many."""
    hulpvragen = Hulpvraag.objects.only(
        "pk", "proces_id", "organisatie_id", "alleen_datum_gereserveerd", "aanvraag_compleet_op"
    ).order_by("pk")
    if organisatie is not None:
        hulpvragen = hulpvragen.filter(organisatie=organisatie)
    n = 0
    for hulpvraag in hulpvragen.iterator(chunk_size=500):
        with transaction.atomic():
            termijn_bijwerken(hulpvraag=hulpvraag)
        n += 1
    return n


def status_gewijzigd_ontvangen(sender, *, hulpvraag: Hulpvraag, wijziging, **kwargs) -> None:
    termijn_bijwerken(hulpvraag=hulpvraag)


def reservering_gewijzigd_ontvangen(sender, *, hulpvraag: Hulpvraag, **kwargs) -> None:
    # A date reservation completed (or made): the clock starts (or stops running).
    termijn_bijwerken(hulpvraag=hulpvraag)


# --- Coördinator and labels ----------------------------------------------------------------------


def coordinatoren_voor(*, organisatie_id: int):
    """Who may be a hulpvraag's coördinator: an active loket account of the organisation (the
    loket handles the hulpvraag; a deskundige or the beheerder does not)."""
    return User.objects.filter(
        organisatie_id=organisatie_id, rol=Rol.SWV_LOKET, is_active=True
    ).order_by("first_name", "last_name", "username")


@transaction.atomic
def hulpvraag_toewijzen(
    *,
    hulpvraag: Hulpvraag,
    door: User,
    coordinator: User | None,
    labels: Iterable[Label],
) -> Hulpvraag:
    """The loket sets a hulpvraag's coördinator and labels (the werkvoorraad's quick form). The
    caller got the hulpvraag through the access module."""
    if not mag_in_organisatie(door, Recht.COORDINATOR_TOEWIJZEN, hulpvraag.organisatie_id):
        raise PermissionDenied
    labels = list(labels)
    if coordinator is not None and not (
        coordinatoren_voor(organisatie_id=hulpvraag.organisatie_id)
        .filter(pk=coordinator.pk)
        .exists()
    ):
        raise ValidationError(_("Kies een coördinator van het samenwerkingsverband."))
    if any(label.organisatie_id != hulpvraag.organisatie_id for label in labels):
        raise ValidationError(_("Kies labels van uw eigen samenwerkingsverband."))
    hulpvraag.coordinator = coordinator
    hulpvraag.save(update_fields=["coordinator", "laatste_datum"])
    hulpvraag.labels.set(labels)
    return hulpvraag


# --- Completeness and questions ------------------------------------------------------------------


def bij_school_keuzes(*, hulpvraag: Hulpvraag, user: User) -> list[Status]:
    """The statuses that send the hulpvraag back to the school (incompleet, vragen gesteld) that
    this user may choose now."""
    fasen = status_fasen(proces_ids=[hulpvraag.proces_id])
    return [
        k.naar
        for k in available_transitions(hulpvraag=hulpvraag, user=user)
        if fasen.get(k.naar.pk) == Fase.BIJ_SCHOOL
    ]


def vragen_stellen(
    *,
    hulpvraag: Hulpvraag,
    door: User,
    naar: Status,
    toelichting: str,
    vragen: str = "",
    document=None,
    gezien_status: Status | int | None = None,
):
    """The loket sends the hulpvraag back to the school: *incompleet* or *vragen gesteld* with a
    toelichting saying what is needed, and optionally the questions as a bijlage (an uploaded
    document, and/or typed questions turned into a Word document). The bijlagen are added
    before the status changes (so their upload event does not count as the school's answer), all
    in one transaction; refused changes leave nothing behind, files included."""
    if naar.pk not in {s.pk for s in bij_school_keuzes(hulpvraag=hulpvraag, user=door)}:
        raise ValidationError(_("Deze status stuurt de hulpvraag niet terug naar de school."))
    if not (toelichting or "").strip():
        raise ValidationError(_("Schrijf in de toelichting wat de school moet aanvullen."))
    bestanden = []
    try:
        if document is not None:
            bestanden.append(bestand_check(bestand=document))
        if (vragen or "").strip():
            bestanden.append(
                bestand_check(bestand=vragendocument_maken(hulpvraag=hulpvraag, vragen=vragen))
            )
    except Geweigerd as exc:
        raise ValidationError(exc.message) from exc
    bijlagen = []
    try:
        with transaction.atomic():
            if bestanden:
                bijlagen = bijlagen_add(
                    hulpvraag=hulpvraag,
                    door=door,
                    bestanden=bestanden,
                    documentsoort=Documentsoort.VRAGEN,
                )
            wijziging = hulpvraag_change_status(
                hulpvraag=hulpvraag,
                naar=naar,
                door=door,
                toelichting=toelichting,
                gezien_status=gezien_status,
            )
    except BaseException:
        for bijlage in bijlagen:
            default_storage.delete(bijlage.sleutel)
        raise
    return wijziging, bijlagen


# --- Meetings: BAG-overleg, PrO-loketvergadering, a school's internal overlegronde ----------------


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
    return Vergadering.objects.create(
        organisatie_id=door.organisatie_id,
        soort=soort,
        school=school,
        datum=datum,
        tijd=tijd,
        plaats=plaats,
        deelnemers=deelnemers,
        aangemaakt_door=door,
    )


def agendeer_toelichting(vergadering: Vergadering) -> str:
    return _("Geagendeerd voor het %(soort)s op %(datum)s om %(tijd)s, plaats: %(plaats)s.") % {
        "soort": vergadering.get_soort_display(),
        "datum": f"{vergadering.datum:%d-%m-%Y}",
        "tijd": f"{vergadering.tijd:%H:%M}",
        "plaats": vergadering.plaats,
    }


@transaction.atomic
def vergadering_verplaatsen(
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
        bericht = notificatie_aan_aanvrager(
            hulpvraag=punt.hulpvraag, onderwerp=_("Het BAG-overleg is verplaatst"), tekst=tekst
        )
        if bericht is not None:
            berichten.append(bericht)
    return berichten


@transaction.atomic
def agendapunt_toevoegen(
    *, vergadering: Vergadering, hulpvraag: Hulpvraag, door: User
) -> Agendapunt:
    """Put a hulpvraag (got through the access module) on a meeting's agenda. For a BAG-overleg
    this sets *BAG geagendeerd* with date, time and place in the toelichting, so the school's
    e-mail and Statushistorie say when; a PrO hulpvraag keeps its status until the outcome."""
    if vergadering.organisatie_id != hulpvraag.organisatie_id:
        raise PermissionDenied
    verwacht = {VergaderingSoort.BAG: "BAG", VergaderingSoort.PRO: "PRO"}.get(vergadering.soort)
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
            hulpvraag=hulpvraag, naar=naar, door=door, toelichting=agendeer_toelichting(vergadering)
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


def bag_advies_uitbrengen(
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
def pro_uitkomst_vastleggen(
    *,
    agendapunt: Agendapunt,
    door: User,
    uitkomst: str,
    toelichting: str = "",
    ingangsdatum=None,
    einddatum=None,
) -> Agendapunt:
    """The loketvergadering's outcome for one PrO hulpvraag: akkoord → the TLV PrO is recorded and
    its toekenningsbrief made (besluiten.services.tlv_vastleggen, which takes the hulpvraag to
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
            tlv_vastleggen(
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


def agendapunten_voor(*, hulpvraag: Hulpvraag, user: User):
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


def overlegronde_genodigde_uitnodigen(
    *, agendapunt: Agendapunt, door: User, email: str, voornaam: str, achternaam: str, geldig_tot
) -> Toegang:
    """A school invites an outsider to its internal overlegronde: time-limited read access to
    the hulpvraag through the Toegang service (school-internal, so hidden from the loket; audited
    there)."""
    vergadering = agendapunt.vergadering
    if vergadering.soort != VergaderingSoort.INTERN or not mag(door, Recht.INTERNE_OVERLEGRONDE):
        raise PermissionDenied
    if not door.scholen.filter(pk=vergadering.school_id).exists():
        raise PermissionDenied
    return toegang_uitnodigen(
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


# --- Aanpak --------------------------------------------------------------------------------------


@transaction.atomic
def aanpak_plaatsen(*, hulpvraag: Hulpvraag, door: User, beschikking: str, aanpak: str) -> Aanpak:
    """The SWV posts the arrangement decision and the agreed approach on the Aanpak tab; the
    aanvrager gets an e-mail through the outbox, in this transaction (no pupil data and none of
    the text: only that there is a new aanpak, the hulpvraag type and the link)."""
    if not mag_in_organisatie(door, Recht.AANPAK_PLAATSEN, hulpvraag.organisatie_id):
        raise PermissionDenied
    if not beschikking.strip() or not aanpak.strip():
        raise ValidationError(_("Vul de beschikking en de afgesproken aanpak in."))
    geplaatst = Aanpak.objects.create(
        organisatie_id=hulpvraag.organisatie_id,
        hulpvraag=hulpvraag,
        beschikking=beschikking.strip(),
        aanpak=aanpak.strip(),
        geplaatst_door=door,
        door_naam=str(door),
    )
    notificatie_aan_aanvrager(
        hulpvraag=hulpvraag,
        onderwerp=_("nieuwe aanpak"),
        tekst=_(
            "Het samenwerkingsverband heeft de beschikking en de afgesproken aanpak geplaatst. "
            "U leest ze op het tabblad Aanpak van de hulpvraag."
        ),
    )
    return geplaatst
