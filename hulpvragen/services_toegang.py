"""Toegang: the loket grants a deskundige (or invites an outsider, a genodigde) read access to one
hulpvraag, until revoked or past its geldig_tot; every grant and revocation is audited."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import Rol, User
from accounts.rechten import Recht, mag, mag_in_organisatie
from audit.models import InzageActie
from audit.services import inzage_record
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.models import Hulpvraag, Toegang


def toegang_check(*, door: User, hulpvraag: Hulpvraag, gebruiker: User) -> None:
    """The checks of every grant (the Toegang tab, the admin, a deskundigenadvies): `door` may
    grant access in the hulpvraag's organisation, and the grantee is an active deskundige of it."""
    if not mag_in_organisatie(door, Recht.TOEGANG_VERLENEN, hulpvraag.organisatie_id):
        raise PermissionDenied
    if (
        gebruiker.organisatie_id != hulpvraag.organisatie_id
        or gebruiker.rol != Rol.DESKUNDIGE
        or not gebruiker.is_active
    ):
        raise ValidationError(
            {"gebruiker": _("Kies een actieve deskundige van de eigen organisatie.")}
        )


@transaction.atomic
def toegang_grant(
    *,
    hulpvraag: Hulpvraag,
    gebruiker: User,
    door: User,
    reden: str = "",
    geldig_tot: dt.date | None = None,
) -> Toegang:
    """The loket gives a deskundige read access to this hulpvraag (audited), optionally until
    an end date. Granting twice keeps the one active grant (with the new end date); a grant whose
    end date has passed is closed and a new one starts."""
    toegang_check(door=door, hulpvraag=hulpvraag, gebruiker=gebruiker)
    return _toegang_verleen(
        hulpvraag=hulpvraag,
        gebruiker=gebruiker,
        door=door,
        reden=reden,
        geldig_tot=geldig_tot,
        schoolintern=False,
    )


def _toegang_verleen(
    *,
    hulpvraag: Hulpvraag,
    gebruiker: User,
    door: User,
    reden: str,
    geldig_tot: dt.date | None,
    schoolintern: bool,
) -> Toegang:
    vandaag = timezone.localdate()
    toegang = (
        Toegang.objects.select_for_update()
        .filter(hulpvraag=hulpvraag, gebruiker=gebruiker, ingetrokken_op__isnull=True)
        .first()
    )
    if toegang is not None and toegang.geldig_tot is not None and toegang.geldig_tot < vandaag:
        # An expired grant already works no more; close it so the new one is its own row.
        toegang.ingetrokken_op = timezone.now()
        toegang.save(update_fields=["ingetrokken_op"])
        toegang = None
    if toegang is not None:
        if toegang.schoolintern != schoolintern:
            raise ValidationError(
                _("Deze persoon heeft al leestoegang tot deze hulpvraag (tot en met %(datum)s).")
                % {"datum": toegang.geldig_tot.strftime("%d-%m-%Y") if toegang.geldig_tot else "-"}
            )
        if toegang.geldig_tot == geldig_tot:
            return toegang
        toegang.geldig_tot = geldig_tot
        toegang.save(update_fields=["geldig_tot"])
        details = "leestoegang verlengd"
    else:
        toegang = Toegang.objects.create(
            organisatie_id=hulpvraag.organisatie_id,
            hulpvraag=hulpvraag,
            gebruiker=gebruiker,
            reden=reden,
            verleend_door=door,
            geldig_tot=geldig_tot,
            schoolintern=schoolintern,
        )
        details = "leestoegang"
    tot = f" tot en met {geldig_tot:%d-%m-%Y}" if geldig_tot else ""
    intern = " (interne overlegronde school)" if schoolintern else ""
    inzage_record(
        gebruiker=door,
        onderdeel="toegang",
        actie=InzageActie.TOEGANG_VERLEEND,
        leerling_id=hulpvraag.leerling_id,
        hulpvraag_id=hulpvraag.pk,
        details=f"{details} voor gebruiker {gebruiker.pk}{tot}{intern}",
    )
    return toegang


def _uitnodiging_mail(*, gebruiker: User, toegang: Toegang, nieuw: bool) -> None:
    link = ""
    if nieuw:
        link = settings.SITE_URL.rstrip("/") + reverse(
            "wachtwoord_herstellen",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(gebruiker.pk)),
                "token": default_token_generator.make_token(gebruiker),
            },
        )
    context = {
        "gebruiker": gebruiker,
        "organisatie": gebruiker.organisatie,
        "geldig_tot": toegang.geldig_tot,
        "link": link,
        "inloggen": settings.SITE_URL.rstrip("/") + reverse("login"),
        "vergeten": settings.SITE_URL.rstrip("/") + reverse("wachtwoord_vergeten"),
    }
    # No pupil data in the mail: it only says that there is something to read, and until when.
    body = render_to_string("emails/toegang_uitnodiging.txt", context)
    subject = _("Uitnodiging: leestoegang tot een dossier in Kindkans")
    EmailMessage(subject=subject, body=body, to=[gebruiker.email]).send()


