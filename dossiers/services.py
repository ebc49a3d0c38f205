"""Writes of dossier data. Callers pass a leerling they got through the access module and have
checked that the user may edit (dossiers.selectors.lvs_mag_bewerken)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from accounts.models import User
from dossiers.models import IqTest, Leerling, SociaalEmotioneleProblematiek, Toets


@transaction.atomic
def lvs_gegevens_opslaan(
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
