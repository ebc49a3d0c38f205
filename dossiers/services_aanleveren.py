"""Dossiers delivered from the school's administration rather than typed in the wizard: one
pupil from an LVS through the API, or a whole class from an EDEXML export. A dossier without a
hulpvraag yet (Leerling, Adres when known, Schoolgegevens): the school finds it under Toevoegen
(the access module shows pupils enrolled at the user's schools) and adds a hulpvraag with
"Nieuwe hulpvraag toevoegen". Callers checked duplicates and rights."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from dossiers.models import Adres, InzageActie, Leerling, Schoolgegevens
from dossiers.services import inzage_record


def leerling_met_schoolgegevens(
    *, door: User, leerling: dict, adres: dict | None, schoolgegevens: dict
) -> tuple[Leerling, Schoolgegevens]:
    """Pupil, address and enrolment in the user's organisation, validated by the models (the
    wizard's dossier_create uses the same)."""
    org = door.organisatie_id
    nieuw = Leerling(organisatie_id=org, **leerling)
    nieuw.full_clean()
    nieuw.save()
    if adres:
        Adres.objects.create(organisatie_id=org, leerling=nieuw, **adres)
    sg = Schoolgegevens(organisatie_id=org, leerling=nieuw, **schoolgegevens)
    sg.full_clean()
    sg.save()
    return nieuw, sg


@transaction.atomic
def leerling_create(
    *,
    door: User,
    leerling: dict[str, Any],
    adres: dict[str, Any] | None,
    schoolgegevens: dict[str, Any],
    onderdeel: str = "nieuw dossier",
) -> Leerling:
    """One delivered pupil, together or not at all, audited. The database refuses a second BSN
    or onderwijsnummer in the organisation (IntegrityError)."""
    nieuw, _sg = leerling_met_schoolgegevens(
        door=door, leerling=leerling, adres=adres, schoolgegevens=schoolgegevens
    )
    inzage_record(
        gebruiker=door, onderdeel=onderdeel, actie=InzageActie.AANGEMAAKT, leerling_id=nieuw.pk
    )
    return nieuw
