from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Rol

# Which top tabs each role sees. Roles without pupil access get no Hulpvragen tab.
_HULPVRAGEN_ROLLEN = {Rol.SCHOOL, Rol.BEVOEGD_GEZAG, Rol.SWV_LOKET, Rol.DESKUNDIGE}
_BEHEER_ROLLEN = {Rol.SWV_LOKET, Rol.BEHEERDER, Rol.PLATFORM}


def navigatie(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigatie": []}
    tabs = [(_("Start"), reverse("start"))]
    if user.rol in _HULPVRAGEN_ROLLEN:
        tabs.append((_("Hulpvragen"), reverse("hulpvragen:lijst")))
    if user.rol == Rol.SWV_LOKET and user.organisatie_id:
        tabs.append((_("Werkvoorraad"), reverse("loket:werkvoorraad")))
    if user.rol == Rol.GENODIGDE:
        # An invited outsider sees only what was shared with them, never the Hulpvragen screen.
        tabs.append((_("Gedeelde dossiers"), reverse("hulpvragen:gedeeld")))
    if user.rol == Rol.BEVOEGD_GEZAG:
        # Aanvraagformulieren of the bestuur's schools that wait for this board member.
        tabs.append((_("Te ondertekenen"), reverse("formulieren:te_ondertekenen")))
    if user.rol in (Rol.SWV_LOKET, Rol.BEHEERDER) and user.organisatie_id:
        # The SWV's own beheer screens (beheer app); they link on to the Django admin tables.
        tabs.append((_("Beheer"), reverse("beheer:index")))
    elif user.rol == Rol.SCHOOL:
        tabs.append((_("Personeelswijziging"), reverse("beheer:aanvragen")))
    elif user.rol in _BEHEER_ROLLEN and user.is_staff:
        tabs.append((_("Beheer"), reverse("admin:index")))
    current = request.path
    return {
        "navigatie": [
            {
                "label": label,
                "url": url,
                "actief": current == url or (url != "/" and current.startswith(url)),
            }
            for label, url in tabs
        ]
    }
