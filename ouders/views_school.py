"""The school's side, on the Formulier tab: "Ouders uitnodigen", a new code, revoking, and the
parents' correction proposals. Staff find everything through the access module (404 outside)
and act by the rights module (403 when visible but not theirs)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.eenmalig import AlVerstuurd, eenmalig
from accounts.rechten import mag_ouders_uitnodigen
from audit.models import InzageActie
from audit.services import inzage_record
from bijlagen.selectors import bijlagen_list_for
from formulieren.selectors import formulier_get_for
from hulpvragen.tabs import tab_url
from ouders.selectors import (
    hulpvraag_ouderdeel,
    ouders_for_formulier,
    uitnodigen_allowed,
    uitnodiging_get_for,
    voorstel_get_for,
)
from ouders.services import (
    OuderFout,
    code_leesbaar,
    uitnodiging_code_renew,
    uitnodiging_revoke,
    uitnodigingen_create,
    voorstel_review,
)


def _tab(formulier_id: int, hulpvraag_id: int) -> str:
    return tab_url(hulpvraag_id, "formulier") + f"?formulier={formulier_id}"


def _audit(request, hulpvraag, onderdeel: str, details: str, actie=InzageActie.GEWIJZIGD):
    inzage_record(
        gebruiker=request.user,
        onderdeel=onderdeel,
        actie=actie,
        leerling_id=hulpvraag.leerling_id,
        hulpvraag_id=hulpvraag.pk,
        details=details,
    )


def formulier_tab_onderdeel(request, hulpvraag, formulier, weergave) -> str:
    """The parents' block under the form (registered on the Formulier tab by OudersConfig).
    Everyone who sees the tab sees the parents' zienswijzen and what they signed; the school
    also invites and handles proposals."""
    if "ouders" not in formulier.definitie.inhoud:
        return ""
    context = hulpvraag_ouderdeel(hulpvraag=hulpvraag, formulier=formulier)
    mag = mag_ouders_uitnodigen(request.user, hulpvraag)
    if not context["uitnodigingen"] and not mag:
        return ""
    context.update(
        formulier=formulier,
        mag_uitnodigen=mag,
        kan_niet=uitnodigen_allowed(formulier, ondertekening_geldig=weergave.ondertekening.geldig)
        if mag
        else None,
    )
    return render_to_string("ouders/_tab.html", context, request=request)


class UitnodigenForm(forms.Form):
    ouders = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Welke ouders/verzorgers nodigt u uit?"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Kies ten minste één ouder/verzorger.")},
    )
    bijlagen = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Welke bijlagen mogen de ouders lezen?"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Standaard geen. Vink aan wat de ouders mogen lezen, zoals het OPP."
        ),
    )

    def __init__(self, *args, ouders, bijlagen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ouders"].choices = [
            (
                o["nummer"],
                f"{o['naam'] or _('Ouder/verzorger %(n)s') % {'n': o['nummer']}} ({o['email']})",
            )
            for o in ouders
            if o["email"]
        ]
        self.fields["bijlagen"].choices = [
            (b.pk, f"{b.naam} ({b.get_documentsoort_display()})") for b in bijlagen
        ]


@login_required
def uitnodigen(request, formulier_pk: int):
    formulier = formulier_get_for(user=request.user, pk=formulier_pk)
    hulpvraag = formulier.hulpvraag
    if not mag_ouders_uitnodigen(request.user, hulpvraag):
        raise PermissionDenied
    terug = _tab(formulier.pk, hulpvraag.pk)
    bijlagen = [b for b in bijlagen_list_for(hulpvraag=hulpvraag) if b.ingetrokken_op is None]
    form = UitnodigenForm(
        request.POST or None, ouders=ouders_for_formulier(formulier), bijlagen=bijlagen
    )
    fout = uitnodigen_allowed(formulier)
    if request.method == "POST" and not fout and form.is_valid():
        try:
            with eenmalig(request) as inzending:
                gemaakt = uitnodigingen_create(
                    door=request.user,
                    formulier=formulier,
                    ouders=form.cleaned_data["ouders"],
                    bijlage_ids=form.cleaned_data["bijlagen"],
                )
                _audit(
                    request,
                    hulpvraag,
                    "ouders uitnodigen",
                    "uitnodiging(en) "
                    + ", ".join(str(u.pk) for u, _c in gemaakt)
                    + f" voor formulier {formulier.pk}",
                    InzageActie.AANGEMAAKT,
                )
                inzending.resultaat(
                    url=terug,
                    melding=_(
                        "De uitnodiging is al verstuurd. Is de code kwijt? Kies dan Nieuwe code."
                    ),
                )
        except AlVerstuurd as eerder:
            return eerder.antwoord(request)
        except OuderFout as e:
            fout = str(e)
        else:
            return render(
                request,
                "ouders/codes.html",
                {
                    "codes": [(u, code_leesbaar(c)) for u, c in gemaakt],
                    "terug": terug,
                    "hulpvraag": hulpvraag,
                },
            )
    _audit(request, hulpvraag, "ouders uitnodigen", "scherm getoond", InzageActie.BEKEKEN)
    return render(
        request,
        "ouders/uitnodigen.html",
        {
            "formulier": formulier,
            "hulpvraag": hulpvraag,
            "form": form,
            "fout": fout,
            "terug": terug,
        },
        status=400 if (fout or form.errors) else 200,
    )


@login_required
@require_POST
def nieuwe_code(request, pk: int):
    uitnodiging = uitnodiging_get_for(user=request.user, pk=pk)
    terug = _tab(uitnodiging.formulier_id, uitnodiging.hulpvraag_id)
    if not mag_ouders_uitnodigen(request.user, uitnodiging.hulpvraag):
        raise PermissionDenied
    try:
        code = uitnodiging_code_renew(door=request.user, uitnodiging=uitnodiging)
    except OuderFout as e:
        messages.error(request, str(e))
        return redirect(terug)
    _audit(request, uitnodiging.hulpvraag, "ouders uitnodigen", f"nieuwe code {uitnodiging.pk}")
    return render(
        request,
        "ouders/codes.html",
        {
            "codes": [(uitnodiging, code_leesbaar(code))],
            "terug": terug,
            "hulpvraag": uitnodiging.hulpvraag,
            "nieuw": True,
        },
    )


@login_required
@require_POST
def intrekken(request, pk: int):
    uitnodiging = uitnodiging_get_for(user=request.user, pk=pk)
    if not mag_ouders_uitnodigen(request.user, uitnodiging.hulpvraag):
        raise PermissionDenied
    uitnodiging_revoke(door=request.user, uitnodiging=uitnodiging)
    _audit(request, uitnodiging.hulpvraag, "ouders uitnodigen", f"ingetrokken {uitnodiging.pk}")
    messages.success(
        request, _("De uitnodiging is ingetrokken. De link en de code werken niet meer.")
    )
    return redirect(_tab(uitnodiging.formulier_id, uitnodiging.hulpvraag_id))


@login_required
@require_POST
def voorstel(request, pk: int):
    v = voorstel_get_for(user=request.user, pk=pk)
    uitnodiging = v.uitnodiging
    if not mag_ouders_uitnodigen(request.user, uitnodiging.hulpvraag):
        raise PermissionDenied
    terug = _tab(uitnodiging.formulier_id, uitnodiging.hulpvraag_id)
    overnemen = request.POST.get("keuze") == "overnemen"
    try:
        with eenmalig(request) as inzending:
            voorstel_review(
                door=request.user,
                voorstel=v,
                overnemen=overnemen,
                reden=request.POST.get("reden", ""),
            )
            _audit(
                request,
                uitnodiging.hulpvraag,
                "ouders voorstel",
                f"voorstel {v.pk} {'overgenomen' if overnemen else 'niet overgenomen'}",
            )
            melding = (
                _(
                    "Het voorstel is overgenomen in het formulier. Het bevoegd gezag moet het "
                    "formulier opnieuw ondertekenen."
                )
                if overnemen
                else _("Het voorstel is niet overgenomen.")
            )
            inzending.resultaat(url=terug, melding=melding)
    except AlVerstuurd as eerder:
        return eerder.antwoord(request)
    except (OuderFout, ValidationError) as e:
        messages.error(request, " ".join(getattr(e, "messages", [str(e)])))
        return redirect(terug)
    messages.success(request, melding)
    return redirect(terug)
