"""Reads of the loket. Every hulpvraag comes from the access module (hulpvragen.access)."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from besluiten.models import Deskundigenadvies
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.models import Hulpvraag
from loket.klok import VOOR_SWV, Fase
from loket.models import Agendapunt, Uitkomst, VergaderingSoort

# The werkvoorraad's views: (slug, label). The first is the default.
WEERGAVEN = [
    ("open", _("Voor het SWV")),
    ("nieuw", _("Nieuw")),
    ("aangevuld", _("Aangevuld")),
    ("advies", _("Wacht op advies")),
    ("besluit", _("Wacht op besluit")),
    ("te_laat", _("Termijn verstreken")),
    ("bij_school", _("Bij de school")),
]


def _wacht_op_besluit() -> Q:
    """Ready for the decision: on the agenda of an SWV meeting without an outcome yet (PrO
    loketvergadering, BAG-overleg), or a TLV VSO whose two deskundigen both advised."""
    op_agenda = Exists(
        Agendapunt.objects.filter(hulpvraag=OuterRef("pk"), uitkomst=Uitkomst.OPEN).exclude(
            vergadering__soort=VergaderingSoort.INTERN
        )
    )
    adviezen = Deskundigenadvies.objects.filter(
        hulpvraag=OuterRef("pk"), uitgebracht_op__isnull=False
    )
    beide_adviezen = Exists(adviezen.filter(volgorde=1)) & Exists(adviezen.filter(volgorde=2))
    return Q(termijn__fase__in=VOOR_SWV) & (Q(op_agenda) | Q(beide_adviezen))


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
            qs = qs.filter(termijn__fase=Fase.IN_BEHANDELING).exclude(_wacht_op_besluit())
        case "besluit":
            qs = qs.filter(_wacht_op_besluit())
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
        advies=Count("pk", filter=Q(termijn__fase=Fase.IN_BEHANDELING) & ~_wacht_op_besluit()),
        besluit=Count("pk", filter=_wacht_op_besluit()),
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
