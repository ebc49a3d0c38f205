"""The Hulpvragen screen and the hulpvraag view with its tabs (see hulpvragen/tabs.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from accounts.rechten import Recht, mag
from audit.services import inzage_record
from dossiers.selectors import dossierconcepten_for
from hulpvragen import lijst
from hulpvragen.access import hulpvraag_get_for, hulpvragen_visible_to, toegang_geldig
from hulpvragen.lijstgegevens import lijstgegevens
from hulpvragen.models import Toegang
from hulpvragen.selectors import lijstvoorkeur_get_for
from hulpvragen.services import lijstvoorkeur_save
from hulpvragen.tabs import TABS, render_tab


def _lijst_rollen_only(user) -> None:
    # Roles without pupil data (beheerder, platform) have no Hulpvragen screen.
    if not mag(user, Recht.HULPVRAGENSCHERM):
        raise Http404


@login_required
def hulpvraag_lijst(request):
    """ "Hulpvragen": search on top, the selected list below. The search is remembered per user
    until "Wissen"; sorting and the chosen columns are remembered too."""
    user = request.user
    _lijst_rollen_only(user)
    voorkeur = lijstvoorkeur_get_for(user=user)
    changes: dict = {}

    gegevens = lijstgegevens(user.organisatie_id)
    submitted = "zoeken" in request.GET
    form = lijst.ZoekForm(
        request.GET if submitted else voorkeur.filters, user=user, gegevens=gegevens
    )
    filters = form.cleaned_data if form.is_valid() else getattr(form, "cleaned_data", {})
    if submitted and form.is_valid() and form.as_saved() != voorkeur.filters:
        changes["filters"] = form.as_saved()

    if "sortering" in request.GET:
        sortering = lijst.sortering_geldig(request.GET["sortering"])
        if sortering != voorkeur.sortering:
            changes["sortering"] = sortering
    else:
        sortering = lijst.sortering_geldig(voorkeur.sortering)
    if changes:
        voorkeur = lijstvoorkeur_save(user=user, **changes)

    try:
        per = int(request.GET.get("per", lijst.STANDAARD_PAGINAGROOTTE))
    except ValueError:
        per = lijst.STANDAARD_PAGINAGROOTTE
    if per not in lijst.PAGINAGROOTTES:
        per = lijst.STANDAARD_PAGINAGROOTTE

    kolommen = [lijst.KOLOMMEN[k] for k in lijst.kolommen_geldig(voorkeur.kolommen)]
    qs = lijst.hulpvragen_zoeken(user=user, filters=filters, gegevens=gegevens)
    met_labels = any(k.key == "labels" for k in kolommen)
    pagina = lijst.pagineer(
        qs,
        sortering=sortering,
        per=per,
        na=request.GET.get("na", ""),
        voor=request.GET.get("voor", ""),
        # The page's ids came from the access-checked queryset above.
        laad=lambda ids: lijst.rijen_laden(ids, gegevens=gegevens, met_labels=met_labels),
    )
    aantal, meer = pagina.telling or lijst.tel(qs)

    huidige = sortering.removeprefix("-")
    aflopend = sortering.startswith("-")
    koppen = []
    for k in kolommen:
        kop = {"label": k.label, "key": k.key, "url": None, "pijl": "", "aria_sort": None}
        if k.sorteer is not None:
            if k.key == huidige:
                kop["pijl"] = "▼" if aflopend else "▲"
                kop["aria_sort"] = "descending" if aflopend else "ascending"
                volgende = k.key if aflopend else f"-{k.key}"
            else:
                kop["pijl"] = "▲▼"
                volgende = f"-{k.key}" if k.key in ("laatste_datum", "hulpvraagdatum") else k.key
            kop["url"] = "?" + urlencode({"sortering": volgende, "per": per})
        koppen.append(kop)

    # One reverse() for the page instead of one per row (measured on the 1M-row benchmark).
    detail = reverse("hulpvragen:detail", args=[987654321])
    rijen = [
        lijst.rij_html(r, kolommen, detail.replace("987654321", str(r["id"]))) for r in pagina.rijen
    ]
    inzage_record(gebruiker=user, onderdeel="lijst", details=f"{len(rijen)} rijen")
    # With JavaScript (static/js/hulpvragen-lijst.js) searching, sorting and paging fetch only the
    # results with the header "HX-Request" (htmx's convention) and replace them in place; without
    # JavaScript the same URLs answer the whole page. Caches must keep the two apart.
    hx = request.headers.get("HX-Request") == "true"
    response = render(
        request,
        "hulpvragen/_resultaten.html" if hx else "hulpvragen/lijst.html",
        {
            "hx": hx,
            "form": form,
            "koppen": koppen,
            "rijen": rijen,
            "pagina": pagina,
            "per": per,
            "paginagroottes": lijst.PAGINAGROOTTES,
            "aantal": aantal,
            "meer": meer,
            "filters_actief": bool(voorkeur.filters),
            "volledig_scherm": voorkeur.volledig_scherm,
            "concepten": [] if hx else list(dossierconcepten_for(user=user)[:20]),
        },
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def gedeeld(request):
    """An invited outsider's (genodigde) start: only the hulpvragen granted to them, while the
    grant lasts; never the Hulpvragen screen of others."""
    user = request.user
    if not mag(user, Recht.GEDEELDE_DOSSIERS):
        raise Http404
    toegangen = list(
        Toegang.objects.filter(
            toegang_geldig(),
            gebruiker=user,
            hulpvraag__in=hulpvragen_visible_to(user),
        )
        .select_related("hulpvraag__leerling", "hulpvraag__status")
        .order_by("geldig_tot", "pk")
    )
    inzage_record(gebruiker=user, onderdeel="gedeeld", details=f"{len(toegangen)} rijen")
    return render(request, "hulpvragen/gedeeld.html", {"toegangen": toegangen})


@login_required
@require_POST
def hulpvraag_lijst_wissen(request):
    """ "Wissen": every search filter goes, so all hulpvragen the user is involved in show."""
    _lijst_rollen_only(request.user)
    lijstvoorkeur_save(user=request.user, filters={})
    return redirect("hulpvragen:lijst")


@login_required
@require_POST
def hulpvraag_lijst_volledig_scherm(request):
    _lijst_rollen_only(request.user)
    voorkeur = lijstvoorkeur_get_for(user=request.user)
    lijstvoorkeur_save(user=request.user, volledig_scherm=not voorkeur.volledig_scherm)
    return redirect("hulpvragen:lijst")


@login_required
def hulpvraag_lijst_kolommen(request):
    """The column chooser: which columns, in which order; saved per user."""
    _lijst_rollen_only(request.user)
    voorkeur = lijstvoorkeur_get_for(user=request.user)
    gekozen = lijst.kolommen_geldig(voorkeur.kolommen)
    fout = ""
    if request.method == "POST":
        if "standaard" in request.POST:
            lijstvoorkeur_save(user=request.user, kolommen=[])
            return redirect("hulpvragen:lijst")
        keuze = []
        for index, key in enumerate(lijst.KOLOMMEN):
            if request.POST.get(f"toon_{key}"):
                try:
                    positie = int(request.POST.get(f"volgorde_{key}", ""))
                except ValueError:
                    positie = 1000 + index
                # On equal numbers the column the user just moved goes first.
                vorige = gekozen.index(key) + 1 if key in gekozen else None
                keuze.append((positie, positie == vorige, index, key))
        if keuze:
            lijstvoorkeur_save(user=request.user, kolommen=[k for *_, k in sorted(keuze)])
            return redirect("hulpvragen:lijst")
        fout = "Kies minstens één kolom."
    volgorde = gekozen + [k for k in lijst.KOLOMMEN if k not in gekozen]
    kolommen = [
        {
            "key": k,
            "label": lijst.KOLOMMEN[k].label,
            "toon": k in gekozen,
            "positie": gekozen.index(k) + 1 if k in gekozen else "",
        }
        for k in volgorde
    ]
    return render(request, "hulpvragen/kolommen.html", {"kolommen": kolommen, "fout": fout})


@login_required
def hulpvraag_detail(request, pk: int):
    """A row of the list opens its Hulpvraag tab."""
    return hulpvraag_tab_dispatch(request, pk, "hulpvraag")


@login_required
def hulpvraag_tab_dispatch(request, pk: int, tab: str):
    hulpvraag = hulpvraag_get_for(request.user, pk)
    spec = TABS.get(tab)
    if spec is None or request.user.rol not in spec.rollen:
        raise Http404
    view = spec.resolve()
    if view is None:
        return render_tab(
            request, hulpvraag, tab, "hulpvragen/tab_leeg.html", {"uitleg": spec.uitleg}
        )
    return view(request, hulpvraag)


def hulpvraag_tab(request, hulpvraag):
    """The Hulpvraag tab: Type, Hulpvraagdatum, Status, Schoolgegevens, Hulpvraag, Omschrijving,
    Coördinator, Labels (and the status and bijlagen buttons that other parts plug in)."""
    labels = list(hulpvraag.labels.all())
    return render_tab(
        request,
        hulpvraag,
        "hulpvraag",
        "hulpvragen/detail.html",
        {"labels": labels},
    )
