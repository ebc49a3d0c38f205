"""A form posted twice records once: a one-time token in the form, claimed with what it records.

A form page renders `{% eenmalig_veld %}` (accounts/templatetags/eenmalig.py): a hidden field with
a fresh random token. The view wraps the work of a valid post in ``eenmalig(request)``::

    try:
        with eenmalig(request) as inzending:
            wijziging = hulpvraag_change_status(...)
            inzending.resultaat(url=..., melding=..., object=wijziging)
    except AlVerstuurd as eerder:
        return eerder.antwoord(request)

The token's row (`accounts.Inzending`, unique) is written in the same transaction as the work:

- the second post of the same form (double click, reload, back-and-resubmit) finds the token
  taken and gets the first post's result page and message; nothing is recorded twice;
- two posts at the same moment: on PostgreSQL the second INSERT waits on the unique index until
  the first commits, then fails and shows the first's result (SQLite writes one at a time);
- a post that is refused (the work raises) rolls the token back with everything else, so the
  corrected form can be sent again.

A post without a token (a client that is not our form) is handled as before, unprotected.
"""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from datetime import timedelta

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Inzending

VELD = "eenmalig"
BEWAARTIJD = timedelta(days=2)


def eenmalig_token() -> str:
    return secrets.token_urlsafe(24)


class AlVerstuurd(Exception):
    def __init__(self, inzending: Inzending | None, terug: str):
        super().__init__("al verstuurd")
        self.inzending = inzending
        self.terug = terug

    def antwoord(self, request):
        """The first post's result: its page, its message, and that nothing was done twice."""
        inzending = self.inzending
        if inzending is not None and inzending.melding:
            messages.success(request, inzending.melding)
        messages.info(request, _("Dit formulier was al verstuurd; het is maar één keer verwerkt."))
        return redirect((inzending.url if inzending is not None else "") or self.terug)


class _Claim:
    def __init__(self, inzending: Inzending | None):
        self._inzending = inzending

    def resultaat(self, *, url: str, melding: str = "", object=None) -> None:
        if self._inzending is None:
            return
        self._inzending.url = url[:500]
        self._inzending.melding = str(melding)[:500]
        if object is not None:
            self._inzending.object_type = ContentType.objects.get_for_model(object)
            self._inzending.object_id = object.pk
        self._inzending.save(update_fields=["url", "melding", "object_type", "object_id"])


_GEBRUIKER = object()


@contextmanager
def eenmalig(request, *, gebruiker=_GEBRUIKER):
    """Claim the post's token and run the body in one transaction (see the module doc). A
    parent's page (no account) passes `gebruiker=None`."""
    if gebruiker is _GEBRUIKER:
        gebruiker = request.user
    token = (request.POST.get(VELD) or "").strip()[:64]
    with eenmalig_claim(token=token, gebruiker=gebruiker, terug=request.get_full_path()) as c:
        yield c


@contextmanager
def eenmalig_claim(*, token: str, gebruiker, terug: str = ""):
    """The same for a token that does not come from a form field: the API's Idempotency-Key
    (api.views), where the caller derives the token from the client and its key."""
    with transaction.atomic():
        inzending = None
        if token:
            try:
                with transaction.atomic():
                    inzending = Inzending.objects.create(token=token, gebruiker=gebruiker)
            except IntegrityError:
                eerder = Inzending.objects.filter(token=token, gebruiker=gebruiker).first()
                raise AlVerstuurd(eerder, terug) from None
        yield _Claim(inzending)


def inzendingen_opruimen(*, nu=None) -> int:
    """Tokens older than BEWAARTIJD: nobody double-posts a form after two days."""
    nu = nu or timezone.now()
    return Inzending.objects.filter(aangemaakt_op__lt=nu - BEWAARTIJD).delete()[0]
