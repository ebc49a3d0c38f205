"""Writes of API clients and tokens, by the beheerder (the screens in api/views_beheer.py).

The client's account is made and changed through the user services of beheer (one write path
for accounts), so the same checks apply: schools of the own organisation, usernames unique."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Rol, User
from accounts.rechten import Recht, mag_in_eigen_organisatie
from accounts.services_gebruikers import gebruiker_create, gebruiker_update
from api.models import ApiClient, ApiToken, Scope

TOKEN_BEGIN = "kk_"
STANDAARD_GELDIGHEID = timedelta(days=365)
# A rotated token keeps working this long, so the vendor can roll the new one out first.
OVERLAP_BIJ_VERNIEUWEN = timedelta(days=7)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check(door: User) -> None:
    if not mag_in_eigen_organisatie(door, Recht.API_KOPPELINGEN_BEHEREN):
        raise ValidationError(_("Alleen de beheerder beheert API-koppelingen."))


def _check_scholen(*, swv_breed: bool, scope: str, scholen) -> None:
    fouten = {}
    if swv_breed and scope != Scope.LEZEN:
        fouten["scope"] = _("Een koppeling voor het hele samenwerkingsverband kan alleen lezen.")
    if not swv_breed and not list(scholen):
        fouten["scholen"] = _("Kies ten minste één school, of het hele samenwerkingsverband.")
    if fouten:
        raise ValidationError(fouten)


@transaction.atomic
def api_client_create(
    *,
    door: User,
    naam: str,
    scope: str,
    scholen=(),
    swv_breed: bool = False,
    per_minuut: int = 120,
    contact_email: str = "",
) -> ApiClient:
    """A client with its own account: role school with the chosen schools, or (read-only, the
    whole SWV) the role SWV loket. No token yet: api_token_create gives the first."""
    _check(door)
    scholen = list(scholen)
    _check_scholen(swv_breed=swv_breed, scope=scope, scholen=scholen)
    basis = f"api-{slugify(naam)[:40] or 'koppeling'}"
    username = basis
    n = 1
    while User.objects.filter(organisatie_id=door.organisatie_id, username__iexact=username):
        n += 1
        username = f"{basis}-{n}"
    gebruiker = gebruiker_create(
        door=door,
        gegevens={
            "username": username,
            "first_name": _("API-koppeling"),
            "last_name": naam[:150],
            "email": "",
            "rol": Rol.SWV_LOKET if swv_breed else Rol.SCHOOL,
        },
        scholen=[] if swv_breed else scholen,
    )
    client = ApiClient(  # type: ignore[misc]
        organisatie_id=door.organisatie_id,
        naam=naam,
        gebruiker=gebruiker,
        scope=scope,
        swv_breed=swv_breed,
        per_minuut=per_minuut,
        contact_email=contact_email,
        aangemaakt_door=door,
    )
    client.full_clean()
    client.save()
    return client


@transaction.atomic
def api_client_update(
    *,
    door: User,
    client: ApiClient,
    naam: str,
    scope: str,
    scholen,
    per_minuut: int,
    contact_email: str = "",
) -> ApiClient:
    _check(door)
    if client.organisatie_id != door.organisatie_id:
        raise ValidationError(_("Deze koppeling hoort niet bij uw organisatie."))
    scholen = list(scholen)
    _check_scholen(swv_breed=client.swv_breed, scope=scope, scholen=scholen)
    client.naam = naam
    client.scope = scope
    client.per_minuut = per_minuut
    client.contact_email = contact_email
    client.full_clean()
    client.save()
    gebruiker = client.gebruiker
    gebruiker.last_name = naam[:150]
    gebruiker_update(door=door, gebruiker=gebruiker, scholen=[] if client.swv_breed else scholen)
    return client


@transaction.atomic
def api_token_create(
    *, door: User, client: ApiClient, geldig: timedelta = STANDAARD_GELDIGHEID
) -> tuple[ApiToken, str]:
    """A new token; returns the row and the token itself, which is shown once and stored only
    as its hash."""
    _check(door)
    if client.organisatie_id != door.organisatie_id or not client.actief:
        raise ValidationError(_("Deze koppeling is ingetrokken."))
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_BEGIN}{prefix}_{secrets.token_urlsafe(32)}"
    rij = ApiToken.objects.create(
        client=client,
        prefix=prefix,
        hash=token_hash(token),
        verloopt_op=timezone.now() + geldig,
    )
    return rij, token


@transaction.atomic
def api_token_rotate(
    *, door: User, token: ApiToken, overlap: timedelta = OVERLAP_BIJ_VERNIEUWEN
) -> tuple[ApiToken, str]:
    """Vernieuwen: a new token; the old one keeps working for `overlap` (0: stops now)."""
    nieuw, tekst = api_token_create(door=door, client=token.client)
    einde = timezone.now() + overlap
    if token.verloopt_op > einde:
        token.verloopt_op = einde
        token.save(update_fields=["verloopt_op"])
    return nieuw, tekst


def api_token_revoke(*, door: User, token: ApiToken) -> ApiToken:
    _check(door)
    if token.client.organisatie_id != door.organisatie_id:
        raise ValidationError(_("Deze koppeling hoort niet bij uw organisatie."))
    if token.ingetrokken_op is None:
        token.ingetrokken_op = timezone.now()
        token.save(update_fields=["ingetrokken_op"])
    return token


@transaction.atomic
def api_client_revoke(*, door: User, client: ApiClient) -> ApiClient:
    """The whole koppeling stops: every token, and its account is deactivated."""
    _check(door)
    if client.organisatie_id != door.organisatie_id:
        raise ValidationError(_("Deze koppeling hoort niet bij uw organisatie."))
    nu = timezone.now()
    client.tokens.filter(ingetrokken_op__isnull=True).update(ingetrokken_op=nu)
    if client.ingetrokken_op is None:
        client.ingetrokken_op = nu
        client.save(update_fields=["ingetrokken_op"])
        gebruiker = client.gebruiker
        gebruiker.is_active = False
        gebruiker_update(door=door, gebruiker=gebruiker, scholen=list(gebruiker.scholen.all()))
    return client


def api_token_gebruikt(*, token: ApiToken) -> None:
    """Remember when a token was last used, at most once a minute (no write per request)."""
    nu = timezone.now()
    if token.laatst_gebruikt_op is None or nu - token.laatst_gebruikt_op > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(laatst_gebruikt_op=nu)
        token.laatst_gebruikt_op = nu
