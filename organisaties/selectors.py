from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from organisaties.models import Nieuwsbericht


def nieuwsberichten_zichtbaar() -> QuerySet[Nieuwsbericht]:
    return Nieuwsbericht.objects.filter(zichtbaar=True, gepubliceerd_op__lte=timezone.now())


def organisatie_informatie_editable_by(*, user) -> bool:
    """The SWV's loket and beheerder keep the start-page information of their organisation."""
    from accounts.rechten import Recht, mag_in_eigen_organisatie

    return mag_in_eigen_organisatie(user, Recht.ORGANISATIE_WIJZIGEN)
