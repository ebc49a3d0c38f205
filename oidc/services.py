"""Writes for logging in with a provider: configuring a provider, linking and unlinking an
account, and the session steps after a provider login (log in, choose an SWV, switch SWV).

The protocol itself (state, nonce, PKCE, the ID token) is in oidc.protocol.
"""

from __future__ import annotations

import time
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.models import Gebeurtenis, User
from accounts.rechten import Recht, mag_in_organisatie
from accounts.services import beveiliging_log
from accounts.sessies import INGELOGD_OP, sessie_start, sessie_verified
from oidc.models import ExterneIdentiteit, Identiteitsprovider, ProviderVerplichting
from oidc.protocol import Identiteit
from oidc.selectors import koppelingen_for_identiteit, provider_allowed
from organisaties.models import Organisatie, School

# Session keys. POGINGEN: our side of each attempt under way (per state: which provider, what
# for, where to go after). EXTERN: the identity of the provider login this session rests on
# (issuer, sub, whether the provider asserted MFA, the accounts it may switch between).
POGINGEN = "kindkans_extern_pogingen"
EXTERN = "kindkans_extern"
# An attempt not answered within this time is forgotten (the user started over elsewhere).
POGING_SECONDEN = 15 * 60


# --- Configuration (admin) -------------------------------------------------------------------


def provider_manage_allowed(door: User, provider: Identiteitsprovider) -> bool:
    """The platform admin any provider; a beheerder only the own SWV's."""
    return mag_in_organisatie(door, Recht.IDENTITEITSPROVIDERS_BEHEREN, provider.organisatie_id)


def provider_save(
    *,
    provider: Identiteitsprovider,
    door: User,
    organisaties: list[Organisatie],
    scholen: list[School],
    client_secret: str = "",
) -> Identiteitsprovider:
    """Save a provider's settings. A typed client secret is stored encrypted (an empty one keeps
    the stored secret). An SWV's own provider serves only that SWV."""
    if not provider_manage_allowed(door, provider):
        raise PermissionDenied(_("U mag deze identiteitsprovider niet beheren."))
    if provider.organisatie is not None:
        organisaties = [provider.organisatie]
    org_ids = {o.pk for o in organisaties}
    if any(s.organisatie_id not in org_ids for s in scholen):
        raise ValidationError(
            {"scholen": _("Kies alleen scholen van de organisaties die de provider gebruiken.")}
        )
    if client_secret:
        provider.client_secret_zetten(client_secret)
    with transaction.atomic():
        provider.save()
        provider.organisaties.set(organisaties)
        provider.scholen.set(scholen)
    return provider


def verplichting_save(*, verplichting: ProviderVerplichting, door: User) -> None:
    """A beheerder requires a provider's login for a school of the own SWV (a provider that
    serves that SWV)."""
    school = verplichting.school
    if not mag_in_organisatie(door, Recht.IDENTITEITSPROVIDERS_BEHEREN, school.organisatie_id):
        raise PermissionDenied(_("U mag de inlogwijze van deze school niet instellen."))
    if not verplichting.provider.organisaties.filter(pk=school.organisatie_id).exists():
        raise ValidationError(
            {"provider": _("Deze provider wordt niet gebruikt door het samenwerkingsverband.")}
        )
    verplichting.save()


def verplichting_delete(*, verplichting: ProviderVerplichting, door: User) -> None:
    if not mag_in_organisatie(
        door, Recht.IDENTITEITSPROVIDERS_BEHEREN, verplichting.school.organisatie_id
    ):
        raise PermissionDenied(_("U mag de inlogwijze van deze school niet instellen."))
    verplichting.delete()


# --- Linking -------------------------------------------------------------------------------------


def koppeling_create(
    *, gebruiker: User, provider: Identiteitsprovider, identiteit: Identiteit, ip: str | None
) -> ExterneIdentiteit:
    """Link the account to the provider identity (issuer + sub) once; the security log records
    it. Refused when the provider is not for this account, when the account already has an
    identity of this issuer, or when the identity is linked to another account of this SWV."""
    if not provider_allowed(provider=provider, gebruiker=gebruiker):
        raise ValidationError(_("Deze provider is niet voor uw account ingesteld."))
    if ExterneIdentiteit.objects.filter(user=gebruiker, issuer=identiteit.issuer).exists():
        raise ValidationError(_("Uw account is al gekoppeld aan een account van deze provider."))
    try:
        with transaction.atomic():
            koppeling = ExterneIdentiteit.objects.create(  # type: ignore[misc]
                user=gebruiker,
                name=provider.naam[:64],
                confirmed=True,
                provider=provider,
                issuer=identiteit.issuer,
                sub=identiteit.sub,
                organisatie_id=gebruiker.organisatie_id,
            )
            beveiliging_log(
                gebeurtenis=Gebeurtenis.EXTERN_GEKOPPELD,
                gebruiker=gebruiker,
                ip=ip,
                toelichting=provider.naam,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _(
                "Dit account van %(naam)s is al gekoppeld aan een ander Kindkans-account van "
                "dit samenwerkingsverband."
            )
            % {"naam": provider.naam}
        ) from exc
    return koppeling


