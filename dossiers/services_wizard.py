"""The new-dossier wizard: the user's unfinished draft (DossierConcept) with its staged files, and
creating the dossier (Leerling, Schoolgegevens, first hulpvraag) from it, or adding a hulpvraag to
an existing dossier."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from audit.models import InzageActie
from audit.services import inzage_record
from bijlagen.models import BijlageConcept
from bijlagen.services import bestanden_delete, bestanden_store, bijlagen_add
from dossiers.models import DossierConcept, Schoolgegevens
from dossiers.services_aanleveren import leerling_met_schoolgegevens
from hulpvragen.models import Hulpvraag
from hulpvragen.services import hulpvraag_create


def dossierconcept_start(*, door: User) -> DossierConcept:
    return DossierConcept.objects.create(organisatie_id=door.organisatie_id, aangemaakt_door=door)  # type: ignore[misc]


def dossierconcept_save(
    *, concept: DossierConcept, stap: str, gegevens: dict[str, Any], volgende: str | None = None
) -> DossierConcept:
    """Keep what was typed on a step, valid or not, so leaving never loses input."""
    concept.gegevens = {**concept.gegevens, stap: gegevens}
    if volgende is not None:
        concept.stap = volgende
    concept.save()
    return concept


def dossierconcept_delete(*, concept: DossierConcept) -> None:

    sleutels = [b["sleutel"] for b in concept.gegevens.get("bijlagen", [])]
    with transaction.atomic():
        concept.delete()
        transaction.on_commit(lambda: bestanden_delete(sleutels=sleutels))


def dossierconcept_bijlagen_add(*, concept: DossierConcept, bestanden: list) -> list[dict]:
    """Keep checked files (bijlagen.services.Gecontroleerd) with the wizard's concept: stored now,
    listed in `gegevens["bijlagen"]`, so they survive leaving the wizard and become the
    hulpvraag's bijlagen on the last "Opslaan" (dossier_create). No hulpvraag, no event yet."""
    if not bestanden:
        return []
    bewaard = bestanden_store(bestanden=bestanden)
    try:
        with transaction.atomic():
            vers = DossierConcept.objects.select_for_update().get(pk=concept.pk)
            vers.gegevens = {
                **vers.gegevens,
                "bijlagen": [*vers.gegevens.get("bijlagen", []), *bewaard],
            }
            vers.save(update_fields=["gegevens", "gewijzigd_op"])
    except BaseException:
        bestanden_delete(sleutels=[b["sleutel"] for b in bewaard])
        raise
    concept.gegevens = vers.gegevens
    return bewaard


def dossierconcept_bijlage_remove(*, concept: DossierConcept, sleutel: str) -> None:
    """Take one file off the concept again (and out of storage)."""
    with transaction.atomic():
        vers = DossierConcept.objects.select_for_update().get(pk=concept.pk)
        bijlagen = vers.gegevens.get("bijlagen", [])
        over = [b for b in bijlagen if b["sleutel"] != sleutel]
        if len(over) == len(bijlagen):
            return
        vers.gegevens = {**vers.gegevens, "bijlagen": over}
        vers.save(update_fields=["gegevens", "gewijzigd_op"])
        transaction.on_commit(lambda: bestanden_delete(sleutels=[sleutel]))
    concept.gegevens = vers.gegevens


@transaction.atomic
def dossier_create(
    *,
    concept: DossierConcept,
    door: User,
    leerling: dict[str, Any],
    adres: dict[str, Any] | None,
    schoolgegevens: dict[str, Any],
    hulpvraag: dict[str, Any],
) -> Hulpvraag:
    """The wizard's last "Opslaan": pupil, address, schoolgegevens and the first hulpvraag are
    created together or not at all, so there is never a pupil without a hulpvraag to find it by.
    The concept goes in the same transaction."""
    nieuw, sg = leerling_met_schoolgegevens(
        door=door, leerling=leerling, adres=adres, schoolgegevens=schoolgegevens
    )
    created = hulpvraag_create(
        schoolgegevens=sg,
        type=hulpvraag["type"],
        door=door,
        omschrijving=hulpvraag.get("omschrijving", ""),
    )
    if hulpvraag.get("coordinator") is not None:
        created.coordinator = hulpvraag["coordinator"]
        created.save(update_fields=["coordinator"])
    bijlagen = concept.gegevens.get("bijlagen", [])
    if bijlagen:
        # The concept's stored files become the hulpvraag's bijlagen as one upload action, in
        # this transaction. Not submitted yet, so no "bijlage toegevoegd" event.
        bijlagen_add(
            hulpvraag=created,
            door=door,
            bestanden=[],
            concepten=[BijlageConcept(**b) for b in bijlagen],
            gebeurtenis=False,
        )
    concept.delete()
    inzage_record(
        gebruiker=door,
        onderdeel="nieuw dossier",
        actie=InzageActie.AANGEMAAKT,
        leerling_id=nieuw.pk,
        hulpvraag_id=created.pk,
    )
    return created


def hulpvraag_add(
    *,
    schoolgegevens: Schoolgegevens,
    door: User,
    type: str,
    omschrijving: str = "",
    coordinator=None,
) -> Hulpvraag:
    """ "Nieuwe hulpvraag toevoegen" for a pupil already in Kindkans."""
    with transaction.atomic():
        created = hulpvraag_create(
            schoolgegevens=schoolgegevens, type=type, door=door, omschrijving=omschrijving
        )
        if coordinator is not None:
            created.coordinator = coordinator
            created.save(update_fields=["coordinator"])
        inzage_record(
            gebruiker=door,
            onderdeel="hulpvraag",
            actie=InzageActie.AANGEMAAKT,
            leerling_id=schoolgegevens.leerling_id,
            hulpvraag_id=created.pk,
        )
    return created
