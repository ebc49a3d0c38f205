"""Writes for login and account security: the security log, the password lockout counters, TOTP
enrolment and verification, backup codes, the beheerder's 2FA reset and password reset.

Nothing here ever stores or logs a password or a code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import (
    Beveiligingsgebeurtenis,
    Gebeurtenis,
    InlogTeller,
    Reservecodes,
    User,
)
from accounts.rechten import Recht, is_platformbeheerder, mag, mag_in_organisatie
from accounts.selectors import (
    gebruikers_for_herstel,
    inlogteller_blocked,
    reservecodes_device_for,
    totp_device_for,
)
from accounts.sessiecache import gebruiker_vergeten
from kindkans.proxy import client_ip
from kindkans.tasks import enqueue_on_commit
from organisaties.models import Organisatie

RESERVECODES_AANTAL = 10


# --- Security log --------------------------------------------------------------------------------


def beveiliging_log(
    *,
    gebeurtenis: Gebeurtenis,
    gebruiker: User | None = None,
    gebruikersnaam: str = "",
    organisatie: Organisatie | None = None,
    door: User | None = None,
    ip: str | None = None,
    toelichting: str = "",
) -> Beveiligingsgebeurtenis:
    """Append one event. With a `gebruiker` its username and organisation are copied; without one
    (an unknown username) the typed username and the chosen organisation are recorded."""
    if gebruiker is not None:
        gebruikersnaam = gebruiker.username
        organisatie = gebruiker.organisatie
    return Beveiligingsgebeurtenis.objects.create(
        gebeurtenis=gebeurtenis,
        gebruiker=gebruiker,
        gebruikersnaam=gebruikersnaam[:150],
        organisatie=organisatie,
        organisatie_code=organisatie.code if organisatie else "",
        door=door,
        ip=ip,
        toelichting=toelichting[:200],
    )


# --- Password lockout per organisation + username + IP ------------------------------------------


def _teller_sleutel(organisatie: Organisatie | None, gebruikersnaam: str, ip: str | None) -> dict:
    return {
        "organisatie_code": organisatie.code if organisatie else "",
        "gebruikersnaam": gebruikersnaam.strip().lower()[:150],
        "ip": ip or "0.0.0.0",  # noqa: S104 (an address we could not read, not a bind)
    }


def inlogpoging_reserve(
    *, organisatie: Organisatie | None, gebruikersnaam: str, ip: str | None
) -> bool:
    """Count this attempt as failed *before* the password hash is computed; False when the
    combination is locked out (the caller must then not check the password at all).

    Counting first means parallel requests cannot slip past the limit between check and write;
    a correct password then takes the attempt back (inlogpoging_geslaagd).
    """
    now = timezone.now()
    window = dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    with transaction.atomic():
        teller, _created = InlogTeller.objects.select_for_update().get_or_create(
            **_teller_sleutel(organisatie, gebruikersnaam, ip), defaults={"laatste": now}
        )
        if now - teller.laatste > window:
            teller.mislukt = 0
        if inlogteller_blocked(teller):  # the one rule, also shown in admin
            return False
        teller.mislukt += 1
        teller.laatste = now
        teller.save(update_fields=["mislukt", "laatste"])
    return True


def blokkering_lift_allowed(door: User) -> bool:
    """The loket (who gets the "ik kan niet inloggen" mails) and the beheerder of the SWV."""
    return mag(door, Recht.BLOKKERING_OPHEFFEN)


def blokkering_lift(*, teller: InlogTeller, door: User, ip: str | None) -> None:
    """Lift a password lockout before it ends by itself (a user phoned the loket): the counter
    goes, the event is in the security log. Only counters of the user's own organisation."""
    eigen = is_platformbeheerder(door) or (
        door.organisatie is not None and teller.organisatie_code == door.organisatie.code
    )
    if not (blokkering_lift_allowed(door) and eigen):
        raise PermissionDenied(_("U mag deze blokkering niet opheffen."))
    with transaction.atomic():
        InlogTeller.objects.filter(pk=teller.pk).delete()
        beveiliging_log(
            gebeurtenis=Gebeurtenis.BLOKKERING_OPGEHEVEN,
            gebruikersnaam=teller.gebruikersnaam,
            organisatie=Organisatie.objects.filter(code=teller.organisatie_code).first(),
            door=door,
            ip=ip,
            toelichting=_("vanaf adres %(ip)s") % {"ip": teller.ip},
        )


