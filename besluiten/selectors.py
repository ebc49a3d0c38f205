"""Reads of besluiten. Every row is reached through a hulpvraag the access module gives the user
(hulpvragen.access), so the access rules stay in that one module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone

from accounts.models import Rol, User
from accounts.rechten import Recht, mag
from besluiten.models import (
    Afwijzing,
    Deskundigenadvies,
    FinancieelArrangement,
    Toelaatbaarheidsverklaring,
)
from bijlagen.models import Bijlage
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.models import Hulpvraag, HulpvraagType
from hulpvragen.selectors import open_q


def _brieven() -> Prefetch:
    return Prefetch(
        "brieven",
        queryset=Bijlage.objects.filter(ingetrokken_op__isnull=True).order_by("soort", "id"),
        to_attr="zichtbare_brieven",
    )


@dataclass
class TlvRegel:
    tlv: Toelaatbaarheidsverklaring
    verlengen: bool  # nearing its einddatum: the school should request a new one
    verlopen: bool
    # Letters, not files: the .docx and the PDF made from it are one letter ("1 Bijlagen" in the
    # manual), both offered behind the button.
    brieven: int


def tlv_verloopt_q(*, vandaag: date, prefix: str = "") -> Q:
    """The condition "this TLV ends within TLV_VERLENGING_SIGNAAL_WEKEN and no renewal is under
    way" (`prefix` to reach the TLV through a relation: "tlv__" from its Hulpvraag). A renewal is
    a TLV of the same pupil that runs longer, or an open, submitted (not voorlopige) TLV VSO or
    PrO hulpvraag of the pupil made after this TLV was recorded. The reminder task and the
    loket's werkvoorraad both use it."""
    signaal = vandaag + timedelta(weeks=settings.TLV_VERLENGING_SIGNAAL_WEKEN)
    leerling = OuterRef(f"{prefix}leerling_id")
    nieuwere_tlv = Toelaatbaarheidsverklaring.objects.filter(
        leerling_id=leerling, einddatum__gt=OuterRef(f"{prefix}einddatum")
    )
    nieuwe_aanvraag = Hulpvraag.objects.filter(
        open_q(),
        leerling_id=leerling,
        type__in=[HulpvraagType.TLV_VSO, HulpvraagType.PRO],
        status__zichtbaar_voor_swv=True,  # submitted: a voorlopige aanvraag is no renewal yet
        aangemaakt_op__gt=OuterRef(f"{prefix}vastgelegd_op"),
    )
    return (
        Q(**{f"{prefix}einddatum__gte": vandaag, f"{prefix}einddatum__lte": signaal})
        & ~Exists(nieuwere_tlv)
        & ~Exists(nieuwe_aanvraag)
    )


def tlvs_for(*, user: User, leerling_id: int, vandaag: date | None = None) -> list[TlvRegel]:
    """The pupil's TLVs that come with a hulpvraag this user may see, newest first, with their
    letters (3 queries however many)."""
    vandaag = vandaag or timezone.localdate()
    tlvs = (
        Toelaatbaarheidsverklaring.objects.filter(
            leerling_id=leerling_id,
            hulpvraag__in=hulpvragen_visible_to(user),
            organisatie_id=user.organisatie_id,
        )
        .select_related("hulpvraag")
        .prefetch_related(_brieven())
        # The same rule as the reminder mail and the werkvoorraad: no flag once renewed.
        .annotate(
            verlengen=ExpressionWrapper(
                tlv_verloopt_q(vandaag=vandaag), output_field=BooleanField()
            )
        )
        .order_by("-ingangsdatum", "-id")
    )
    return [
        TlvRegel(
            tlv=t,
            verlengen=t.verlengen,
            verlopen=t.einddatum < vandaag,
            # zichtbare_brieven: Prefetch(to_attr=) above, unknown to the type checker.
            brieven=len({b.naam.rsplit(".", 1)[0] for b in t.zichtbare_brieven}),  # type: ignore[attr-defined]
        )
        for t in tlvs
    ]


def besluit_for(hulpvraag: Hulpvraag):
    """The decision record of this (access-checked) hulpvraag, with its letters, or None."""
    for model in (Toelaatbaarheidsverklaring, Afwijzing, FinancieelArrangement):
        record = model.objects.filter(hulpvraag=hulpvraag).prefetch_related(_brieven()).first()
        if record is not None:
            return record
    return None


def adviezen_for(*, user: User, hulpvraag: Hulpvraag) -> QuerySet[Deskundigenadvies]:
    """The loket sees both advices; a deskundige only their own assignment; nobody else any."""
    qs = Deskundigenadvies.objects.filter(hulpvraag=hulpvraag).select_related("deskundige")
    if user.rol == Rol.SWV_LOKET:
        return qs.order_by("volgorde")
    if user.rol == Rol.DESKUNDIGE:
        return qs.filter(deskundige=user)
    return qs.none()


def eigen_advies_get_for(*, user: User, hulpvraag: Hulpvraag) -> Deskundigenadvies:
    """The deskundige's own assignment on this (access-checked) hulpvraag, else 404."""
    advies = (
        Deskundigenadvies.objects.filter(hulpvraag=hulpvraag, deskundige=user)
        .select_related("hulpvraag")
        .first()
    )
    if advies is None or not mag(user, Recht.ADVISEREN):
        raise Http404
    return advies


def deskundigen_for(*, organisatie_id: int) -> QuerySet[User]:
    return User.objects.filter(
        organisatie_id=organisatie_id, rol=Rol.DESKUNDIGE, is_active=True
    ).order_by("last_name", "first_name", "username")


def besluit_allowed(user: User) -> bool:
    return mag(user, Recht.BESLISSEN)
