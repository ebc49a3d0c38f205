"""Nothing typed is lost at the security timeout, also without JavaScript.

A page marked `post_bewaren` that is posted after the session expired (the school typed for half
an hour without JavaScript, then chose Opslaan) would otherwise lose the post: the middleware logs
the user out and sends them to the login page. Instead the middleware keeps the posted fields
here, and the page gives them back once the same user opens it again after logging in.

- encrypted at rest: Fernet (AES-128-CBC + HMAC-SHA256, `cryptography`) with a key derived from
  SECRET_KEY by `salted_hmac`, so a database dump does not show pupil data typed into a form;
- bound to the user and the page's path: only the same account gets it back, on that page;
- kept one hour (`BEWAARTIJD`): Fernet's own timestamp is checked on reading, and rows older
  than that are deleted whenever a new one is written;
- given back once: reading deletes the row.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken
from django.http import QueryDict
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import BewaardeInzending, User

BEWAARTIJD = timedelta(hours=1)
NIET_BEWAREN = {"csrfmiddlewaretoken"}


def _fernet() -> Fernet:
    sleutel = salted_hmac("kindkans.bewaren.inzending", "fernet", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(sleutel))


def inzending_bewaren(*, gebruiker: User, pad: str, post: QueryDict) -> BewaardeInzending:
    nu = timezone.now()
    BewaardeInzending.objects.filter(bewaard_op__lt=nu - BEWAARTIJD).delete()
    velden = {k: v for k, v in post.lists() if k not in NIET_BEWAREN}
    token = _fernet().encrypt(json.dumps(velden, ensure_ascii=False).encode())
    BewaardeInzending.objects.filter(gebruiker=gebruiker, pad=pad).delete()  # the newest counts
    return BewaardeInzending.objects.create(
        gebruiker=gebruiker, pad=pad[:300], gegevens=token, bewaard_op=nu
    )


def inzending_ophalen(*, gebruiker: User, pad: str) -> tuple[QueryDict, datetime] | None:
    """The fields this user posted to this page after their session expired (as a QueryDict,
    like request.POST) and when; None when there is none (or it is older than an hour). The
    row is deleted: it is given back once."""
    rij = BewaardeInzending.objects.filter(gebruiker=gebruiker, pad=pad).order_by("-id").first()
    if rij is None:
        return None
    BewaardeInzending.objects.filter(pk=rij.pk).delete()
    try:
        tekst = _fernet().decrypt(bytes(rij.gegevens), ttl=int(BEWAARTIJD.total_seconds()))
    except InvalidToken:
        return None
    post = QueryDict(mutable=True)
    for sleutel, waarden in json.loads(tekst).items():
        post.setlist(sleutel, waarden)
    return post, rij.bewaard_op
