"""Checks that processes can require of a transition (hulpvragen.guards registry)."""

from __future__ import annotations

from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from bijlagen.models import Bijlage, ScanStatus
from hulpvragen.guards import GuardContext, register_guard


@register_guard("bijlagen_aanwezig", label=_("Ten minste één bijlage toegevoegd"))
def bijlagen_aanwezig(ctx: GuardContext) -> list[str]:
    # The manual (step 7): add at least the form signed by the parents and the OPP before
    # indienen. Which file is which is not recorded, so this checks that there is any.
    if (
        Bijlage.objects.filter(hulpvraag_id=ctx.hulpvraag.pk, ingetrokken_op__isnull=True)
        .exclude(scan_status=ScanStatus.BESMET)
        .exists()
    ):
        return []
    return [
        _gettext(
            "Er is nog geen bijlage toegevoegd. Voeg via de knop “Bijlagen” in ieder geval het "
            "door de ouders ondertekende aanvraagformulier en het OPP toe."
        )
    ]
