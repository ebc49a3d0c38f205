"""A pupil's dossier (dossier.py: Leerling, address history, Schoolgegevens, the wizard's concept)
and the LVS data on it (leerlingvolgsysteem.py)."""

from dossiers.models.dossier import (
    Adres,
    AdresQuerySet,
    AdresVervallen,
    ConceptStap,
    DossierConcept,
    Geslacht,
    Leerling,
    Schoolgegevens,
)
from dossiers.models.leerlingvolgsysteem import (
    SEP_VRAGEN,
    Domein,
    IqTest,
    LvsInstellingen,
    SociaalEmotioneleProblematiek,
    Toets,
)

__all__ = [
    "SEP_VRAGEN",
    "Adres",
    "AdresQuerySet",
    "AdresVervallen",
    "ConceptStap",
    "Domein",
    "DossierConcept",
    "Geslacht",
    "IqTest",
    "Leerling",
    "LvsInstellingen",
    "Schoolgegevens",
    "SociaalEmotioneleProblematiek",
    "Toets",
]
