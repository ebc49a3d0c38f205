from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from organisaties.selectors import nieuwsberichten_zichtbaar


@login_required
def start(request):
    return render(
        request,
        "organisaties/start.html",
        {"organisatie": request.user.organisatie, "nieuws": nieuwsberichten_zichtbaar()[:10]},
    )
