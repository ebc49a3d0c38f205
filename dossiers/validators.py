from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dossiers.lvs import dle_fout, iq_fout


def elfproef(number: str, *, bsn: bool) -> bool:
    """The eleven test. For a BSN the last digit weighs −1; for an onderwijsnummer all weights
    are positive and the sum leaves remainder 5 (Dienst Uitvoering Onderwijs)."""
    if len(number) != 9 or not number.isdigit():
        return False
    digits = [int(d) for d in number]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    if bsn:
        return (total - digits[8]) % 11 == 0 and number != "000000000"
    return (total + digits[8]) % 11 == 5


def validate_bsn(value: str) -> None:
    if not elfproef(value, bsn=True):
        raise ValidationError(
            _("Dit is geen geldig burgerservicenummer: 9 cijfers die aan de elfproef voldoen."),
            code="bsn",
        )


def validate_onderwijsnummer(value: str) -> None:
    if not elfproef(value, bsn=False):
        raise ValidationError(
            _("Dit is geen geldig onderwijsnummer: 9 cijfers die aan de elfproef voldoen."),
            code="onderwijsnummer",
        )


def validate_iq(value: int) -> None:
    # The same check and message as the PrO calculation (dossiers.lvs).
    if value is not None and (fout := iq_fout(value)):
        raise ValidationError(fout, code="iq")


def validate_dle(value) -> None:
    if value is not None and (fout := dle_fout(value)):
        raise ValidationError(fout, code="dle")
