"""Engine checks that make a decision status unreachable without its record: "TLV afgegeven" needs
the TLV, "TLV afwijzing toegelicht" the afwijzing with its motivation, "FA afgegeven" the
arrangement. The records are written by besluiten.services in the same transaction as the status
change, so the check passes only on that path; on the Status wijzigen screen the loket is sent to
the besluit form instead (the guard's `actie`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from besluiten.models import Afwijzing, FinancieelArrangement, Toelaatbaarheidsverklaring
from hulpvragen.guards import GuardContext, register_guard


def _besluit_url(hulpvraag) -> str:
    return reverse("besluiten:besluit", args=[hulpvraag.pk])


@register_guard(
    "tlv_vastgelegd",
    label=_("TLV vastgelegd (soort, bekostigingscategorie, periode, besluitdatum) met brief"),
    actie=(_("TLV vastleggen"), _besluit_url),
    pagina=(_("Deskundigen en besluit"), _besluit_url),
)
def tlv_vastgelegd(ctx: GuardContext) -> list[str]:
    if Toelaatbaarheidsverklaring.objects.filter(hulpvraag_id=ctx.hulpvraag.pk).exists():
        return []
    return [
        _gettext(
            "De TLV is nog niet vastgelegd: soort, bekostigingscategorie, ingangsdatum, "
            "einddatum en besluitdatum. Leg het besluit vast via “TLV vastleggen”; de "
            "toekenningsbrief wordt dan gemaakt en de status gewijzigd."
        )
    ]


@register_guard(
    "tlv_pro_vastgelegd",
    label=_("TLV PrO vastgelegd (uitkomst akkoord in de loketvergadering) met brief"),
)
def tlv_pro_vastgelegd(ctx: GuardContext) -> list[str]:
    if Toelaatbaarheidsverklaring.objects.filter(hulpvraag_id=ctx.hulpvraag.pk).exists():
        return []
    return [
        _gettext(
            "De TLV PrO is nog niet vastgelegd. Leg in de loketvergadering de uitkomst "
            "“akkoord” vast; dan worden de TLV en de toekenningsbrief gemaakt en de status "
            "gewijzigd."
        )
    ]


@register_guard(
    "afwijzing_vastgelegd",
    label=_("Afwijzing vastgelegd met motivering en brief"),
    actie=(_("Afwijzing vastleggen"), _besluit_url),
    pagina=(_("Besluit"), _besluit_url),
)
def afwijzing_vastgelegd(ctx: GuardContext) -> list[str]:
    if Afwijzing.objects.filter(hulpvraag_id=ctx.hulpvraag.pk).exists():
        return []
    return [
        _gettext(
            "De afwijzing is nog niet vastgelegd: de motivering voor de afwijzingsbrief "
            "ontbreekt. Leg het besluit vast via “Afwijzing vastleggen”; de brief wordt dan "
            "gemaakt en de status gewijzigd."
        )
    ]


@register_guard(
    "fa_vastgelegd",
    label=_("Financieel arrangement vastgelegd (bedrag, periode, evaluatiedatum) met brief"),
    actie=(_("Arrangement vastleggen"), _besluit_url),
    pagina=(_("Besluit"), _besluit_url),
)
def fa_vastgelegd(ctx: GuardContext) -> list[str]:
    if FinancieelArrangement.objects.filter(hulpvraag_id=ctx.hulpvraag.pk).exists():
        return []
    return [
        _gettext(
            "Het financieel arrangement is nog niet vastgelegd: bedrag, periode en "
            "evaluatiedatum. Leg het vast via “Arrangement vastleggen”; de toewijzingsbrief "
            "wordt dan gemaakt en de status gewijzigd."
        )
    ]
