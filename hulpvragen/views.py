from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from hulpvragen.access import hulpvraag_get_for
from hulpvragen.selectors import hulpvragen_list_for


@login_required
def hulpvraag_lijst(request):
    page = Paginator(hulpvragen_list_for(user=request.user), 50).get_page(request.GET.get("pagina"))
    return render(request, "hulpvragen/lijst.html", {"page": page})


@login_required
def hulpvraag_detail(request, pk: int):
    hulpvraag = hulpvraag_get_for(request.user, pk)
    andere = hulpvragen_list_for(user=request.user).filter(leerling_id=hulpvraag.leerling_id)
    return render(
        request,
        "hulpvragen/detail.html",
        {"hulpvraag": hulpvraag, "leerling": hulpvraag.leerling, "andere": andere},
    )
