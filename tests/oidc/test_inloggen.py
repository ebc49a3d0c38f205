"""Logging in with the school's own account, against a real OpenID provider (tests/oidc/
provider.mjs: Node's certified `oidc-provider`, over HTTP on 127.0.0.1). Nothing of ours is
mocked: the provider issues real codes and signed ID tokens; the misbehaving cases come from
providers that really misbehave (another issuer, keys that are not the provider's, a clock two
hours behind, an ID token replayed)."""

from __future__ import annotations

from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.models import Beveiligingsgebeurtenis, Gebeurtenis, User
from oidc.models import ExterneIdentiteit, ProviderVerplichting
from oidc.services import POGINGEN
from tests.factories import TEST_PASSWORD, OrganisatieFactory, UserFactory
from tests.helpers import login, totp_code, totp_device
from tests.oidc.conftest import bij_provider_inloggen, provider_login, start_login


def _koppel(client, provider, *, account: str, mfa: bool = False):
    antwoord = client.get(reverse("oidc:koppelen", args=[provider.pk]))
    assert antwoord.status_code == 302
    return client.get(bij_provider_inloggen(antwoord["Location"], account=account, mfa=mfa))


def _link(provider, gebruiker, sub: str) -> ExterneIdentiteit:
    return ExterneIdentiteit.objects.create(
        user=gebruiker,
        name=provider.naam,
        confirmed=True,
        provider=provider,
        issuer=provider.issuer,
        sub=sub,
        organisatie=gebruiker.organisatie,
    )


def _ingelogd_als(client) -> User | None:
    antwoord = client.get(reverse("account"))
    if antwoord.status_code != 200:
        return None
    return antwoord.context["request"].user


def _laatste(gebeurtenis=None) -> Beveiligingsgebeurtenis:
    rijen = Beveiligingsgebeurtenis.objects.all()
    if gebeurtenis:
        rijen = rijen.filter(gebeurtenis=gebeurtenis)
    return rijen.first()


def _fout(antwoord) -> str:
    return " ".join(str(m) for m in antwoord.wsgi_request._messages)


def test_login_screen_offers_the_organisations_provider(client, world, maak_provider):
    maak_provider(naam="Stichting Veluwe", organisaties=[world.org])
    maak_provider(naam="Elders", organisaties=[world.other_org])
    pagina = client.get(reverse("login"), {"organisatie": "VO2505"}).content.decode()
    assert "Inloggen met Stichting Veluwe" in pagina
    assert "Elders" not in pagina
    # Without a chosen organisation: one general button that asks for its providers.
    pagina = client.get(reverse("login")).content.decode()
    assert "Inloggen met het account van uw school" in pagina
    assert "Stichting Veluwe" not in pagina


def test_first_link_after_the_usual_login_then_provider_login(client, world, maak_provider):
    provider = maak_provider(organisaties=[world.org], vertrouwde_amr="otp")
    piet = world.coordinator_a
    login(client, piet)
    assert "Koppelen met Stichting Veluwe" in client.get(reverse("account")).content.decode()

    antwoord = _koppel(client, provider, account="piet-bij-veluwe")
    assert antwoord.status_code == 302 and antwoord["Location"] == reverse("account")
    koppeling = ExterneIdentiteit.objects.get(user=piet)
    assert (koppeling.issuer, koppeling.sub) == (provider.issuer, "piet-bij-veluwe")
    assert _laatste().gebeurtenis == Gebeurtenis.EXTERN_GEKOPPELD
    client.post(reverse("logout"))

    # From now on the provider login finds the account; with MFA asserted no code is asked.
    antwoord = provider_login(
        client, provider, world.org, account="piet-bij-veluwe", mfa=True, next_url="/hulpvragen/"
    )
    assert antwoord.status_code == 302 and antwoord["Location"] == "/hulpvragen/"
    assert _ingelogd_als(client) == piet
    assert client.session[DEVICE_ID_SESSION_KEY] == koppeling.persistent_id
    assert "Stichting Veluwe" in _laatste(Gebeurtenis.LOGIN_GELUKT).toelichting


