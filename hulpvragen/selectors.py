from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.models import Hulpvraag


def hulpvragen_list_for(*, user: User) -> QuerySet[Hulpvraag]:
    """The rows of the Hulpvragen screen, with what each row shows loaded in one query."""
    return hulpvragen_visible_to(user).select_related(
        "leerling", "schoolgegevens__school", "status", "coordinator"
    )
