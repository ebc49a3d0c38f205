"""Dossiers delivered from the school's administration rather than typed in the wizard: one
pupil from an LVS through the API, or a whole class from an EDEXML export. A dossier without a
hulpvraag yet (Leerling, Adres when known, Schoolgegevens): the school finds it under Toevoegen
(the access module shows pupils enrolled at the user's schools) and adds a hulpvraag with
"Nieuwe hulpvraag toevoegen". Callers checked duplicates and rights."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from audit.models import InzageActie
from audit.services import inzage_record, inzagen_record
from dossiers.models import Adres, Leerling, Schoolgegevens


def leerling_met_schoolgegevens(
    *, door: User, leerling: dict, adres: dict | None, schoolgegevens: dict
) -> tuple[Leerling, Schoolgegevens]:
    """Pupil, address and enrolment in the user's organisation, validated by the models (the
    wizard's dossier_create uses the same)."""
    org = door.organisatie_id
    nieuw = Leerling(organisatie_id=org, **leerling)  # type: ignore[misc]
    nieuw.full_clean()
    nieuw.save()
    if adres:
        Adres.objects.create(organisatie_id=org, leerling=nieuw, **adres)  # type: ignore[misc]
    sg = Schoolgegevens(organisatie_id=org, leerling=nieuw, **schoolgegevens)  # type: ignore[misc]
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


@transaction.atomic
def leerlingen_importeren(
    *,
    door: User,
    leerlingen: list[dict[str, Any]],
    schoolgegevens: dict[str, Any],
    onderdeel: str = "EDEXML-klasimport",
) -> list[Leerling]:
    """A whole class from an EDEXML export, in one transaction: one dossier per pupil (no
    address: EDEXML has none; the wizard's check "adres bekend" asks for it before a hulpvraag
    is submitted). `leerlingen` are the model fields per pupil plus its own "groep"/"leerjaar"
    ; `schoolgegevens` the shared enrolment fields (school, contact, begindatum). Rows are
    checked with the models' field validators, then written in bulk: 1,000 pupils in a few
    seconds. Each pupil gets its own audit record."""
    org = door.organisatie_id
    nieuw = []
    for velden in leerlingen:
        leerling = Leerling(organisatie_id=org, **velden["leerling"])  # type: ignore[misc]
        # The keys are ours (the user's organisation, a school the form offered): validating
        # them would cost a query per row.
        leerling.clean_fields(exclude=["organisatie"])
        nieuw.append(leerling)
    Leerling.objects.bulk_create(nieuw, batch_size=500)
    sgs = []
    for leerling, velden in zip(nieuw, leerlingen, strict=True):
        sg = Schoolgegevens(  # type: ignore[misc]
            organisatie_id=org,
            leerling=leerling,
            groep=velden.get("groep"),
            leerjaar=velden.get("leerjaar"),
            **schoolgegevens,
        )
        sg.clean_fields(exclude=["organisatie", "leerling", "school", "aanvrager"])
        sgs.append(sg)
    Schoolgegevens.objects.bulk_create(sgs, batch_size=500)
    inzagen_record(
        gebruiker=door,
        onderdeel=onderdeel,
        actie=InzageActie.AANGEMAAKT,
        leerling_ids=[leerling.pk for leerling in nieuw],
    )
    return nieuw
