"""Writes of the loket: the decision clock, the loket settings, assigning coördinator and labels."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import DateTimeField as DateTimeOutput
from django.db.models import DurationField, ExpressionWrapper, F, Value
from django.utils.translation import gettext as _

from accounts.models import Rol, User
from accounts.rechten import Recht, mag_in_organisatie
from bijlagen.checks import Geweigerd
from bijlagen.models import Documentsoort
from bijlagen.services import bestand_check, bijlagen_add
from hulpvragen.models import (
    Hulpvraag,
    KiezenDoor,
    Label,
    Overgang,
    Status,
    Statuswijziging,
)
from hulpvragen.selectors import available_transitions
from hulpvragen.services import hulpvraag_change_status
from loket.documenten import vragendocument_maken
from loket.klok import Fase, StatusSpec, klok_bereken, status_fase
from loket.models import (
    Aanpak,
    LoketInstellingen,
    Termijn,
)
from meldingen.services import aanvrager_notify
from organisaties.models import Organisatie


def loket_instellingen_for(*, organisatie_id: int) -> LoketInstellingen:
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
    instellingen = loket_instellingen_for(organisatie_id=organisatie.pk)
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


def termijn_update(*, hulpvraag: Hulpvraag) -> Termijn:
    """Recompute the hulpvraag's clock from its whole history and store it. Called for every status
    change, inside its transaction (loket.apps connects it to hulpvragen.signals)."""
    fasen = status_fasen(proces_ids=[hulpvraag.proces_id])
    historie = Statuswijziging.objects.filter(hulpvraag_id=hulpvraag.pk).order_by("op", "id")
    klok = klok_bereken(
        ((op, fasen[naar_id]) for op, naar_id in historie.values_list("op", "naar_id")),
        termijn=loket_instellingen_for(organisatie_id=hulpvraag.organisatie_id).beslistermijn,
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


def termijnen_recompute(*, organisatie: Organisatie | None = None) -> int:
    """Recompute every stored clock (after an upgrade, or when in doubt); returns how many."""
    hulpvragen = Hulpvraag.objects.only(
        "pk", "proces_id", "organisatie_id", "alleen_datum_gereserveerd", "aanvraag_compleet_op"
    ).order_by("pk")
    if organisatie is not None:
        hulpvragen = hulpvragen.filter(organisatie=organisatie)
    n = 0
    for hulpvraag in hulpvragen.iterator(chunk_size=500):
        with transaction.atomic():
            termijn_update(hulpvraag=hulpvraag)
        n += 1
    return n


def status_gewijzigd_receive(sender, *, hulpvraag: Hulpvraag, wijziging, **kwargs) -> None:
    termijn_update(hulpvraag=hulpvraag)


def reservering_gewijzigd_receive(sender, *, hulpvraag: Hulpvraag, **kwargs) -> None:
    # A date reservation completed (or made): the clock starts (or stops running).
    termijn_update(hulpvraag=hulpvraag)


def coordinatoren_for(*, organisatie_id: int):
    """Who may be a hulpvraag's coördinator: an active loket account of the organisation (the
    loket handles the hulpvraag; a deskundige or the beheerder does not)."""
    return User.objects.filter(
        organisatie_id=organisatie_id, rol=Rol.SWV_LOKET, is_active=True
    ).order_by("first_name", "last_name", "username")


@transaction.atomic
def hulpvraag_assign(
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
        coordinatoren_for(organisatie_id=hulpvraag.organisatie_id)
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


def bij_school_keuzes_for(*, hulpvraag: Hulpvraag, user: User) -> list[Status]:
    """The statuses that send the hulpvraag back to the school (incompleet, vragen gesteld) that
    this user may choose now."""
    fasen = status_fasen(proces_ids=[hulpvraag.proces_id])
    return [
        k.naar
        for k in available_transitions(hulpvraag=hulpvraag, user=user)
        if fasen.get(k.naar.pk) == Fase.BIJ_SCHOOL
    ]


def vragen_send(
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
    if naar.pk not in {s.pk for s in bij_school_keuzes_for(hulpvraag=hulpvraag, user=door)}:
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


@transaction.atomic
def aanpak_post(*, hulpvraag: Hulpvraag, door: User, beschikking: str, aanpak: str) -> Aanpak:
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
    aanvrager_notify(
        hulpvraag=hulpvraag,
        onderwerp=_("nieuwe aanpak"),
        tekst=_(
            "Het samenwerkingsverband heeft de beschikking en de afgesproken aanpak geplaatst. "
            "U leest ze op het tabblad Aanpak van de hulpvraag."
        ),
    )
    return geplaatst
