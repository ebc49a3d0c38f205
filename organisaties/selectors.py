from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from organisaties.models import Nieuwsbericht


def nieuwsberichten_for() -> QuerySet[Nieuwsbericht]:
    return Nieuwsbericht.objects.filter(zichtbaar=True, gepubliceerd_op__lte=timezone.now())
