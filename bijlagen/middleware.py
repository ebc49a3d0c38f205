"""A storage failure during an upload anywhere (the wizard, the loket's screens): the Dutch
message "De bijlage kon niet worden opgeslagen; er is niets toegevoegd." instead of a bare 500.

The upload page itself shows the message in its form (bijlagen.views.bijlagen_lijst); this
catches the other views that store files. By the time the exception arrives here the view's
transaction has rolled back (no row, no status change, no mail) and bijlagen.services has removed
every file the action stored."""

from __future__ import annotations

from django.shortcuts import render

from bijlagen.services import OPSLAG_MISLUKT, OpslagMislukt


class OpslagMisluktMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OpslagMislukt):
            return None
        return render(
            request, "bijlagen/opslag_mislukt.html", {"melding": OPSLAG_MISLUKT}, status=503
        )
