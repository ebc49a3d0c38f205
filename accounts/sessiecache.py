"""The logged-in user and the session's second-factor device from the shared cache, instead of
two queries on every request (the user with its organisation, the device).

Only with a cache all web workers share (Redis, settings.GEBRUIKER_CACHE_SECONDEN > 0): with a
per-process cache a change made in one worker would not reach the others. What is cached:

- the user's columns except the password hash, its organisation's columns, and the session
  authentication hash (an HMAC of the password hash: the value every session already holds), so
  Django's per-request session check still notices a changed password;
- the device's id, user, name and confirmed flag: never its secret key (the other columns load
  from the database if anything reads them).

An entry is deleted on every save or delete of the user, of its organisation (for all its
users), of a device, and where a service changes users past save() (accounts.services'
sessies_beeindig); it expires after GEBRUIKER_CACHE_SECONDEN in any case. So a deactivated
account, a switched-off organisation, a changed password, a reset second factor or "end all
sessions" takes effect on the next request, as without the cache.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_delete, post_save
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from accounts.models import User
from organisaties.models import Organisatie

_USER_VELDEN = [f.attname for f in User._meta.concrete_fields if f.name != "password"]
_ORG_VELDEN = [f.attname for f in Organisatie._meta.concrete_fields]
_DEVICE_VELDEN = ["id", "user_id", "name", "confirmed"]


def _seconden() -> int:
    return getattr(settings, "GEBRUIKER_CACHE_SECONDEN", 0)


def _gebruiker_sleutel(pk) -> str:
    return f"kindkans:gebruiker:1:{pk}"


def _device_sleutel(persistent_id: str) -> str:
    return f"kindkans:otp-device:1:{persistent_id}"


def gebruiker_laden(user_id) -> User | None:
    """The user (with its organisation) for the session's user id, or None."""
    seconden = _seconden()
    if seconden:
        gegevens = cache.get(_gebruiker_sleutel(user_id))
        if gegevens is not None:
            user = User.from_db(DEFAULT_DB_ALIAS, _USER_VELDEN, gegevens["user"])
            if gegevens["org"] is not None:
                user.organisatie = Organisatie.from_db(
                    DEFAULT_DB_ALIAS, _ORG_VELDEN, gegevens["org"]
                )
            user._sessie_hash = gegevens["hash"]
            return user
    try:
        user = User._default_manager.select_related("organisatie").get(pk=user_id)
    except User.DoesNotExist:
        return None
    if seconden:
        org = user.organisatie
        gegevens = {
            "user": [getattr(user, f) for f in _USER_VELDEN],
            "org": None if org is None else [getattr(org, f) for f in _ORG_VELDEN],
            "hash": user.get_session_auth_hash(),
        }
        cache.set(_gebruiker_sleutel(user_id), gegevens, seconden)
    return user


def gebruiker_vergeten(*pks) -> None:
    """Drop the users' entries now and once more after the commit (a request that read the old
    row before the commit cannot leave it behind)."""
    sleutels = [_gebruiker_sleutel(pk) for pk in pks if pk is not None]
    if sleutels:
        cache.delete_many(sleutels)
        transaction.on_commit(lambda: cache.delete_many(sleutels))


class CacheOTPMiddleware(OTPMiddleware):
    """django-otp's middleware, with the session's device from the shared cache."""

    def _device_from_persistent_id(self, persistent_id: str):
        seconden = _seconden()
        if not seconden:
            return super()._device_from_persistent_id(persistent_id)
        persistent_id = self._normalize_persistent_id(persistent_id)
        sleutel = _device_sleutel(persistent_id)
        gegevens = cache.get(sleutel)
        if gegevens is not None:
            label, waarden = gegevens
            return apps.get_model(label).from_db(DEFAULT_DB_ALIAS, _DEVICE_VELDEN, waarden)
        device = super()._device_from_persistent_id(persistent_id)
        if device is not None:
            waarden = [getattr(device, f) for f in _DEVICE_VELDEN]
            cache.set(sleutel, (device._meta.label_lower, waarden), seconden)
        return device


def _device_gewijzigd(sender, instance, **kwargs) -> None:
    sleutel = _device_sleutel(instance.persistent_id)
    cache.delete(sleutel)
    transaction.on_commit(lambda: cache.delete(sleutel))


def _gebruiker_gewijzigd(sender, instance, **kwargs) -> None:
    gebruiker_vergeten(instance.pk)


def _organisatie_gewijzigd(sender, instance, **kwargs) -> None:
    if _seconden():
        gebruiker_vergeten(*User.objects.filter(organisatie=instance).values_list("pk", flat=True))


post_save.connect(_gebruiker_gewijzigd, sender=User, dispatch_uid="sessiecache-user-save")
post_delete.connect(_gebruiker_gewijzigd, sender=User, dispatch_uid="sessiecache-user-delete")
post_save.connect(_organisatie_gewijzigd, sender=Organisatie, dispatch_uid="sessiecache-org")
# Every installed kind of device (TOTP, static backup codes), each by name: a receiver without
# a sender would cost every bulk delete in the project its fast path.
for _model in apps.get_models():
    if issubclass(_model, Device):
        uid = f"sessiecache-{_model._meta.label_lower}"
        post_save.connect(_device_gewijzigd, sender=_model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_device_gewijzigd, sender=_model, dispatch_uid=f"{uid}-delete")
