"""Retention (bewaartermijnen): the daily list of dossiers past their term and the beheerder's
confirmed jobs that delete or anonymise them in batches, files included."""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rechten import Recht, mag_in_organisatie
from audit.models import BijlageInzage
from beheer.audit import audit_gewijzigd
from beheer.models import (
    Bewaarsignalering,
    BewaarSoort,
    BewaarStatus,
    Bewaartermijn,
    Verwijdering,
)
from beheer.selectors import dossiers_verlopen_for
from bijlagen.models import Bijlage, BijlageConcept
from bijlagen.services import _opgeslagen_verwijderen
from dossiers.models import Leerling, Schoolgegevens
from hulpvragen.models import Hulpvraag, Statuswijziging
from kindkans.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)


def _check_beheerder(door: User) -> None:
    """Retention and inzage: the beheerder of the own organisation."""
    if not mag_in_organisatie(door, Recht.BEWAARTERMIJNEN_BEHEREN, door.organisatie_id):
        raise ValidationError(_("Alleen de beheerder beheert gebruikers."))


VERWIJDER_BATCH = 50


@transaction.atomic
def bewaartermijnen_set(*, door: User, jaren_per_type: dict[str, int]) -> None:
    _check_beheerder(door)
    for type_, jaren in jaren_per_type.items():
        Bewaartermijn.objects.update_or_create(  # type: ignore[misc]
            organisatie_id=door.organisatie_id, type=type_, defaults={"jaren": jaren}
        )


@transaction.atomic
def bewaarsignalering_refresh(*, organisatie_id: int, vandaag: date | None = None) -> int:
    """The daily job: replace the organisation's list of dossiers whose term has passed (a
    dossier that was reopened since drops off). Returns how many are due."""
    vandaag = vandaag or timezone.localdate()
    verlopen = dossiers_verlopen_for(organisatie_id=organisatie_id, vandaag=vandaag)
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
    BijlageInzage.objects.filter(bijlage__in=bijlagen).purge_for_retention()
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


def _verwijzende_rijen_verwijderen(
    ouders: list[tuple[type[models.Model], list[int]]], bewaard: set
) -> None:
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


def bewaaropdracht_schedule(
    *, door: User, leerling_ids: list[int], soort: str = BewaarSoort.VERWIJDEREN
) -> Verwijdering:
    """The beheerder's confirmation: record the job and queue it after the commit (a Celery task;
    in-process without REDIS_URL). Nothing is removed in the request."""
    _check_beheerder(door)
    with transaction.atomic():
        record = Verwijdering.objects.create(  # type: ignore[misc]
            organisatie_id=door.organisatie_id,
            door=door,
            door_naam=str(door),
            soort=BewaarSoort(soort),
            status=BewaarStatus.INGEPLAND,
            aangevraagd=sorted(set(leerling_ids)),
        )
        enqueue_on_commit("beheer.tasks.bewaaropdracht_uitvoeren", record.pk)
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
        for v in dossiers_verlopen_for(
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
                    user=record.door,  # type: ignore[arg-type]  # the run was started by a user
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


def dossiers_delete(
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
        record = Verwijdering.objects.create(  # type: ignore[misc]
            organisatie_id=door.organisatie_id,
            door=door,
            door_naam=str(door),
            soort=BewaarSoort(soort),
            status=BewaarStatus.INGEPLAND,
            aangevraagd=sorted(set(leerling_ids)),
        )
    record = bewaaropdracht_uitvoeren(verwijdering_id=record.pk, vandaag=vandaag)
    if not record.aantal_dossiers and record.status == BewaarStatus.KLAAR:
        record.delete()
        return None
    return record
