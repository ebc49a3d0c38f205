from __future__ import annotations

from organisaties.models import Organisatie


def organisatie_informatie_update(*, organisatie: Organisatie, informatie: str) -> Organisatie:
    """The SWV's own text on the start page (below “Aangemeld”)."""
    organisatie.informatie = informatie.strip()
    organisatie.full_clean()
    organisatie.save(update_fields=["informatie"])
    return organisatie