@transaction.atomic
def toegang_invite(
    *,
    hulpvraag: Hulpvraag,
    door: User,
    email: str,
    voornaam: str,
    achternaam: str,
    geldig_tot: dt.date,
    reden: str = "",
) -> Toegang:
    """Invite a person who is not an SWV or school user to read this one hulpvraag until
    `geldig_tot` (inclusive). The loket invites for the SWV; a school invites for its own
    internal overlegronde (`schoolintern`, which the loket does not see on the Toegang tab).

    The invitee gets a personal account with the role "genodigde" in the hulpvraag's organisation
    (username = e-mail address), created here when there is none, and a mail with a link to set a
    password; logging in then works as for everyone (password + authenticator app, enrolled at the
    first login). An existing genodigde account gets the extra grant. After `geldig_tot` the
    access module stops showing the hulpvraag at once. Granting is audited (audit.Inzage).

    Raises PermissionDenied when `door` may not invite for this hulpvraag, ValidationError (Dutch
    message) for an e-mail address of an SWV/school user, an inactive account, or a date outside
    today .. today + TOEGANG_UITNODIGING_MAX_DAGEN."""
    if not mag_in_organisatie(door, Recht.UITNODIGEN, hulpvraag.organisatie_id) or not (
        hulpvragen_visible_to(door).filter(pk=hulpvraag.pk).exists()
    ):
        raise PermissionDenied
    vandaag = timezone.localdate()
    uiterlijk = vandaag + dt.timedelta(days=settings.TOEGANG_UITNODIGING_MAX_DAGEN)
    if not vandaag <= geldig_tot <= uiterlijk:
        raise ValidationError(
            _("Kies een einddatum van vandaag tot uiterlijk %(datum)s.")
            % {"datum": uiterlijk.strftime("%d-%m-%Y")}
        )
    email = email.strip().lower()
    org = hulpvraag.organisatie_id
    bestaand = list(
        User.objects.select_for_update()
        .filter(Q(email__iexact=email) | Q(username__iexact=email), organisatie_id=org)
        .order_by("pk")
    )
    if any(u.rol != Rol.GENODIGDE for u in bestaand):
        raise ValidationError(
            _(
                "Dit e-mailadres hoort bij een gebruiker van het samenwerkingsverband of een "
                "school. Een genodigde is iemand zonder eigen Kindkans-account."
            )
        )
    gebruiker = bestaand[0] if bestaand else None
    nieuw = gebruiker is None
    if gebruiker is not None and not gebruiker.is_active:
        raise ValidationError(
            _("Het account van deze genodigde is gedeactiveerd; vraag de beheerder.")
        )
    if gebruiker is None:
        gebruiker = User(
            organisatie_id=org,
            username=email,
            email=email,
            first_name=voornaam.strip(),
            last_name=achternaam.strip(),
            rol=Rol.GENODIGDE,
        )
        gebruiker.set_unusable_password()
        gebruiker.save()
    toegang = _toegang_verleen(
        hulpvraag=hulpvraag,
        gebruiker=gebruiker,
        door=door,
        reden=reden,
        geldig_tot=geldig_tot,
        # The loket grants for the SWV; anyone else invites for the school's internal round.
        schoolintern=not mag(door, Recht.TOEGANG_VERLENEN),
    )
    transaction.on_commit(
        lambda: _uitnodiging_mail(gebruiker=gebruiker, toegang=toegang, nieuw=nieuw)
    )
    return toegang


@transaction.atomic
def toegang_revoke(*, toegang: Toegang, door: User) -> Toegang:
    """Revoking keeps the row: the history of who could see the dossier stays."""
    if toegang.ingetrokken_op is None:
        toegang.ingetrokken_op = timezone.now()
        toegang.save(update_fields=["ingetrokken_op"])
        inzage_record(
            gebruiker=door,
            onderdeel="toegang",
            actie=InzageActie.TOEGANG_INGETROKKEN,
            leerling_id=toegang.hulpvraag.leerling_id,
            hulpvraag_id=toegang.hulpvraag_id,
            details=f"leestoegang ingetrokken voor gebruiker {toegang.gebruiker_id}",
        )
    return toegang