@admin.action(description=_("Blokkering opheffen"), permissions=["blokkering_opheffen"])
def blokkering_opheffen_actie(modeladmin, request, queryset) -> None:
    """Admin action of the lockout counters (accounts.admin.InlogTellerAdmin)."""
    for teller in queryset:
        blokkering_lift(teller=teller, door=request.user, ip=client_ip(request))
    modeladmin.message_user(
        request,
        _("Blokkering opgeheven voor %(n)d inlogteller(s); de gebruiker kan meteen inloggen.")
        % {"n": len(queryset)},
        messages.SUCCESS,
    )


def inlogpoging_succeed(*, organisatie: Organisatie | None, gebruikersnaam: str, ip: str | None):
    InlogTeller.objects.filter(**_teller_sleutel(organisatie, gebruikersnaam, ip)).delete()
    # Counters whose lockout period is over mean nothing any more; keep the table small.
    verlopen = timezone.now() - dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    InlogTeller.objects.filter(laatste__lt=verlopen).delete()


# The counter key for password-reset requests: not a username anyone can type (it has a space).
_HERSTEL_SLEUTEL = "wachtwoord vergeten"


def herstelaanvraag_allowed(*, ip: str | None) -> bool:
    """Password-reset requests per IP address share the lockout limits (a few per quarter of an
    hour), so the form cannot be used to flood someone's inbox."""
    return inlogpoging_reserve(organisatie=None, gebruikersnaam=_HERSTEL_SLEUTEL, ip=ip)


# --- TOTP enrolment, verification, backup codes ---------------------------------------------------