def test_without_trusted_mfa_the_code_is_still_asked(client, world, maak_provider):
    provider = maak_provider(organisaties=[world.org], vertrouwde_amr="otp")
    piet = world.coordinator_a
    device = totp_device(piet)
    _link(provider, piet, "piet")

    antwoord = provider_login(client, provider, world.org, account="piet", mfa=False)
    assert antwoord.status_code == 302 and antwoord["Location"].startswith(reverse("code"))
    # Half logged in: every page still goes to the code step.
    assert client.get(reverse("account"))["Location"].startswith(reverse("code"))
    antwoord = client.post(reverse("code"), {"code": totp_code(device), "next": "/"})
    assert antwoord.status_code == 302
    assert _ingelogd_als(client) == piet


def test_mfa_of_a_provider_not_trusted_for_it_does_not_count(client, world, maak_provider):
    provider = maak_provider(organisaties=[world.org], vertrouwde_amr="")
    totp_device(world.coordinator_a)
    _link(provider, world.coordinator_a, "piet")
    antwoord = provider_login(client, provider, world.org, account="piet", mfa=True)
    assert antwoord["Location"].startswith(reverse("code"))


def test_acr_can_be_the_trusted_assertion(client, world, maak_provider):
    provider = maak_provider(organisaties=[world.org], vertrouwde_acr="urn:kindkans:test:mfa")
    _link(provider, world.coordinator_a, "piet")
    antwoord = provider_login(client, provider, world.org, account="piet", mfa=True)
    assert antwoord["Location"] == "/"
    assert _ingelogd_als(client) == world.coordinator_a


def test_unlinked_identity_gets_a_clear_message_and_no_account(client, world, maak_provider):
    provider = maak_provider(organisaties=[world.org], vertrouwde_amr="otp")
    aantal = User.objects.count()
    antwoord = provider_login(client, provider, world.org, account="onbekend", mfa=True)
    assert antwoord.status_code == 302 and antwoord["Location"].startswith(reverse("login"))
    assert "nog niet gekoppeld aan een Kindkans-account" in _fout(antwoord)
    assert "Er is geen account aangemaakt" in _fout(antwoord)
    assert User.objects.count() == aantal
    assert _ingelogd_als(client) is None
    rij = _laatste()
    assert rij.gebeurtenis == Gebeurtenis.LOGIN_MISLUKT and "niet gekoppeld" in rij.toelichting


def test_linking_needs_issuer_and_sub_not_the_email(client, world, maak_provider):
    """An identity with the same e-mail address as an account is not that account."""
    provider = maak_provider(organisaties=[world.org], vertrouwde_amr="otp")
    piet = world.coordinator_a
    piet.email = "piet@school.example"  # the provider says email = <account>@school.example
    piet.save()
    antwoord = provider_login(client, provider, world.org, account="piet", mfa=True)
    assert "nog niet gekoppeld" in _fout(antwoord)
    assert _ingelogd_als(client) is None


def _geweigerd(client, antwoord, reden: str):
    assert antwoord.status_code == 302 and antwoord["Location"].startswith(reverse("login"))
    assert "Inloggen met" in _fout(antwoord) and "niet gelukt" in _fout(antwoord)
    assert _ingelogd_als(client) is None
    rij = _laatste()
    assert rij.gebeurtenis == Gebeurtenis.LOGIN_MISLUKT
    assert reden in rij.toelichting, rij.toelichting


def test_wrong_issuer_is_refused(client, world, maak_provider):
    # /anders serves /goed's endpoints under another issuer name: the ID tokens say .../goed.
    provider = maak_provider(pad="anders", organisaties=[world.org], vertrouwde_amr="otp")
    _link(provider, world.coordinator_a, "piet")
    antwoord = provider_login(client, provider, world.org, account="piet", mfa=True)
    _geweigerd(client, antwoord, "iss")


def test_bad_signature_is_refused(client, world, maak_provider):
    # /vals: /goed's discovery document, but its keys are not the ones that signed the tokens.
    provider = maak_provider(pad="vals", organisaties=[world.org], vertrouwde_amr="otp")
    _link(provider, world.coordinator_a, "piet")
    antwoord = provider_login(client, provider, world.org, account="piet", mfa=True)
    _geweigerd(client, antwoord, "handtekening ongeldig")


