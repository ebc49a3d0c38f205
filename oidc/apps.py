from django.apps import AppConfig


class OidcConfig(AppConfig):
    name = "oidc"
    verbose_name = "Inloggen met het account van de school"

    def ready(self) -> None:
        # The password step asks this app whether a school requires its provider's login
        # (accounts.inlogregels: accounts itself knows nothing of OpenID Connect).
        from accounts.inlogregels import wachtwoord_regel
        from oidc.selectors import wachtwoord_login_refused

        wachtwoord_regel(wachtwoord_login_refused)
