"""The tabs of the hulpvraag view, one URL and one view each: /hulpvragen/<pk>/<tab>/.

Another app fills a tab without touching this list: in its AppConfig.ready() it calls

    from hulpvragen.tabs import register
    register("formulier", formulier_tab)

where `formulier_tab(request, hulpvraag)` returns `render_tab(request, hulpvraag, "formulier",
"formulieren/tab.html", {...})` and the template does `{% extends "hulpvragen/dossier.html" %}`
and fills `{% block tab %}`. The dispatcher has already checked access (404 otherwise) and the
tab's roles; render_tab adds the pupil's hulpvragen on the left, the tab bar, and the audit record.
A tab without a view shows an honest "Nog niet beschikbaar". A tab may instead name its own URL
(`url_name`, e.g. the LVS tab's dossiers:lvs); that view then calls render_tab itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.models import Rol, User
from audit.services import inzage_record
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.models import Hulpvraag

TabView = Callable[[HttpRequest, Hulpvraag], HttpResponse]

# Roles with the Hulpvragen screen (the list of everything they may see).
IEDEREEN = frozenset({Rol.SCHOOL, Rol.BEVOEGD_GEZAG, Rol.SWV_LOKET, Rol.DESKUNDIGE})
# Who reads a hulpvraag's tabs: those, and an invited outsider (genodigde) for the hulpvragen
# granted to them; a genodigde has no Hulpvragen screen, no notes and no Toegang tab.
LEZERS = IEDEREEN | {Rol.GENODIGDE}


@dataclass
class Tab:
    slug: str
    label: str
    rollen: frozenset[str] = LEZERS
    # A view, or a dotted path to one (resolved on first use), or None: "Nog niet beschikbaar".
    view: TabView | str | None = None
    uitleg: str = ""
    # Or the tab is another app's own URL (reversed with the hulpvraag's pk); that view checks
    # access itself and renders through render_tab so it sits in the same frame.
    url_name: str | None = None
    _resolved: TabView | None = field(default=None, repr=False)

    def resolve(self) -> TabView | None:
        if self._resolved is None and self.view is not None:
            self._resolved = import_string(self.view) if isinstance(self.view, str) else self.view
        return self._resolved


# The manual's order. Roles: "Overlegronde" is the SWV's own meeting round; "Toegang" lists who
# can see the dossier, which a deskundige (who only has a grant) does not need.
TABS: dict[str, Tab] = {
    t.slug: t
    for t in [
        Tab("basisgegevens", _("Basisgegevens"), view="dossiers.tab_views.basisgegevens_tab"),
        Tab("schoolgegevens", _("Schoolgegevens"), view="dossiers.tab_views.schoolgegevens_tab"),
        Tab("hulpvraag", _("Hulpvraag"), view="hulpvragen.views.hulpvraag_tab"),
        Tab("lvs", _("LVS"), url_name="dossiers:lvs"),
        Tab("aanpak", _("Aanpak")),
        Tab("tlv", _("TLV"), uitleg=_("De afgegeven toelaatbaarheidsverklaring.")),
        Tab("formulier", _("Formulier"), uitleg=_("Het aanvraagformulier van deze hulpvraag.")),
        Tab(
            "overlegronde",
            _("Overlegronde"),
            rollen=frozenset({Rol.SWV_LOKET, Rol.DESKUNDIGE}),
        ),
        Tab(
            "notities",
            _("Mijn notities"),
            rollen=IEDEREEN,
            view="dossiers.tab_views.notities_tab",
        ),
        Tab(
            "toegang",
            _("Toegang"),
            rollen=frozenset({Rol.SCHOOL, Rol.BEVOEGD_GEZAG, Rol.SWV_LOKET}),
            view="dossiers.tab_views.toegang_tab",
        ),
    ]
}


def register(slug: str, view: TabView | str, *, rollen: frozenset[str] | None = None) -> None:
    """Plug a view into an existing tab (called from another app's AppConfig.ready())."""
    tab = TABS[slug]
    tab.view = view
    tab._resolved = None
    if rollen is not None:
        tab.rollen = frozenset(rollen)


def tabs_for(user: User) -> list[Tab]:
    return [t for t in TABS.values() if user.rol in t.rollen]


def tab_url(hulpvraag_pk: int, slug: str) -> str:
    if TABS[slug].url_name:
        return reverse(TABS[slug].url_name, args=[hulpvraag_pk])
    if slug == "hulpvraag":
        return reverse("hulpvragen:detail", args=[hulpvraag_pk])
    return reverse("hulpvragen:tab", args=[hulpvraag_pk, slug])


def render_tab(
    request: HttpRequest,
    hulpvraag: Hulpvraag,
    slug: str,
    template: str,
    context: dict | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Render one tab inside the dossier frame and write the access audit record."""
    user = request.user
    andere = (
        hulpvragen_visible_to(user)
        .filter(leerling_id=hulpvraag.leerling_id)
        .select_related("status")
        .order_by("-hulpvraagdatum", "-id")
    )
    tabs = [
        {"slug": t.slug, "label": t.label, "url": tab_url(hulpvraag.pk, t.slug)}
        for t in tabs_for(user)
    ]
    if request.method == "GET":
        inzage_record(
            gebruiker=user,
            onderdeel=slug,
            leerling_id=hulpvraag.leerling_id,
            hulpvraag_id=hulpvraag.pk,
        )
    return render(
        request,
        template,
        {
            "hulpvraag": hulpvraag,
            "leerling": hulpvraag.leerling,
            "andere": andere,
            "tabs": tabs,
            "actieve_tab": slug,
            "tab_label": TABS[slug].label,
            **(context or {}),
        },
        status=status,
    )
