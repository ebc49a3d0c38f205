"""Writing to the one audit log from beheer: the dossiers app's access records (audit.Inzage,
via its service), one row per pupil-data view or change, never the content."""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import User
from audit.middleware import huidig_ip_adres
from audit.models import Inzage, InzageActie
from audit.services import inzage_record


def audit_bekeken(*, user: User, onderdeel: str, leerling_id=None, hulpvraag_id=None, details=""):
    return inzage_record(
        gebruiker=user,
        onderdeel=onderdeel,
        leerling_id=leerling_id,
        hulpvraag_id=hulpvraag_id,
        details=details,
    )


def audit_gewijzigd(
    *, user: User, onderdeel: str, hulpvragen: Iterable[tuple[int, int | None]], details: str = ""
) -> None:
    """One "gewijzigd" row per (leerling_id, hulpvraag_id) a bulk action changed."""
    ip_adres = huidig_ip_adres()
    Inzage.objects.bulk_create(
        Inzage(  # type: ignore[misc]
            organisatie_id=user.organisatie_id,
            gebruiker=user,
            actie=InzageActie.GEWIJZIGD,
            onderdeel=onderdeel[:40],
            leerling_id=leerling_id,
            hulpvraag_id=hulpvraag_id,
            details=details[:300],
            ip_adres=ip_adres,
        )
        for leerling_id, hulpvraag_id in hulpvragen
    )
