"""Configuring providers in admin: the beheerder for the own SWV, the platform admin for any;
the client secret is stored encrypted (never in plain text, never shown again) or read from the
environment; a school can require its provider."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import Rol
from oidc.models import Identiteitsprovider, ProviderVerplichting
from tests.factories import UserFactory
from tests.helpers import login


def _gegevens(**extra):
    return {
        "naam": "Stichting Veluwe",
        "discovery_url": "https://login.veluwe.example/.well-known/openid-configuration",
        "client_id": "kindkans",
        "client_secret": "zeer-geheim-123",
        "scopes": "openid email profile",
        "vertrouwde_amr": "mfa",
        "actief": "on",
        **extra,
    }


def test_beheerder_adds_a_provider_for_the_own_swv_secret_encrypted(client, world):
    login(client, world.beheerder)
    antwoord = client.post(
        reverse("admin:oidc_identiteitsprovider_add"),
        # No SWV chosen: the beheerder's provider serves the own SWV (another one is not even
        # offered: the choice is scoped).
        _gegevens(),
    )
    assert antwoord.status_code == 302, antwoord.content.decode()[:2000]
    provider = Identiteitsprovider.objects.get()
    assert provider.organisatie == world.org
    assert list(provider.organisaties.all()) == [world.org]
    assert b"zeer-geheim-123" not in bytes(provider.client_secret_versleuteld)
    assert provider.client_secret() == "zeer-geheim-123"
    assert provider.issuer == "https://login.veluwe.example"
    # Never shown again; an empty field keeps it.
    pagina = client.get(reverse("admin:oidc_identiteitsprovider_change", args=[provider.pk]))
    assert "zeer-geheim-123" not in pagina.content.decode()
    client.post(
        reverse("admin:oidc_identiteitsprovider_change", args=[provider.pk]),
        _gegevens(client_secret="", naam="Veluwe"),
    )
    provider.refresh_from_db()
    assert provider.naam == "Veluwe" and provider.client_secret() == "zeer-geheim-123"


def test_secret_from_the_environment_wins(world, monkeypatch):
    provider = Identiteitsprovider(client_secret_env="OIDC_SECRET_TEST")
    provider.client_secret_zetten("opgeslagen")
    monkeypatch.setenv("OIDC_SECRET_TEST", "uit-de-omgeving")
    assert provider.client_secret() == "uit-de-omgeving"


def test_other_roles_and_other_swvs_cannot_manage_providers(client, world):
    eigen = Identiteitsprovider.objects.create(
        naam="Elders", organisatie=world.other_org, discovery_url="https://x.example", client_id="c"
    )
    login(client, world.beheerder)
    wijzig = reverse("admin:oidc_identiteitsprovider_change", args=[eigen.pk])
    assert client.get(wijzig).status_code == 404
    client.post(reverse("logout"))
    login(client, world.loket)
    assert client.get(reverse("admin:oidc_identiteitsprovider_add")).status_code == 403


def test_platform_admin_configures_a_provider_for_several_swvs(client, world):
    platform = UserFactory(
        organisatie=None, username="platform", rol=Rol.PLATFORM, is_staff=True, is_superuser=True
    )
    login(client, platform)
    antwoord = client.post(
        reverse("admin:oidc_identiteitsprovider_add"),
        _gegevens(organisaties=[world.org.pk, world.other_org.pk], scholen=[world.school_a.pk]),
    )
    assert antwoord.status_code == 302, antwoord.content.decode()[:2000]
    provider = Identiteitsprovider.objects.get()
    assert provider.organisatie is None
    assert set(provider.organisaties.all()) == {world.org, world.other_org}


def test_beheerder_requires_the_provider_for_a_school(client, world):
    provider = Identiteitsprovider.objects.create(
        naam="Veluwe", discovery_url="https://x.example", client_id="c"
    )
    provider.organisaties.set([world.org])
    login(client, world.beheerder)
    antwoord = client.post(
        reverse("admin:oidc_providerverplichting_add"),
        {"school": world.school_a.pk, "provider": provider.pk},
    )
    assert antwoord.status_code == 302, antwoord.content.decode()[:2000]
    assert ProviderVerplichting.objects.get().school == world.school_a
    # Not a school of another SWV.
    antwoord = client.post(
        reverse("admin:oidc_providerverplichting_add"),
        {"school": world.school_other.pk, "provider": provider.pk},
    )
    assert antwoord.status_code == 200
    assert ProviderVerplichting.objects.count() == 1


def test_beheerder_unlinks_an_identity_in_admin_logged_with_who(client, world):
    from accounts.models import Beveiligingsgebeurtenis, Gebeurtenis
    from oidc.models import ExterneIdentiteit

    provider = Identiteitsprovider.objects.create(
        naam="Veluwe", discovery_url="https://x.example", client_id="c"
    )
    provider.organisaties.set([world.org, world.other_org])
    eigen = ExterneIdentiteit.objects.create(
        user=world.coordinator_a,
        provider=provider,
        issuer="https://x.example",
        sub="piet",
        organisatie=world.org,
        confirmed=True,
    )
    elders = ExterneIdentiteit.objects.create(
        user=world.outsider,
        provider=provider,
        issuer="https://x.example",
        sub="piet",
        organisatie=world.other_org,
        confirmed=True,
    )
    login(client, world.beheerder)
    wis = reverse("admin:oidc_externeidentiteit_delete", args=[elders.pk])
    assert client.get(wis).status_code == 404  # another SWV's link: not even shown
    antwoord = client.post(
        reverse("admin:oidc_externeidentiteit_delete", args=[eigen.pk]), {"post": "yes"}
    )
    assert antwoord.status_code == 302
    assert not ExterneIdentiteit.objects.filter(pk=eigen.pk).exists()
    rij = Beveiligingsgebeurtenis.objects.first()
    assert rij.gebeurtenis == Gebeurtenis.EXTERN_ONTKOPPELD
    assert (rij.gebruiker, rij.door) == (world.coordinator_a, world.beheerder)
