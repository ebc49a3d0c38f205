"""Writes of dossier data. Callers pass a leerling they got through the access module and have
checked that the user may edit (dossiers.selectors.lvs_edit_allowed)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import InzageActie
from audit.services import inzage_record
from dossiers.models import (
    Adres,
    AdresVervallen,
    IqTest,
    Leerling,
    Schoolgegevens,
    SociaalEmotioneleProblematiek,
    Toets,
)


@transaction.atomic
def lvs_gegevens_save(
    *,
    leerling: Leerling,
    door: User,
    opslaan: Iterable[IqTest | Toets] = (),
    verwijderen: Iterable[IqTest | Toets] = (),
    sociaal_emotioneel: SociaalEmotioneleProblematiek | None = None,
) -> None:
    """Save the LVS tab in one transaction: new and changed IQ tests and toetsen, removed ones,
    and the sociaal-emotionele answers. Every row gets the pupil's organisation and pupil here,
    whatever the form said, so a row can never land in another dossier."""
    for rij in verwijderen:
        # Only rows of this pupil: a forged id of another dossier deletes nothing.
        type(rij).objects.filter(pk=rij.pk, leerling=leerling).delete()
    opslaan = list(opslaan)
    bestaande = [(type(rij), rij.pk) for rij in opslaan if rij.pk is not None]
    for model in {model for model, _pk in bestaande}:
        pks = {pk for m, pk in bestaande if m is model}
        if model.objects.filter(pk__in=pks, leerling=leerling).count() != len(pks):
            raise ValueError("A row of another pupil cannot be saved in this dossier.")
    for rij in opslaan:
        rij.organisatie_id = leerling.organisatie_id
        rij.leerling = leerling
        rij.gewijzigd_door = door
        rij.save()
    if sociaal_emotioneel is not None:
        bestaand = SociaalEmotioneleProblematiek.objects.filter(leerling=leerling).first()
        sociaal_emotioneel.pk = bestaand.pk if bestaand else None
        sociaal_emotioneel._state.adding = bestaand is None
        sociaal_emotioneel.organisatie_id = leerling.organisatie_id
        sociaal_emotioneel.leerling = leerling
        sociaal_emotioneel.gewijzigd_door = door
        sociaal_emotioneel.save()


def adres_add(*, leerling: Leerling, door: User, **fields: Any) -> Adres:
    """ "+ Adres toevoegen": a new address becomes current; the old ones stay as history."""
    adres = Adres.objects.create(
        organisatie_id=leerling.organisatie_id, leerling=leerling, **fields
    )
    inzage_record(
        gebruiker=door,
        onderdeel="basisgegevens",
        actie=InzageActie.GEWIJZIGD,
        leerling_id=leerling.pk,
        details="adres toegevoegd",
    )
    return adres


class AdresAlVervallen(ValidationError):
    """The address was corrected or removed already (a second click, or someone else)."""


def _adres_vergrendeld(adres: Adres) -> Adres:
    locked = Adres.objects.select_for_update().get(pk=adres.pk)
    if locked.vervallen_op is not None:
        raise AdresAlVervallen(
            _("Dit adres is al %(wat)s; de adressen hieronder zijn bijgewerkt.")
            % {"wat": locked.get_vervallen_display()}
        )
    return locked


@transaction.atomic
def adres_correct(*, adres: Adres, door: User, **fields: Any) -> Adres:
    """A wrongly entered address corrected: the corrected address is a new row that takes its
    place; the old one stays in the history as "gecorrigeerd" (who, when, pointing at the new
    one) and the audit log records it. A second post of the same correction is refused."""
    locked = _adres_vergrendeld(adres)
    nieuw = Adres.objects.create(
        organisatie_id=locked.organisatie_id, leerling_id=locked.leerling_id, **fields
    )
    Adres.objects.filter(pk=locked.pk).update(
        vervallen_op=timezone.now(),
        vervallen=AdresVervallen.GECORRIGEERD,
        vervallen_door=door,
        vervangen_door=nieuw,
    )
    inzage_record(
        gebruiker=door,
        onderdeel="basisgegevens",
        actie=InzageActie.GEWIJZIGD,
        leerling_id=locked.leerling_id,
        details=f"adres {locked.pk} gecorrigeerd, nu adres {nieuw.pk}",
    )
    return nieuw


@transaction.atomic
def adres_remove(*, adres: Adres, door: User, reden: str) -> Adres:
    """A wrongly entered address removed: it stays in the history as "verwijderd" with who,
    when and why; the address before it (if any) is current again. Audited."""
    locked = _adres_vergrendeld(adres)
    Adres.objects.filter(pk=locked.pk).update(
        vervallen_op=timezone.now(),
        vervallen=AdresVervallen.VERWIJDERD,
        vervallen_door=door,
        vervallen_reden=reden[:300],
    )
    inzage_record(
        gebruiker=door,
        onderdeel="basisgegevens",
        actie=InzageActie.GEWIJZIGD,
        leerling_id=locked.leerling_id,
        details=f"adres {locked.pk} verwijderd",
    )
    locked.refresh_from_db()
    return locked


def schoolgegevens_update(
    *, schoolgegevens: Schoolgegevens, door: User, **fields: Any
) -> Schoolgegevens:
    """Edit the Schoolgegevens tab. Notifications read aanvrager and e-mail from this row, so
    a personeelswijziging made here re-routes every later e-mail."""
    for name, value in fields.items():
        setattr(schoolgegevens, name, value)
    schoolgegevens.full_clean()
    schoolgegevens.save()
    inzage_record(
        gebruiker=door,
        onderdeel="schoolgegevens",
        actie=InzageActie.GEWIJZIGD,
        leerling_id=schoolgegevens.leerling_id,
        details="schoolgegevens gewijzigd: " + ", ".join(sorted(fields)),
    )
    return schoolgegevens