def test_expired_id_token_is_refused(client, world, maak_provider, oidc_server_achter):
    provider = maak_provider(
        basis=oidc_server_achter, organisaties=[world.org], vertrouwde_amr="otp"
    )
    _link(provider, world.coordinator_a, "piet")
    antwoord = provider_login(client, provider, world.org, account="piet", mfa=True)
    _geweigerd(client, antwoord, "verlopen")


def test_replayed_id_token_nonce_is_refused(client, world, maak_provider):
    # /replay hands out its first ID token again on every later token request.
    provider = maak_provider(pad="replay", organisaties=[world.org], vertrouwde_amr="otp")
    _link(provider, world.coordinator_a, "piet")
    eerste = provider_login(client, provider, world.org, account="piet", mfa=True)
    client.post(reverse("logout"))
    if eerste["Location"] != "/":
        # Another test got the provider's first token: this one is already a replay.
        _geweigerd(client, eerste, "nonce")
        return
    antwoord = provider_login(client, provider, world.org, account="piet", mfa=True)
    _geweigerd(client, antwoord, "nonce")


def test_state_mismatch_and_reused_answer_are_refused(client, world, maak_provider):
    provider = maak_provider(organisaties=[world.org], vertrouwde_amr="otp")
    _link(provider, world.coordinator_a, "piet")
    terug = bij_provider_inloggen(
        start_login(client, provider, world.org), account="piet", mfa=True
    )
    vervalst = terug.replace("state=", "state=x")
    antwoord = client.get(vervalst)
    assert antwoord["Location"] == reverse("login")
    assert "in een andere browser begonnen" in _fout(antwoord)
    assert "state onbekend" in _laatste().toelichting
    assert _ingelogd_als(client) is None

    # The real answer still works once, and only once.
    assert client.get(terug)["Location"] == "/"
    client.post(reverse("logout"))
    antwoord = client.get(terug)
    assert antwoord["Location"] == reverse("login")
    assert _ingelogd_als(client) is None

    # An answer meant for another browser's session is refused there.
    from django.test import Client

    ander = Client()
    terug = bij_provider_inloggen(
        start_login(client, provider, world.org), account="piet", mfa=True
    )
    assert ander.get(terug)["Location"] == reverse("login")
    assert _ingelogd_als(ander) is None


def test_school_can_require_provider_login(client, world, maak_provider):
    provider = maak_provider(organisaties=[world.org], vertrouwde_amr="otp")
    ProviderVerplichting.objects.create(school=world.school_a, provider=provider)
    piet = world.coordinator_a
    antwoord = client.post(
        reverse("login"),
        {"organisatie": "VO2505", "username": piet.username, "password": TEST_PASSWORD},
    )
    assert antwoord.status_code == 200
    assert "Uw school logt in via Stichting Veluwe" in antwoord.content.decode()
    assert _ingelogd_als(client) is None
    # A colleague of another school still logs in with the password.
    antwoord = client.post(
        reverse("login"),
        {"organisatie": "VO2505", "username": "collega-b", "password": TEST_PASSWORD},
    )
    assert antwoord.status_code == 302
    # And through the provider it works.
    client.post(reverse("logout"))
    _link(provider, piet, "piet")
    assert provider_login(client, provider, world.org, account="piet", mfa=True)["Location"] == "/"


def test_unlink_is_logged_and_ends_the_provider_login(client, world, maak_provider):
    provider = maak_provider(organisaties=[world.org], vertrouwde_amr="otp")
    piet = world.coordinator_a
    koppeling = _link(provider, piet, "piet")
    login(client, piet)
    antwoord = client.post(reverse("oidc:ontkoppelen", args=[koppeling.pk]))
    assert antwoord["Location"] == reverse("account")
    assert not ExterneIdentiteit.objects.filter(user=piet).exists()
    rij = _laatste()
    assert rij.gebeurtenis == Gebeurtenis.EXTERN_ONTKOPPELD and rij.gebruiker == piet
    client.post(reverse("logout"))
    antwoord = provider_login(client, provider, world.org, account="piet", mfa=True)
    assert "nog niet gekoppeld" in _fout(antwoord)


