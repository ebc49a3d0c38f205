from __future__ import annotations

import pytest
from django.core.management import call_command

from dossiers.models import Toets
from dossiers.selectors import pro_advies_for

pytestmark = pytest.mark.django_db


def test_demo_pupil_for_praktijkonderwijs_has_lvs_data_and_the_advice():
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115  (idempotent)
    toetsen = Toets.objects.select_related("leerling")
    assert toetsen.count() == 4
    advies = pro_advies_for(leerling=toetsen[0].leerling)
    assert advies.praktijkonderwijs and advies.dl == 60
