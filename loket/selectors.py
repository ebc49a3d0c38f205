"""Reads of the loket. Every hulpvraag comes from the access module (hulpvragen.access)."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from besluiten.models import Deskundigenadvies
from besluiten.selectors import tlv_verloopt_q
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
    ("tlv_verloopt", _("TLV verloopt")),
]
# Views whose rows are TLVs nearing their einddatum (through their hulpvraag), not running clocks.
TLV_WEERGAVEN = frozenset({"tlv_verloopt"})


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


def _coordinator_filter(qs: QuerySet[Hulpvraag], *, user: User, coordinator: str):
    if coordinator == "mij":
        return qs.filter(coordinator=user)
    if coordinator == "geen":
        return qs.filter(coordinator__isnull=True)
    return qs


def werkvoorraad(
    *, user: User, weergave: str = "open", coordinator: str = ""
) -> QuerySet[Hulpvraag]:
    """The loket's work list: submitted hulpvragen whose decision clock runs (or is paused at the
    school), soonest deadline first. One query for the rows (+ one for the labels).
    "tlv_verloopt": hulpvragen whose TLV ends within TLV_VERLENGING_SIGNAAL_WEKEN with no renewal
    under way (besluiten.selectors.tlv_verloopt_q), soonest einddatum first, each with its TLV
    (einddatum, herinnering_op: when the school was mailed) joined in; one query."""
    nu = timezone.now()
    if weergave in TLV_WEERGAVEN:
        vandaag = timezone.localdate()
        qs = _coordinator_filter(
            hulpvragen_visible_to(user).filter(tlv_verloopt_q(vandaag=vandaag, prefix="tlv__")),
            user=user,
            coordinator=coordinator,
        )
        return qs.select_related(
            "tlv", "status", "leerling", "schoolgegevens__school", "coordinator"
        ).order_by("tlv__einddatum", "pk")
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
    qs = _coordinator_filter(qs, user=user, coordinator=coordinator)
    return (
        qs.select_related("termijn", "status", "leerling", "schoolgegevens__school", "coordinator")
        .prefetch_related("labels")
        .order_by(F("termijn__deadline").asc(nulls_last=True), "termijn__ingediend_op", "pk")
    )


def werkvoorraad_aantallen(*, user: User) -> dict[str, int]:
    """How many hulpvragen each view holds, for the view links: one aggregate for the clock views,
    one count for "TLV verloopt" (inside the aggregate, its LEFT JOIN and subqueries over every
    visible hulpvraag doubled the aggregate's time on PostgreSQL; apart it costs a few ms)."""

    nu = timezone.now()
    qs = hulpvragen_visible_to(user).filter(termijn__isnull=False)
    aantallen = qs.aggregate(
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
    aantallen["tlv_verloopt"] = werkvoorraad(user=user, weergave="tlv_verloopt").count()
    return aantallen