def koppeling_delete(*, koppeling: ExterneIdentiteit, door: User, ip: str | None) -> None:
    """Unlink: by the account's owner, or by a beheerder of its SWV (logged with `door`)."""
    eigen = koppeling.user_id == door.pk
    if not (
        eigen or mag_in_organisatie(door, Recht.TWEEDE_FACTOR_RESETTEN, koppeling.organisatie_id)
    ):
        raise PermissionDenied(_("U mag deze koppeling niet verwijderen."))
    with transaction.atomic():
        gebruiker = koppeling.user
        naam = koppeling.provider.naam
        koppeling.delete()
        beveiliging_log(
            gebeurtenis=Gebeurtenis.EXTERN_ONTKOPPELD,
            gebruiker=gebruiker,
            door=None if eigen else door,
            ip=ip,
            toelichting=naam,
        )


# --- Attempts under way (session) ----------------------------------------------------------------


def poging_store(request: HttpRequest, state: str, gegevens: dict) -> None:
    nu = time.time()
    pogingen = {
        s: p
        for s, p in request.session.get(POGINGEN, {}).items()
        if nu - p.get("t", 0) < POGING_SECONDEN
    }
    pogingen[state] = {**gegevens, "t": nu}
    request.session[POGINGEN] = pogingen


def poging_take(request: HttpRequest, state: str | None) -> dict | None:
    """Our side of the attempt this answer belongs to, removed from the session (an answer is
    used once). None for an unknown, old or reused state."""
    pogingen = dict(request.session.get(POGINGEN, {}))
    poging = pogingen.pop(state or "", None)
    request.session[POGINGEN] = pogingen
    if poging is None or time.time() - poging.get("t", 0) >= POGING_SECONDEN:
        return None
    return poging


# --- After the provider login --------------------------------------------------------------------


def extern_sessie(
    request: HttpRequest, *, identiteit: Identiteit, provider: Identiteitsprovider, mfa: bool
) -> dict:
    return {
        "issuer": identiteit.issuer,
        "sub": identiteit.sub,
        "provider": provider.pk,
        "provider_naam": provider.naam,
        "mfa": mfa,
    }


def extern_login(
    request: HttpRequest, *, koppeling: ExterneIdentiteit, extern: dict, ip: str | None
) -> bool:
    """Log this session in to the linked account. With an MFA assertion the provider trusts
    for this provider the session is verified on the link (no Kindkans code); otherwise the
    caller sends the user to the code step. Returns whether the session is verified."""
    sessie_start(request, koppeling.user)
    extern = {
        **extern,
        "aantal": len(koppelingen_for_identiteit(issuer=extern["issuer"], sub=extern["sub"])),
    }
    request.session[EXTERN] = extern
    if not extern["mfa"]:
        return False
    sessie_verified(request, koppeling)
    beveiliging_log(
        gebeurtenis=Gebeurtenis.LOGIN_GELUKT,
        gebruiker=koppeling.user,
        ip=ip,
        toelichting=_("via %(naam)s, meervoudig bij de provider")
        % {"naam": koppeling.provider.naam},
    )
    return True


def andere_koppelingen_for(request: HttpRequest) -> list[ExterneIdentiteit]:
    """The other accounts the provider login of this session may switch to (none for a
    session that did not start with a provider login)."""
    extern = request.session.get(EXTERN)
    if not extern or not request.user.is_authenticated:
        return []
    return [
        k
        for k in koppelingen_for_identiteit(issuer=extern["issuer"], sub=extern["sub"])
        if k.user_id != request.user.pk
    ]


def swv_switch(request: HttpRequest, *, koppeling: ExterneIdentiteit, ip: str | None) -> None:
    """Switch this session to the account of another SWV linked to the same provider identity,
    without a new login. The session is a new one (new key, the other account's rights and
    audit); the login time and the provider identity carry over, and so does the second factor:
    it was proven for the person, and the link of each account was made by that account's owner
    after its own password and code."""
    if koppeling not in andere_koppelingen_for(request):
        raise PermissionDenied
    vorige = cast(User, request.user)  # authenticated: andere_koppelingen is empty otherwise
    extern = dict(request.session[EXTERN])
    ingelogd_op = request.session[INGELOGD_OP]
    geverifieerd = vorige.is_verified()  # type: ignore[attr-defined]
    sessie_start(request, koppeling.user)
    request.session[EXTERN] = extern
    request.session[INGELOGD_OP] = ingelogd_op
    if geverifieerd:
        sessie_verified(request, koppeling)
    beveiliging_log(
        gebeurtenis=Gebeurtenis.SWV_GEWISSELD,
        gebruiker=koppeling.user,
        ip=ip,
        toelichting=_("vanuit %(org)s (%(naam)s)")
        % {
            "org": vorige.organisatie.code if vorige.organisatie else "",
            "naam": extern.get("provider_naam", ""),
        },
    )
