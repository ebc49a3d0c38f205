"""Reads of the loket. Every hulpvraag comes from the access module (hulpvragen.access)."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.models import Hulpvraag
from loket.klok import VOOR_SWV, Fase

# The werkvoorraad's views: (slug, label). The first is the default.
WEERGAVEN = [
    ("open", _("Voor het SWV")),
    ("nieuw", _("Nieuw")),
    ("aangevuld", _("Aangevuld")),
    ("advies", _("Wacht op advies of besluit")),
    ("te_laat", _("Termijn verstreken")),
    ("bij_school", _("Bij de school")),
]


def werkvoorraad(
    *, user: User, weergave: str = "open", coordinator: str = ""
) -> QuerySet[Hulpvraag]:
    """The loket's work list: submitted hulpvragen whose decision clock runs (or is paused at the
    school), soonest deadline first. One query for the rows (+ one for the labels)."""
    nu = timezone.now()
    qs = hulpvragen_visible_to(user).filter(termijn__isnull=False)
    match weergave:
        case "nieuw":
            qs = qs.filter(termijn__fase=Fase.INGEDIEND)
        case "aangevuld":
            qs = qs.filter(termijn__fase=Fase.AANGEVULD)
        case "advies":
            qs = qs.filter(termijn__fase=Fase.IN_BEHANDELING)
        case "bij_school":
            qs = qs.filter(termijn__fase=Fase.BIJ_SCHOOL)
        case "te_laat":
            qs = qs.filter(
                termijn__fase__in=VOOR_SWV,
                termijn__pauze_sinds__isnull=True,
                termijn__deadline__lt=nu,
            )
        case _:
            qs = qs.filter(termijn__fase__in=VOOR_SWV)
    if coordinator == "mij":
        qs = qs.filter(coordinator=user)
    elif coordinator == "geen":
        qs = qs.filter(coordinator__isnull=True)
    return (
        qs.select_related("termijn", "status", "leerling", "schoolgegevens__school", "coordinator")
        .prefetch_related("labels")
        .order_by(F("termijn__deadline").asc(nulls_last=True), "termijn__ingediend_op", "pk")
    )


def werkvoorraad_aantallen(*, user: User) -> dict[str, int]:
    """How many hulpvragen each view holds (one query), for the view links."""

    nu = timezone.now()
    qs = hulpvragen_visible_to(user).filter(termijn__isnull=False)
    return qs.aggregate(
        open=Count("pk", filter=Q(termijn__fase__in=VOOR_SWV)),
        nieuw=Count("pk", filter=Q(termijn__fase=Fase.INGEDIEND)),
        aangevuld=Count("pk", filter=Q(termijn__fase=Fase.AANGEVULD)),
        advies=Count("pk", filter=Q(termijn__fase=Fase.IN_BEHANDELING)),
        te_laat=Count(
            "pk",
            filter=Q(
                termijn__fase__in=VOOR_SWV,
                termijn__pauze_sinds__isnull=True,
                termijn__deadline__lt=nu,
            ),
        ),
        bij_school=Count("pk", filter=Q(termijn__fase=Fase.BIJ_SCHOOL)),
    )
