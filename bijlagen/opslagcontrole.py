"""Daily reconciliation of the attachment storage with the database.

Storage is not transactional: a worker killed between storing a file and committing its row, or a
clean-up that failed, leaves a file nobody refers to; a restored backup or a lost disk can leave
a row whose file is gone. Every day (beat task `bijlagen.opslag_controleren`, or the command
`manage.py bijlagen_opslag_controleren`):

- a file under `bijlagen/` or `quarantaine/` that no Bijlage, BijlageConcept or new-dossier concept
  refers to and that is older than a day (an upload in progress has no row yet) is removed;
- a Bijlage whose file is missing is reported to the beheerders of its organisation by mail: the
  bijlage numbers and the hulpvraag numbers, never a name (names of files carry pupils' names).
"""

from __future__ import annotations

import logging
import posixpath
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Rol, User
from bijlagen.models import Bijlage, BijlageConcept
from dossiers.models import DossierConcept

logger = logging.getLogger(__name__)

MAPPEN = ("bijlagen", "quarantaine")
MINIMALE_LEEFTIJD = timedelta(days=1)


@dataclass
class Uitslag:
    verwijderd: list[str] = field(default_factory=list)
    # organisatie id → [(bijlage id, hulpvraag id)]
    ontbrekend: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    gemaild: int = 0


def _bestanden(map_: str):
    try:
        mappen, bestanden = default_storage.listdir(map_)
    except FileNotFoundError:
        return
    for naam in bestanden:
        yield posixpath.join(map_, naam)
    for sub in mappen:
        yield from _bestanden(posixpath.join(map_, sub))


def _bekende_sleutels() -> set[str]:
    sleutels = set(Bijlage.objects.values_list("sleutel", flat=True))
    sleutels |= set(BijlageConcept.objects.values_list("sleutel", flat=True))
    for gegevens in DossierConcept.objects.values_list("gegevens", flat=True):
        for item in (gegevens or {}).get("bijlagen") or []:
            if isinstance(item, dict) and item.get("sleutel"):
                sleutels.add(item["sleutel"])
    return sleutels


def opslag_controleren(*, nu=None, mailen: bool = True) -> Uitslag:
    nu = nu or timezone.now()
    uitslag = Uitslag()
    bekend = _bekende_sleutels()
    for map_ in MAPPEN:
        for sleutel in _bestanden(map_):
            if sleutel in bekend:
                continue
            try:
                if nu - default_storage.get_modified_time(sleutel) < MINIMALE_LEEFTIJD:
                    continue
                default_storage.delete(sleutel)
            except OSError:
                logger.exception("Opslagcontrole: %s niet verwijderd", sleutel)
                continue
            uitslag.verwijderd.append(sleutel)
    # Counted again after the removals: a row written meanwhile keeps its file, it is not missing.
    for pk, org, hv, sleutel in Bijlage.objects.values_list(
        "pk", "organisatie_id", "hulpvraag_id", "sleutel"
    ).iterator():
        if not default_storage.exists(sleutel):
            uitslag.ontbrekend.setdefault(org, []).append((pk, hv))
    if uitslag.verwijderd:
        logger.warning("Opslagcontrole: %d bestanden zonder rij weg", len(uitslag.verwijderd))
    if mailen:
        for org, rijen in uitslag.ontbrekend.items():
            uitslag.gemaild += _beheerders_mailen(organisatie_id=org, rijen=rijen)
    return uitslag


def _beheerders_mailen(*, organisatie_id: int, rijen: list[tuple[int, int]]) -> int:
    adressen = sorted(
        User.objects.filter(organisatie_id=organisatie_id, rol=Rol.BEHEERDER, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not adressen:
        logger.warning(
            "Opslagcontrole: %d bijlagen zonder bestand bij organisatie %s, geen beheerder-adres",
            len(rijen),
            organisatie_id,
        )
        return 0
    context = {"rijen": sorted(rijen), "site": settings.SITE_URL}
    EmailMessage(
        subject=render_to_string("emails/bijlagen_ontbrekend_onderwerp.txt", context).strip(),
        body=render_to_string("emails/bijlagen_ontbrekend.txt", context),
        to=adressen,
    ).send()
    return 1