def test_someone_elses_link_cannot_be_removed(client, world, maak_provider):
    provider = maak_provider(organisaties=[world.org])
    koppeling = _link(provider, world.collega_b, "collega")
    login(client, world.coordinator_a)
    assert client.post(reverse("oidc:ontkoppelen", args=[koppeling.pk])).status_code == 404
    assert ExterneIdentiteit.objects.filter(pk=koppeling.pk).exists()


def test_one_identity_in_two_swvs_chooser_and_switching(client, world, maak_provider):
    """The coordinator of a school in two SWVs: one provider login, a chooser of exactly the
    two SWVs, work in one, switch to the other without logging in again; each SWV's data stays
    with its own account."""
    derde = OrganisatieFactory(code="VO9999", naam="VO9999 Derde")
    provider = maak_provider(organisaties=[world.org, world.other_org, derde], vertrouwde_amr="otp")
    piet_a, piet_b = world.coordinator_a, world.outsider
    _link(provider, piet_a, "piet")
    _link(provider, piet_b, "piet")
    UserFactory(organisatie=derde, username="piet")  # same name in a third SWV: not linked
    _link(provider, world.collega_b, "iemand-anders")

    antwoord = provider_login(client, provider, world.org, account="piet", mfa=True)
    assert antwoord["Location"] == reverse("oidc:kiezen")
    pagina = client.get(reverse("oidc:kiezen")).content.decode()
    assert "VO2505 Apeldoorn" in pagina and "PO2501 Voorbeeld" in pagina
    assert "VO9999" not in pagina
    assert _ingelogd_als(client) is None  # nothing logged in before the choice

    koppeling_b = ExterneIdentiteit.objects.get(user=piet_b)
    antwoord = client.post(reverse("oidc:kiezen"), {"koppeling": koppeling_b.pk})
    assert antwoord["Location"] == "/"
    assert _ingelogd_als(client) == piet_b
    start = client.get("/").content.decode()
    assert "Ander samenwerkingsverband" in start
    # Each SWV's data with its own account: B's hulpvraag yes, A's no.
    assert client.get(reverse("hulpvragen:detail", args=[world.hv_other_org.pk])).status_code == 200
    assert (
        client.get(reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk])).status_code == 404
    )

    # Switching: no new provider login (no attempt under way), a new session of the other account.
    sessie_voor = client.session.session_key
    pagina = client.get(reverse("oidc:wisselen")).content.decode()
    assert "VO2505 Apeldoorn" in pagina and "PO2501" not in pagina.split("<main")[-1]
    koppeling_a = ExterneIdentiteit.objects.get(user=piet_a)
    antwoord = client.post(reverse("oidc:wisselen"), {"koppeling": koppeling_a.pk})
    assert antwoord["Location"] == reverse("start")
    assert not client.session.get(POGINGEN)
    assert client.session.session_key != sessie_voor
    assert _ingelogd_als(client) == piet_a
    assert (
        client.get(reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk])).status_code == 200
    )
    assert client.get(reverse("hulpvragen:detail", args=[world.hv_other_org.pk])).status_code == 404
    rij = _laatste(Gebeurtenis.SWV_GEWISSELD)
    assert rij.gebruiker == piet_a and "PO2501" in rij.toelichting

    # Only the linked SWVs: a made-up link id is refused.
    andere = ExterneIdentiteit.objects.get(user=world.collega_b)
    antwoord = client.post(reverse("oidc:wisselen"), {"koppeling": andere.pk})
    assert _ingelogd_als(client) == piet_a


def test_switching_is_not_offered_after_a_password_login(client, world, maak_provider):
    provider = maak_provider(organisaties=[world.org, world.other_org])
    _link(provider, world.coordinator_a, "piet")
    _link(provider, world.outsider, "piet")
    login(client, world.coordinator_a)
    assert "Ander samenwerkingsverband" not in client.get("/").content.decode()
    assert client.get(reverse("oidc:wisselen")).status_code == 404


