"""Reads for logging in with a provider: which providers an organisation or a user may use,
which Kindkans accounts an identity is linked to, and whether a school requires its provider."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import Rol, User
from oidc.models import ExterneIdentiteit, Identiteitsprovider, ProviderVerplichting
from organisaties.models import Organisatie


def providers_actief() -> QuerySet[Identiteitsprovider]:
    return Identiteitsprovider.objects.filter(actief=True)


def providers_exist() -> bool:
    return providers_actief().exists()


def providers_for_organisatie(*, organisatie: Organisatie | None) -> list[Identiteitsprovider]:
    """The providers offered on the login screen once this organisation is chosen."""
    if organisatie is None:
        return []
    return list(providers_actief().filter(organisaties=organisatie).order_by("naam"))


def provider_allowed(*, provider: Identiteitsprovider, gebruiker: User) -> bool:
    """Whether this account may link to and log in through this provider: an active provider
    for the account's organisation and, when the provider is limited to some schools, a school
    user of one of them."""
    # Through .all(), so callers that prefetch (lists of links) ask no query per row.
    if not provider.actief or gebruiker.organisatie_id is None:
        return False
    if gebruiker.organisatie_id not in {o.pk for o in provider.organisaties.all()}:
        return False
    scholen = {s.pk for s in provider.scholen.all()}
    if not scholen:
        return True
    return gebruiker.rol == Rol.SCHOOL and bool(scholen & {s.pk for s in gebruiker.scholen.all()})


def providers_for_gebruiker(*, gebruiker: User) -> list[Identiteitsprovider]:
    providers = (
        providers_actief()
        .filter(organisaties=gebruiker.organisatie_id)
        .prefetch_related("organisaties", "scholen")
        .order_by("naam")
    )
    return [p for p in providers if provider_allowed(provider=p, gebruiker=gebruiker)]


def koppelingen_for(*, gebruiker: User) -> QuerySet[ExterneIdentiteit]:
    return ExterneIdentiteit.objects.filter(user=gebruiker).select_related("provider")


def koppelingen_for_identiteit(*, issuer: str, sub: str) -> list[ExterneIdentiteit]:
    """The accounts this provider identity may log in to: linked by their owner, active, in an
    active organisation, through a provider that is (still) allowed for the account. One per
    organisation (a database constraint), ordered by organisation."""
    kandidaten = (
        ExterneIdentiteit.objects.filter(
            issuer=issuer, sub=sub, user__is_active=True, organisatie__actief=True
        )
        .select_related("user", "organisatie", "provider")
        .prefetch_related("provider__organisaties", "provider__scholen", "user__scholen")
        .order_by("organisatie__naam")
    )
    return [k for k in kandidaten if provider_allowed(provider=k.provider, gebruiker=k.user)]


def verplichte_provider_for(*, gebruiker: User) -> Identiteitsprovider | None:
    """The provider one of the user's schools requires, if any (school users only)."""
    if gebruiker.rol != Rol.SCHOOL:
        return None
    verplichting = (
        ProviderVerplichting.objects.filter(
            school__in=gebruiker.scholen.all(), provider__actief=True
        )
        .select_related("provider")
        .first()
    )
    return verplichting.provider if verplichting else None


def wachtwoord_login_refused(gebruiker: User) -> str | None:
    """The password-step rule (accounts.inlogregels): a school that requires its provider."""
    provider = verplichte_provider_for(gebruiker=gebruiker)
    if provider is None:
        return None
    return _(
        "Uw school logt in via %(naam)s. Kies “Inloggen met %(naam)s” in plaats van uw wachtwoord."
    ) % {"naam": provider.naam}