def totp_device_prepare(*, gebruiker: User) -> TOTPDevice:
    """The unconfirmed device shown on the enrolment page; the same one on a reload, so a code
    from an app that already scanned it keeps working."""
    device = totp_device_for(gebruiker=gebruiker, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(
            user=gebruiker, name=_("Authenticator-app"), confirmed=False
        )
    return device


def totp_device_confirm(*, device: TOTPDevice, code: str, ip: str | None) -> list[str] | None:
    """Confirm enrolment with a current code from the app. Returns the new backup codes (to be
    shown once), or None when the code is wrong or verification is throttled."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
        if not device.verify_token(_normaliseer(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # One app per account: an earlier (lost) device stops working.
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        codes = reservecodes_create(gebruiker=device.user, ip=ip, log=False)
        beveiliging_log(gebeurtenis=Gebeurtenis.GEKOPPELD, gebruiker=device.user, ip=ip)
    return codes


def reservecodes_create(*, gebruiker: User, ip: str | None, log: bool = True) -> list[str]:
    """Ten new one-time backup codes; the previous ones stop working."""
    with transaction.atomic():
        device = reservecodes_device_for(gebruiker=gebruiker)
        if device is None:
            device = Reservecodes.objects.create(
                user=gebruiker, name=_("Reservecodes"), confirmed=True
            )
        device.token_set.all().delete()
        device.throttle_reset()
        codes: set[str] = set()
        while len(codes) < RESERVECODES_AANTAL:
            codes.add(StaticToken.random_token())
        # Stored as a keyed hash (accounts.models.Reservecodes); the codes themselves are shown
        # once, in the response, and then exist only on the user's paper.
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=Reservecodes.token_hash(c)) for c in codes
        )
        if log:
            beveiliging_log(
                gebeurtenis=Gebeurtenis.RESERVECODES_VERNIEUWD, gebruiker=gebruiker, ip=ip
            )
    return sorted(codes)


def reservecodes_renew(*, gebruiker: User, ip: str | None) -> list[str]:
    """New backup codes asked for on "Mijn account" (after the password again): the codes, the
    security log, and a mail to the user that new codes were issued, so someone who took over a
    session cannot quietly give themselves a way back in. The mail carries no code and no pupil
    data; it goes out after the commit (accounts.tasks)."""
    with transaction.atomic():
        codes = reservecodes_create(gebruiker=gebruiker, ip=ip)
        enqueue_on_commit("accounts.tasks.reservecodes_vernieuwd_mailen", gebruiker_id=gebruiker.pk)
    return codes


def telefoonkoppeling_notify(*, gebruiker: User) -> None:
    """After "Nieuwe telefoon koppelen" (a new app and new backup codes): the same mail, saying
    that a new app was linked too. Queued after the commit."""
    enqueue_on_commit(
        "accounts.tasks.reservecodes_vernieuwd_mailen", gebruiker_id=gebruiker.pk, telefoon=True
    )


def reservecodes_vernieuwd_mailen(*, gebruiker_id: int, telefoon: bool = False) -> bool:
    """The mail "er zijn nieuwe reservecodes gemaakt" (no codes in it), with `telefoon` also "een
    nieuwe authenticator-app gekoppeld". False without address."""
    gebruiker = User.objects.select_related("organisatie").filter(pk=gebruiker_id).first()
    if gebruiker is None or not gebruiker.email:
        return False
    context = {
        "telefoon": telefoon,
        "gebruiker": gebruiker,
        "moment": timezone.localtime(),
        "link": settings.SITE_URL.rstrip("/") + reverse("account"),
    }
    subject = render_to_string("emails/reservecodes_vernieuwd_onderwerp.txt", context).strip()
    body = render_to_string("emails/reservecodes_vernieuwd.txt", context)
    EmailMessage(subject=subject, body=body, to=[gebruiker.email]).send()
    return True


@dataclass(frozen=True)
class CodeUitslag:
    device: Device | None
    geremd_tot: dt.datetime | None = None

    @property
    def gelukt(self) -> bool:
        return self.device is not None


def _normaliseer(code: str) -> str:
    return "".join(ch for ch in code if ch.isalnum()).lower()


def tweede_factor_verify(*, gebruiker: User, code: str, ip: str | None) -> CodeUitslag:
    """Check a code from the app (6 digits) or a backup code against the user's own devices.

    django-otp does the rest: throttling (1, 2, 4 … s after successive failures, during which even
    a correct code is refused), a TOTP code accepted only once (last_t) and a backup code deleted
    when used. Verification runs under a row lock so two requests cannot both use one code.
    """
    code = _normaliseer(code)
    if code.isdigit() and len(code) == 6:
        device: Device | None = totp_device_for(gebruiker=gebruiker)
        soort = "code"
    else:
        device = reservecodes_device_for(gebruiker=gebruiker)
        soort = "reservecode"
    if device is None or not code:
        beveiliging_log(
            gebeurtenis=Gebeurtenis.LOGIN_MISLUKT, gebruiker=gebruiker, ip=ip, toelichting=soort
        )
        return CodeUitslag(None)
    toegestaan, info = device.verify_is_allowed()
    if not toegestaan:
        beveiliging_log(
            gebeurtenis=Gebeurtenis.LOGIN_MISLUKT,
            gebruiker=gebruiker,
            ip=ip,
            toelichting=f"{soort} (geremd)",
        )
        return CodeUitslag(None, geremd_tot=(info or {}).get("locked_until"))
    verified = verify_token(gebruiker, device.persistent_id, code)
    if verified is None:
        beveiliging_log(
            gebeurtenis=Gebeurtenis.LOGIN_MISLUKT, gebruiker=gebruiker, ip=ip, toelichting=soort
        )
        return CodeUitslag(None)
    if isinstance(verified, StaticDevice):
        beveiliging_log(
            gebeurtenis=Gebeurtenis.RESERVECODE_GEBRUIKT,
            gebruiker=gebruiker,
            ip=ip,
            toelichting=_("nog %(n)d over") % {"n": verified.token_set.count()},
        )
    return CodeUitslag(verified)


# --- Ending sessions, 2FA reset -------------------------------------------------------------------


def sessies_end(*, gebruiker: User) -> None:
    """Every session of this user that started before now ends at its next request
    (accounts.middleware compares the session's login time with this moment)."""
    gebruiker.sessies_geldig_vanaf = timezone.now()
    User.objects.filter(pk=gebruiker.pk).update(sessies_geldig_vanaf=gebruiker.sessies_geldig_vanaf)
    # update() sends no post_save: the cached copy of the user goes here.
    gebruiker_vergeten(gebruiker.pk)


def tweede_factor_reset_allowed(door: User) -> bool:
    """Whether `door` may reset second factors at all (of users of the own organisation)."""
    return mag(door, Recht.TWEEDE_FACTOR_RESETTEN)


def _mag_tweede_factor_resetten(door: User, gebruiker: User) -> bool:
    return mag_in_organisatie(door, Recht.TWEEDE_FACTOR_RESETTEN, gebruiker.organisatie_id)


def tweede_factor_reset(*, gebruiker: User, door: User, ip: str | None) -> None:
    """The beheerder's reset: the app and the backup codes stop working, the user's sessions end,
    and the user enrols again after the password at the next login."""
    if not _mag_tweede_factor_resetten(door, gebruiker):
        raise PermissionDenied(_("U mag de tweede factor van deze gebruiker niet resetten."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=gebruiker).delete()
        StaticDevice.objects.filter(user=gebruiker).delete()
        sessies_end(gebruiker=gebruiker)
        beveiliging_log(
            gebeurtenis=Gebeurtenis.TWEEDE_FACTOR_GERESET, gebruiker=gebruiker, door=door, ip=ip
        )


@admin.action(
    description=_("Tweede factor resetten (opnieuw koppelen bij volgende login)"),
    permissions=["tweede_factor_reset"],
)
def tweede_factor_reset_actie(modeladmin, request, queryset) -> None:
    """Admin action for the User admin (`actions = [tweede_factor_reset_actie]`). It lives here,
    next to its service, so whichever module defines the User admin can simply list it."""
    gelukt = 0
    for gebruiker in queryset:
        try:
            tweede_factor_reset(gebruiker=gebruiker, door=request.user, ip=client_ip(request))
        except PermissionDenied as exc:
            modeladmin.message_user(request, f"{gebruiker}: {exc}", messages.ERROR)
        else:
            gelukt += 1
    if gelukt:
        modeladmin.message_user(
            request,
            _(
                "Tweede factor gereset voor %(n)d gebruiker(s); zij koppelen opnieuw bij de "
                "volgende login."
            )
            % {"n": gelukt},
            messages.SUCCESS,
        )


# --- Password reset and change --------------------------------------------------------------------


def wachtwoord_herstel_verzenden(*, organisatie_id: int | None, invoer: str, ip: str | None) -> int:
    """Background work of one reset request (accounts.tasks, queued by the view through
    kindkans.tasks.enqueue_on_commit): find the accounts the typed text is about, mail each a
    reset link and log the request. Returns how many mails were sent.

    The lookup and the sending happen here, not in the request, so the request does exactly the
    same work whether or not an account exists (one queued task), and a slow or failing mail
    server neither delays nor breaks the answer of a request that matched an account. The link
    is built from settings.SITE_URL, never from the request's Host header (which an attacker
    could choose to point the link at their own site). The request is logged even when it
    matched nothing, with what was typed, so abuse is visible."""
    organisatie = Organisatie.objects.filter(pk=organisatie_id).first() if organisatie_id else None
    gebruikers = list(gebruikers_for_herstel(organisatie=organisatie, invoer=invoer))
    for gebruiker in gebruikers:
        pad = reverse(
            "wachtwoord_herstellen",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(gebruiker.pk)),
                "token": default_token_generator.make_token(gebruiker),
            },
        )
        context = {"gebruiker": gebruiker, "link": settings.SITE_URL.rstrip("/") + pad}
        subject = render_to_string("emails/wachtwoord_herstel_onderwerp.txt", context).strip()
        body = render_to_string("emails/wachtwoord_herstel.txt", context)
        beveiliging_log(gebeurtenis=Gebeurtenis.HERSTEL_AANGEVRAAGD, gebruiker=gebruiker, ip=ip)
        EmailMessage(subject=subject, body=body, to=[gebruiker.email]).send()
    if not gebruikers:
        beveiliging_log(
            gebeurtenis=Gebeurtenis.HERSTEL_AANGEVRAAGD,
            gebruikersnaam=invoer,
            organisatie=organisatie,
            ip=ip,
            toelichting=_("geen account gevonden"),
        )
    return len(gebruikers)


def wachtwoordherstel_complete(*, gebruiker: User, ip: str | None) -> None:
    """After a reset: every session ends (the new password alone never logs in; the code step
    follows at the next login)."""
    sessies_end(gebruiker=gebruiker)
    beveiliging_log(gebeurtenis=Gebeurtenis.WACHTWOORD_HERSTELD, gebruiker=gebruiker, ip=ip)


def wachtwoordwijziging_record(*, gebruiker: User, ip: str | None) -> None:
    beveiliging_log(gebeurtenis=Gebeurtenis.WACHTWOORD_GEWIJZIGD, gebruiker=gebruiker, ip=ip)