def test_general_button_lists_the_organisations_providers_only(client, world, maak_provider):
    maak_provider(naam="Stichting Veluwe", organisaties=[world.org])
    maak_provider(naam="Elders", organisaties=[world.other_org])
    pagina = client.post(reverse("oidc:organisatie"), {"organisatie": "VO25"}).content.decode()
    assert "Inloggen met Stichting Veluwe" in pagina and "Elders" not in pagina
    # An organisation without providers: back to the login screen, with the reason.
    derde = OrganisatieFactory(code="VO9999", naam="VO9999 Derde")
    antwoord = client.post(reverse("oidc:organisatie"), {"organisatie": derde.code})
    assert antwoord["Location"].startswith(reverse("login"))
    assert "logt u in met uw gebruikersnaam, wachtwoord en code" in _fout(antwoord)


def test_a_provider_of_another_organisation_cannot_be_started(client, world, maak_provider):
    elders = maak_provider(naam="Elders", organisaties=[world.other_org])
    antwoord = client.get(reverse("oidc:start"), {"provider": elders.pk, "organisatie": "VO2505"})
    assert antwoord["Location"].startswith(reverse("login"))
    assert not client.session.get(POGINGEN)


def test_linking_an_identity_already_linked_in_the_same_swv_is_refused(
    client, world, maak_provider
):
    provider = maak_provider(organisaties=[world.org])
    _link(provider, world.collega_b, "gedeeld")
    login(client, world.coordinator_a)
    antwoord = _koppel(client, provider, account="gedeeld")
    assert "al gekoppeld aan een ander Kindkans-account" in _fout(antwoord)
    assert not ExterneIdentiteit.objects.filter(user=world.coordinator_a).exists()


def test_query_counts_do_not_grow_with_providers_or_swvs(client, world, maak_provider):
    """The login screen with one or four providers, the chooser with two or four SWVs, Mijn
    account with four or six providers (two of them linked): the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def tel(url, **kw):
        with CaptureQueriesContext(connection) as q:
            assert client.get(url, **kw).status_code == 200
        return len(q)

    provider = maak_provider(organisaties=[world.org, world.other_org], vertrouwde_amr="otp")
    login_een = tel(reverse("login"), data={"organisatie": "VO2505"})
    for n in range(3):
        maak_provider(naam=f"Extra {n}", organisaties=[world.org])
    assert tel(reverse("login"), data={"organisatie": "VO2505"}) == login_een

    login(client, world.coordinator_a)
    account_vier = tel(reverse("account"))
    for pad in ("replay", "vals"):  # other issuers: one link per issuer and account
        gekoppeld = maak_provider(naam=f"Gekoppeld {pad}", pad=pad, organisaties=[world.org])
        _link(gekoppeld, world.coordinator_a, "x")
    assert tel(reverse("account")) == account_vier
    client.post(reverse("logout"))

    for gebruiker in (world.coordinator_a, world.outsider):
        _link(provider, gebruiker, "piet")
    provider_login(client, provider, world.org, account="piet", mfa=True)
    kiezen_twee = tel(reverse("oidc:kiezen"))
    client.post(reverse("logout"))
    for code in ("VO7001", "VO7002"):
        org = OrganisatieFactory(code=code, naam=f"{code} Extra")
        provider.organisaties.add(org)
        _link(provider, UserFactory(organisatie=org, username="piet"), "piet")
    provider_login(client, provider, world.org, account="piet", mfa=True)
    assert tel(reverse("oidc:kiezen")) == kiezen_twee


def test_with_the_shared_user_cache_a_provider_session_and_unlinking_work(
    client, world, maak_provider
):
    """With the per-request user/device cache on, the link (a django-otp device) is cached like
    the app; unlinking drops it, so the session needs the code at its next request."""
    from django.core.cache import cache
    from django.test.utils import override_settings

    cache.clear()
    with override_settings(GEBRUIKER_CACHE_SECONDEN=60):
        provider = maak_provider(organisaties=[world.org], vertrouwde_amr="otp")
        totp_device(world.coordinator_a)
        koppeling = _link(provider, world.coordinator_a, "piet")
        assert (
            provider_login(client, provider, world.org, account="piet", mfa=True)["Location"] == "/"
        )
        assert _ingelogd_als(client) == world.coordinator_a
        assert _ingelogd_als(client) == world.coordinator_a  # now from the cache
        client.post(reverse("oidc:ontkoppelen", args=[koppeling.pk]))
        assert client.get(reverse("account"))["Location"].startswith(reverse("code"))
    cache.clear()
