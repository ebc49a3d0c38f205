"""The engine's check "formulier_ondertekend": aanvraag indienen (TLV VSO, FA, PrO) waits for a
form signed by the bevoegd gezag, and the refusal says what is missing."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from formulieren.selectors import formulier_ondertekening_ontbreekt
from hulpvragen.guards import GuardContext, register_guard


@register_guard("formulier_ondertekend", label=_("Formulier ondertekend door het bevoegd gezag"))
def formulier_ondertekend(ctx: GuardContext) -> list[str]:
    reden = formulier_ondertekening_ontbreekt(hulpvraag=ctx.hulpvraag)
    return [reden] if reden else []
