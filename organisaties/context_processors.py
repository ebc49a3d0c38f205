from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.rechten import Recht, is_platformbeheerder, mag, mag_in_eigen_organisatie


def navigatie(request) -> dict:
    """The top tabs: each one shows when the capability module grants what it leads to."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigatie": []}
    tabs = [(_("Start"), reverse("start"))]
    # Roles without pupil access get no Hulpvragen tab; an invited outsider (genodigde) sees only
    # what was shared with them, never the Hulpvragen screen.
    if mag(user, Recht.HULPVRAGENSCHERM):
        tabs.append((_("Hulpvragen"), reverse("hulpvragen:lijst")))
    if mag_in_eigen_organisatie(user, Recht.WERKVOORRAAD):
        tabs.append((_("Werkvoorraad"), reverse("loket:werkvoorraad")))
    if mag(user, Recht.GEDEELDE_DOSSIERS):
        tabs.append((_("Gedeelde dossiers"), reverse("hulpvragen:gedeeld")))
    if mag(user, Recht.ONDERTEKENEN):
        # Aanvraagformulieren of the bestuur's schools that wait for this board member.
        tabs.append((_("Te ondertekenen"), reverse("formulieren:te_ondertekenen")))
    if mag_in_eigen_organisatie(user, Recht.BEHEERSCHERMEN):
        # The SWV's own beheer screens (beheer app); they link on to the Django admin tables.
        tabs.append((_("Beheer"), reverse("beheer:index")))
    elif mag_in_eigen_organisatie(user, Recht.PERSONEELSWIJZIGING_AANVRAGEN):
        tabs.append((_("Personeelswijziging"), reverse("beheer:aanvragen")))
    elif is_platformbeheerder(user) and user.is_staff:
        tabs.append((_("Beheer"), reverse("admin:index")))
    current = request.path
    # The admin (/beheer/) is part of the SWV's beheer: its tab stays marked there.
    if current.startswith(reverse("admin:index")):
        current = reverse("beheer:index") if user.organisatie_id else reverse("admin:index")
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
