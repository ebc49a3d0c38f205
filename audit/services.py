"""Writes to the audit log. Every view of pupil data and every change of it appends a record here
(docs/beheer-en-privacy.md); nothing ever changes or deletes one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from audit.middleware import huidig_ip_adres
from audit.models import Inzage, InzageActie

if TYPE_CHECKING:
    from accounts.models import User


def inzage_record(
    *,
    gebruiker: User | None,
    onderdeel: str,
    actie: str = InzageActie.BEKEKEN,
    leerling_id: int | None = None,
    hulpvraag_id: int | None = None,
    details: str = "",
    ip_adres: str | None = None,
    ouder_uitnodiging=None,
) -> Inzage:
    """Append one audit record: who looked at or changed which pupil's data, when, and from
    which address (by default the current request's, see audit.middleware). A parent has no
    account: pass `ouder_uitnodiging` (ouders.Uitnodiging) instead of a user."""
    if gebruiker is None and ouder_uitnodiging is None:
        raise ValueError("Een inzage heeft een gebruiker of een uitnodiging van een ouder.")
    return Inzage.objects.create(  # type: ignore[misc]
        organisatie_id=(
            gebruiker.organisatie_id if gebruiker is not None else ouder_uitnodiging.organisatie_id
        ),
        gebruiker=gebruiker,
        ouder_uitnodiging_id=None if ouder_uitnodiging is None else ouder_uitnodiging.pk,
        actie=actie,
        onderdeel=onderdeel[:40],
        leerling_id=leerling_id,
        hulpvraag_id=hulpvraag_id,
        details=details[:300],
        ip_adres=ip_adres or huidig_ip_adres(),
    )


def inzagen_record(
    *,
    gebruiker: User,
    onderdeel: str,
    actie: str,
    leerling_ids: list[int],
    details: str = "",
) -> None:
    """The same records for many pupils at once, in one insert (a whole-class import): one row
    per pupil, as inzage_record would write them."""
    ip_adres = huidig_ip_adres()
    Inzage.objects.bulk_create(
        [
            Inzage(  # type: ignore[misc]
                organisatie_id=gebruiker.organisatie_id,
                gebruiker=gebruiker,
                actie=actie,
                onderdeel=onderdeel[:40],
                leerling_id=pk,
                details=details[:300],
                ip_adres=ip_adres,
            )
            for pk in leerling_ids
        ],
        batch_size=500,
    )
