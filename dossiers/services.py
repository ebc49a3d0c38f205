"""Writes of dossier data. Callers pass a leerling they got through the access module and have
checked that the user may edit (dossiers.selectors.lvs_mag_bewerken)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

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
from dossiers.middleware import huidig_ip_adres
from dossiers.models import (
    Adres,
    AdresVervallen,
    DossierConcept,
    Inzage,
    InzageActie,
    IqTest,
    Leerling,
    LijstVoorkeur,
    Notitie,
    Schoolgegevens,
    SociaalEmotioneleProblematiek,
    Toets,
)
from hulpvragen.models import Hulpvraag, Toegang
from hulpvragen.services import hulpvraag_create


@transaction.atomic
def lvs_gegevens_opslaan(
    *,
    leerling: Leerling,
    door: User,
    opslaan: Iterable[IqTest | Toets] = (),
    verwijderen: Iterable[IqTest | Toets] = (),
    sociaal_emotioneel: SociaalEmotioneleProblematiek | None = None,
) -> None:
    """Save the LVS tab in one transaction: new and changed IQ tests and toetsen, removed ones,
    and the sociaal-emotionele answers. Every row gets the pupil's organisation and pupil here,
    whatever the form said, so a row can never land in another dossier."""
    for rij in verwijderen:
        # Only rows of this pupil: a forged id of another dossier deletes nothing.
        type(rij).objects.filter(pk=rij.pk, leerling=leerling).delete()
    opslaan = list(opslaan)
    bestaande = [(type(rij), rij.pk) for rij in opslaan if rij.pk is not None]
    for model in {model for model, _pk in bestaande}:
        pks = {pk for m, pk in bestaande if m is model}
        if model.objects.filter(pk__in=pks, leerling=leerling).count() != len(pks):
            raise ValueError("A row of another pupil cannot be saved in this dossier.")
    for rij in opslaan:
        rij.organisatie_id = leerling.organisatie_id
        rij.leerling = leerling
        rij.gewijzigd_door = door
        rij.save()
    if sociaal_emotioneel is not None:
        bestaand = SociaalEmotioneleProblematiek.objects.filter(leerling=leerling).first()
        sociaal_emotioneel.pk = bestaand.pk if bestaand else None
        sociaal_emotioneel._state.adding = bestaand is None
        sociaal_emotioneel.organisatie_id = leerling.organisatie_id
        sociaal_emotioneel.leerling = leerling
        sociaal_emotioneel.gewijzigd_door = door
        sociaal_emotioneel.save()


# --- Access audit, list preferences, dossier tabs and the wizard -----------------------------


def inzage_record(
    *,
    gebruiker: User,
    onderdeel: str,
    actie: str = InzageActie.BEKEKEN,
    leerling_id: int | None = None,
    hulpvraag_id: int | None = None,
    details: str = "",
    ip_adres: str | None = None,
) -> Inzage:
    """Append one audit record: who looked at or changed which pupil's data, when, and from
    which address (by default the current request's, see dossiers.middleware)."""
    return Inzage.objects.create(
        organisatie_id=gebruiker.organisatie_id,
        gebruiker=gebruiker,
        actie=actie,
        onderdeel=onderdeel[:40],
        leerling_id=leerling_id,
        hulpvraag_id=hulpvraag_id,
        details=details[:300],
        ip_adres=ip_adres or huidig_ip_adres(),
    )


def lijstvoorkeur_save(*, user: User, **fields: Any) -> LijstVoorkeur:
    allowed = {"filters", "sortering", "kolommen", "volledig_scherm"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown preference fields: {sorted(unknown)}")
    voorkeur, _ = LijstVoorkeur.objects.update_or_create(gebruiker=user, defaults=fields)
    return voorkeur


def adres_add(*, leerling: Leerling, door: User, **fields: Any) -> Adres:
    """ "+ Adres toevoegen": a new address becomes current; the old ones stay as history."""
    adres = Adres.objects.create(
        organisatie_id=leerling.organisatie_id, leerling=leerling, **fields
    )
    inzage_record(
        gebruiker=door,
        onderdeel="basisgegevens",
        actie=InzageActie.GEWIJZIGD,
        leerling_id=leerling.pk,
        details="adres toegevoegd",
    )
    return adres


class AdresAlVervallen(ValidationError):
    """The address was corrected or removed already (a second click, or someone else)."""


def _adres_vergrendeld(adres: Adres) -> Adres:
    locked = Adres.objects.select_for_update().get(pk=adres.pk)
    if locked.vervallen_op is not None:
        raise AdresAlVervallen(
            _("Dit adres is al %(wat)s; de adressen hieronder zijn bijgewerkt.")
            % {"wat": locked.get_vervallen_display()}
        )
    return locked


@transaction.atomic
def adres_correct(*, adres: Adres, door: User, **fields: Any) -> Adres:
    """A wrongly entered address corrected: the corrected address is a new row that takes its
    place; the old one stays in the history as "gecorrigeerd" (who, when, pointing at the new
    one) and the audit log records it. A second post of the same correction is refused."""
    locked = _adres_vergrendeld(adres)
    nieuw = Adres.objects.create(
        organisatie_id=locked.organisatie_id, leerling_id=locked.leerling_id, **fields
    )
    Adres.objects.filter(pk=locked.pk).update(
        vervallen_op=timezone.now(),
        vervallen=AdresVervallen.GECORRIGEERD,
        vervallen_door=door,
        vervangen_door=nieuw,
    )
    inzage_record(
        gebruiker=door,
        onderdeel="basisgegevens",
        actie=InzageActie.GEWIJZIGD,
        leerling_id=locked.leerling_id,
        details=f"adres {locked.pk} gecorrigeerd, nu adres {nieuw.pk}",
    )
    return nieuw


@transaction.atomic
def adres_remove(*, adres: Adres, door: User, reden: str) -> Adres:
    """A wrongly entered address removed: it stays in the history as "verwijderd" with who,
    when and why; the address before it (if any) is current again. Audited."""
    locked = _adres_vergrendeld(adres)
    Adres.objects.filter(pk=locked.pk).update(
        vervallen_op=timezone.now(),
        vervallen=AdresVervallen.VERWIJDERD,
        vervallen_door=door,
        vervallen_reden=reden[:300],
    )
    inzage_record(
        gebruiker=door,
        onderdeel="basisgegevens",
        actie=InzageActie.GEWIJZIGD,
        leerling_id=locked.leerling_id,
        details=f"adres {locked.pk} verwijderd",
    )
    locked.refresh_from_db()
    return locked


def schoolgegevens_update(
    *, schoolgegevens: Schoolgegevens, door: User, **fields: Any
) -> Schoolgegevens:
    """Edit the Schoolgegevens tab. Notifications read aanvrager and e-mail from this row, so
    a personeelswijziging made here re-routes every later e-mail."""
    for name, value in fields.items():
        setattr(schoolgegevens, name, value)
    schoolgegevens.full_clean()
    schoolgegevens.save()
    inzage_record(
        gebruiker=door,
        onderdeel="schoolgegevens",
        actie=InzageActie.GEWIJZIGD,
        leerling_id=schoolgegevens.leerling_id,
        details="schoolgegevens gewijzigd: " + ", ".join(sorted(fields)),
    )
    return schoolgegevens


def notitie_create(*, hulpvraag: Hulpvraag, auteur: User, tekst: str) -> Notitie:
    return Notitie.objects.create(
        organisatie_id=hulpvraag.organisatie_id, hulpvraag=hulpvraag, auteur=auteur, tekst=tekst
    )


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
def toegang_uitnodigen(
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
    access module stops showing the hulpvraag at once. Granting is audited (dossiers.Inzage).

    Raises PermissionDenied when `door` may not invite for this hulpvraag, ValidationError (Dutch
    message) for an e-mail address of an SWV/school user, an inactive account, or a date outside
    today .. today + TOEGANG_UITNODIGING_MAX_DAGEN."""
    from hulpvragen.access import hulpvragen_visible_to

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


# --- The new-dossier wizard ---------------------------------------------------------------------


def dossierconcept_start(*, door: User) -> DossierConcept:
    return DossierConcept.objects.create(organisatie_id=door.organisatie_id, aangemaakt_door=door)


def dossierconcept_save(
    *, concept: DossierConcept, stap: str, gegevens: dict[str, Any], volgende: str | None = None
) -> DossierConcept:
    """Keep what was typed on a step, valid or not, so leaving never loses input."""
    concept.gegevens = {**concept.gegevens, stap: gegevens}
    if volgende is not None:
        concept.stap = volgende
    concept.save()
    return concept


def dossierconcept_delete(*, concept: DossierConcept) -> None:
    from bijlagen.services import bestanden_verwijderen

    sleutels = [b["sleutel"] for b in concept.gegevens.get("bijlagen", [])]
    with transaction.atomic():
        concept.delete()
        transaction.on_commit(lambda: bestanden_verwijderen(sleutels=sleutels))


def dossierconcept_bijlagen_add(*, concept: DossierConcept, bestanden: list) -> list[dict]:
    """Keep checked files (bijlagen.services.Gecontroleerd) with the wizard's concept: stored now,
    listed in `gegevens["bijlagen"]`, so they survive leaving the wizard and become the
    hulpvraag's bijlagen on the last "Opslaan" (dossier_create). No hulpvraag, no event yet."""
    from bijlagen.services import bestanden_bewaren, bestanden_verwijderen

    if not bestanden:
        return []
    bewaard = bestanden_bewaren(bestanden=bestanden)
    try:
        with transaction.atomic():
            vers = DossierConcept.objects.select_for_update().get(pk=concept.pk)
            vers.gegevens = {
                **vers.gegevens,
                "bijlagen": [*vers.gegevens.get("bijlagen", []), *bewaard],
            }
            vers.save(update_fields=["gegevens", "gewijzigd_op"])
    except BaseException:
        bestanden_verwijderen(sleutels=[b["sleutel"] for b in bewaard])
        raise
    concept.gegevens = vers.gegevens
    return bewaard


def dossierconcept_bijlage_remove(*, concept: DossierConcept, sleutel: str) -> None:
    """Take one file off the concept again (and out of storage)."""
    from bijlagen.services import bestanden_verwijderen

    with transaction.atomic():
        vers = DossierConcept.objects.select_for_update().get(pk=concept.pk)
        bijlagen = vers.gegevens.get("bijlagen", [])
        over = [b for b in bijlagen if b["sleutel"] != sleutel]
        if len(over) == len(bijlagen):
            return
        vers.gegevens = {**vers.gegevens, "bijlagen": over}
        vers.save(update_fields=["gegevens", "gewijzigd_op"])
        transaction.on_commit(lambda: bestanden_verwijderen(sleutels=[sleutel]))
    concept.gegevens = vers.gegevens


@transaction.atomic
def dossier_create(
    *,
    concept: DossierConcept,
    door: User,
    leerling: dict[str, Any],
    adres: dict[str, Any] | None,
    schoolgegevens: dict[str, Any],
    hulpvraag: dict[str, Any],
) -> Hulpvraag:
    """The wizard's last "Opslaan": pupil, address, schoolgegevens and the first hulpvraag are
    created together or not at all, so there is never a pupil without a hulpvraag to find it by.
    The concept goes in the same transaction."""
    org = door.organisatie_id
    nieuw = Leerling(organisatie_id=org, **leerling)
    nieuw.full_clean()
    nieuw.save()
    if adres:
        Adres.objects.create(organisatie_id=org, leerling=nieuw, **adres)
    sg = Schoolgegevens(organisatie_id=org, leerling=nieuw, **schoolgegevens)
    sg.full_clean()
    sg.save()
    created = hulpvraag_create(
        schoolgegevens=sg,
        type=hulpvraag["type"],
        door=door,
        omschrijving=hulpvraag.get("omschrijving", ""),
    )
    if hulpvraag.get("coordinator") is not None:
        created.coordinator = hulpvraag["coordinator"]
        created.save(update_fields=["coordinator"])
    bijlagen = concept.gegevens.get("bijlagen", [])
    if bijlagen:
        from bijlagen.models import BijlageConcept
        from bijlagen.services import bijlagen_add

        # The concept's stored files become the hulpvraag's bijlagen as one upload action, in
        # this transaction. Not submitted yet, so no "bijlage toegevoegd" event.
        bijlagen_add(
            hulpvraag=created,
            door=door,
            bestanden=[],
            concepten=[BijlageConcept(**b) for b in bijlagen],
            gebeurtenis=False,
        )
    concept.delete()
    inzage_record(
        gebruiker=door,
        onderdeel="nieuw dossier",
        actie=InzageActie.AANGEMAAKT,
        leerling_id=nieuw.pk,
        hulpvraag_id=created.pk,
    )
    return created


def hulpvraag_add(
    *,
    schoolgegevens: Schoolgegevens,
    door: User,
    type: str,
    omschrijving: str = "",
    coordinator=None,
) -> Hulpvraag:
    """ "Nieuwe hulpvraag toevoegen" for a pupil already in Kindkans."""
    with transaction.atomic():
        created = hulpvraag_create(
            schoolgegevens=schoolgegevens, type=type, door=door, omschrijving=omschrijving
        )
        if coordinator is not None:
            created.coordinator = coordinator
            created.save(update_fields=["coordinator"])
        inzage_record(
            gebruiker=door,
            onderdeel="hulpvraag",
            actie=InzageActie.AANGEMAAKT,
            leerling_id=schoolgegevens.leerling_id,
            hulpvraag_id=created.pk,
        )
    return created
