from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.rechten import Recht, mag_in_eigen_organisatie
from meldingen.services import mail_storing
from organisaties.forms import InformatieForm
from organisaties.selectors import nieuwsberichten_for
from organisaties.services import organisatie_informatie_update


@login_required
def start(request):
    return render(
        request,
        "organisaties/start.html",
        {
            "organisatie": request.user.organisatie,
            "nieuws": nieuwsberichten_for()[:10],
            "informatie_wijzigen": mag_in_eigen_organisatie(
                request.user, Recht.ORGANISATIE_WIJZIGEN
            ),
            # The beheerder watches the outbox ("Notificaties" in admin).
            "mail_storing": mail_storing(organisatie_id=request.user.organisatie_id)
            if mag_in_eigen_organisatie(request.user, Recht.MAILSTORING_ZIEN)
            else None,
        },
    )


@login_required
def informatie_wijzigen(request):
    """The loket or beheerder edits the own SWV's start-page text. Everyone else: 404."""
    if not mag_in_eigen_organisatie(request.user, Recht.ORGANISATIE_WIJZIGEN):
        raise Http404
    organisatie = request.user.organisatie
    form = InformatieForm(request.POST or None, initial={"informatie": organisatie.informatie})
    if request.method == "POST" and form.is_valid():
        organisatie_informatie_update(
            organisatie=organisatie, informatie=form.cleaned_data["informatie"]
        )
        messages.success(request, _("De informatie op de startpagina is opgeslagen."))
        return redirect("start")
    return render(
        request, "organisaties/informatie_form.html", {"form": form, "organisatie": organisatie}
    )
