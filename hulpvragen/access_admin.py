"""Admin for pupil data goes through the access module, for every user.

Decision (docs/architecture.md, "Admin"): the admin shows dossiers and hulpvragen only to roles
the access module gives pupil access, and exactly the rows it gives them. In practice that is the
SWV loket (staff). A beheerder and the platform admin (even a superuser) have no pupil access in
the access module and therefore do not see these sections at all; they manage users, schools,
processes and news. Emergencies on pupil data go through the database under the operator's own
procedures, not through the admin.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from accounts.rechten import Recht, mag
from hulpvragen.access import has_pupil_access, hulpvragen_visible_to, leerlingen_visible_to
from organisaties.admin_scope import OrganisatieScopedAdmin


class PupilDataAdmin(OrganisatieScopedAdmin):
    rechten_per_actie = {"view": Recht.LEERLINGGEGEVENS_IN_ADMIN}
    #: The path from the model to its Hulpvraag or Leerling (e.g. "hulpvraag",
    #: "formulier__hulpvraag", "leerling"): the rows are those of the hulpvragen or pupils the
    #: access module gives the user. Set one, or override visible_queryset.
    via_hulpvraag: str | None = None
    via_leerling: str | None = None

    def visible_queryset(self, user: User) -> QuerySet:
        if self.via_hulpvraag:
            toegestaan = {f"{self.via_hulpvraag}__in": hulpvragen_visible_to(user)}
        elif self.via_leerling:
            toegestaan = {f"{self.via_leerling}__in": leerlingen_visible_to(user)}
        else:
            raise NotImplementedError
        return self.model._default_manager.filter(**toegestaan)

    def get_queryset(self, request):
        queryset = self.visible_queryset(request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def _rol_mag(self, request, actie: str) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff and has_pupil_access(user)):
            return False
        recht = self.rechten_per_actie.get(actie)
        return recht is not None and mag(user, recht)
