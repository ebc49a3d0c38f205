from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class OrganisatieBackend(ModelBackend):
    """Authenticates a username *within one organisation*.

    Without `organisatie` only platform accounts (no organisation) can log in, so the same
    username at another SWV never opens this one.
    """

    def authenticate(self, request, username=None, password=None, organisatie=None, **kwargs):
        if username is None or password is None:
            return None
        try:
            user = User.objects.get(username=username, organisatie=organisatie)
        except User.DoesNotExist:
            # Run the hasher anyway so an unknown user costs the same time as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return user.organisatie_id is None or user.organisatie.actief

    def get_user(self, user_id):
        # Runs on every request: the user with its organisation (so the `actief` check above
        # costs no second query), from the shared cache when there is one (accounts.sessiecache).
        from accounts.sessiecache import gebruiker_laden

        user = gebruiker_laden(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
