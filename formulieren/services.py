"""Writes for forms: loading definitions, attaching, drafts, saving and signing."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rechten import Recht, mag, mag_in_organisatie, mag_ondertekenen
from formulieren.definities import definitie_fouten, shipped_definities, vragen
from formulieren.models import Formulier, FormulierDefinitie, Ondertekening
from formulieren.selectors import (
    formulier_aangewezen_ondertekenaar_id,
    formulier_hash,
    formulier_prefill,
    formulieren_visible_to,
)
from hulpvragen.models import Hulpvraag
from hulpvragen.services import hulpvraag_fire_event
from hulpvragen.signals import reservering_gewijzigd
from organisaties.models import Organisatie

# The BAG form's question "Wilt u nu alleen een datum voor een BAG-overleg reserveren?"
RESERVEREN_VRAAG = "alleen_reserveren"


class VerouderdFormulier(Exception):
    """The page was loaded before someone else saved: saving would overwrite their answers."""

    def __init__(self, formulier: Formulier):
        super().__init__("verouderde revisie")
        self.formulier = formulier


@transaction.atomic
def formulierdefinities_load_defaults(*, organisatie: Organisatie) -> list[FormulierDefinitie]:
    """Load every shipped definition for this organisation, once: a form the organisation
    already has keeps its versions (the beheerder may have made a newer one)."""
    loaded = []
    for data in shipped_definities():
        fouten = definitie_fouten(data)
        if fouten:
            raise ValidationError(fouten)
        if FormulierDefinitie.objects.filter(
            organisatie=organisatie, sleutel=data["sleutel"]
        ).exists():
            continue
        loaded.append(
            FormulierDefinitie.objects.create(
                organisatie=organisatie,
                sleutel=data["sleutel"],
                naam=data["naam"],
                hulpvraag_type=data["hulpvraag_type"],
                versie=data.get("versie", 1),
                ondertekening_vereist=data.get("ondertekening_vereist", False),
                inhoud=data,
            )
        )
    return loaded


def formulierdefinitie_check(*, door: User, definitie: FormulierDefinitie, inhoud: dict) -> None:
    """The checks of every save of a definition, also run by the admin form's clean: `door` may
    manage the organisation's forms, the content is a valid definition, and a saved definition
    keeps its key and hulpvraag type (they tie it to its other versions and to hulpvragen)."""
    if not mag_in_organisatie(door, Recht.PROCESSEN_BEHEREN, definitie.organisatie_id):
        raise ValidationError(_("Alleen de beheerder wijzigt formulierdefinities."))
    fouten = definitie_fouten(inhoud)
    if fouten:
        raise ValidationError({"inhoud": fouten})
    if definitie.pk is not None:
        if definitie.formulieren.exists():
            raise ValidationError(
                _("Deze versie is in gebruik: maak een nieuwe versie om haar te wijzigen.")
            )
        if inhoud["sleutel"] != definitie.sleutel:
            raise ValidationError(
                {"inhoud": _("De sleutel “%(s)s” kan niet veranderen.") % {"s": definitie.sleutel}}
            )
        if inhoud["hulpvraag_type"] != definitie.hulpvraag_type:
            raise ValidationError(
                {
                    "inhoud": _("Het hulpvraagtype “%(t)s” kan niet veranderen.")
                    % {"t": definitie.hulpvraag_type}
                }
            )


@transaction.atomic
def formulierdefinitie_save(
    *, door: User, definitie: FormulierDefinitie, inhoud: dict, ondertekening_vereist: bool
) -> FormulierDefinitie:
    """Save a definition edited as JSON. A new one is a draft (inactive) version of its key;
    activating it is a separate step (`formulierdefinitie_activate`)."""
    formulierdefinitie_check(door=door, definitie=definitie, inhoud=inhoud)
    definitie.naam = inhoud["naam"]
    definitie.ondertekening_vereist = ondertekening_vereist
    if definitie.pk is None:
        definitie.sleutel = inhoud["sleutel"]
        definitie.hulpvraag_type = inhoud["hulpvraag_type"]
        definitie.versie = definitie.volgende_versie()
        definitie.actief = False
    definitie.inhoud = {**inhoud, "versie": definitie.versie}
    definitie.save()
    return definitie


@transaction.atomic
def formulierdefinitie_new_version(*, definitie: FormulierDefinitie) -> FormulierDefinitie:
    """A copy of `definitie` as the next, inactive version: how a beheerder changes a form that
    hulpvragen already use (their forms keep the version they were made with)."""
    versie = definitie.volgende_versie()
    return FormulierDefinitie.objects.create(
        organisatie_id=definitie.organisatie_id,
        sleutel=definitie.sleutel,
        naam=definitie.naam,
        hulpvraag_type=definitie.hulpvraag_type,
        versie=versie,
        actief=False,
        ondertekening_vereist=definitie.ondertekening_vereist,
        inhoud={**definitie.inhoud, "versie": versie},
    )


@transaction.atomic
def formulierdefinitie_activate(*, definitie: FormulierDefinitie) -> FormulierDefinitie:
    """Make this version the one attached to new hulpvragen. Refused when it is not valid."""
    fouten = definitie_fouten(definitie.inhoud)
    if fouten:
        raise ValidationError(fouten)
    definitie.activeren()
    return definitie


def hulpvraag_aangemaakt_receive(sender, *, hulpvraag: Hulpvraag, **kwargs) -> None:
    """The engine's `hulpvraag_aangemaakt` (connected in formulieren.apps): a new hulpvraag gets
    its type's form in the transaction that creates it."""
    formulier_attach(hulpvraag=hulpvraag)


def formulier_attach(*, hulpvraag: Hulpvraag) -> Formulier | None:
    """Attach the active form of the hulpvraag's type (the manual: "Op basis van deze
    hulpvraagtitel wordt automatisch een formulier … gekoppeld"). No form for the type: none."""
    definitie = FormulierDefinitie.objects.filter(
        organisatie_id=hulpvraag.organisatie_id, hulpvraag_type=hulpvraag.type, actief=True
    ).first()
    if definitie is None:
        return None
    return Formulier.objects.create(
        organisatie_id=hulpvraag.organisatie_id, hulpvraag=hulpvraag, definitie=definitie
    )


_SLEUTEL = re.compile(r"^[a-z0-9_]{1,60}$")
MAX_CONCEPT_TEKENS = 200_000


def concept_clean(ruw: Any) -> dict[str, Any]:
    """A draft as the browser sent it, checked for shape only (keys, text or list of text,
    size). Its content is validated when the school presses Opslaan."""
    if not isinstance(ruw, dict) or len(ruw) > 300:
        raise ValidationError(_("Ongeldig concept."))
    schoon: dict[str, Any] = {}
    totaal = 0
    for sleutel, waarde in ruw.items():
        if not isinstance(sleutel, str) or not _SLEUTEL.match(sleutel):
            raise ValidationError(_("Ongeldig concept."))
        if isinstance(waarde, list):
            if not all(isinstance(w, str) for w in waarde):
                raise ValidationError(_("Ongeldig concept."))
            totaal += sum(len(w) for w in waarde)
        elif isinstance(waarde, str):
            totaal += len(waarde)
        else:
            raise ValidationError(_("Ongeldig concept."))
        schoon[sleutel] = waarde
    if totaal > MAX_CONCEPT_TEKENS:
        raise ValidationError(_("Het concept is te groot."))
    return schoon


def formulier_concept_save(
    *, user: User, formulier_id: int, concept: Mapping[str, Any], revisie: int
) -> tuple[str, int | None, Any]:
    """Autosave: store the draft in one UPDATE that also checks access (the user's visible
    hulpvragen, school role, not closed) and the revision the page last saw.

    Returns ("ok", new revision, saved at), ("verouderd", current revision, None) when someone
    saved in between, or ("onbekend", None, None) when the user may not write this form.
    """
    nu = timezone.now()
    bijgewerkt = 0
    if mag(user, Recht.FORMULIER_BEWERKEN):
        bijgewerkt = (
            formulieren_visible_to(user)
            .filter(Q(revisie=revisie) | Q(bijgewerkt_door=user))
            .filter(pk=formulier_id, hulpvraag__status__eindstatus=False)
            .update(
                concept=dict(concept),
                concept_opgeslagen_op=nu,
                concept_door=user,
                bijgewerkt_door=user,
                revisie=F("revisie") + 1,
            )
        )
    if bijgewerkt:
        # revisie + 1 is exact unless this user's own racing write came in between; then it is
        # lower than the real one, which only matters once someone else writes: then the
        # mismatch is (rightly) a conflict.
        return "ok", revisie + 1, nu
    # Not the normal path: find out why, without telling outsiders that the form exists.
    huidig = (
        formulieren_visible_to(user)
        .filter(pk=formulier_id, hulpvraag__status__eindstatus=False)
        .values_list("revisie", flat=True)
        .first()
    )
    if huidig is None or not mag(user, Recht.FORMULIER_BEWERKEN):
        return "onbekend", None, None
    return "verouderd", huidig, None


def _als_concept(antwoorden: Mapping[str, Any]) -> dict[str, Any]:
    """Saved answers in a draft's shape (text, or a list of text), as the page would post them."""
    return {
        k: [str(w) for w in v] if isinstance(v, list) else str(v)
        for k, v in antwoorden.items()
        if v not in (None, "", [])
    }


def formulier_concept_prefill(
    *, user: User, formulier: Formulier, waarden: Mapping[str, Any]
) -> tuple[list[str], list[str]]:
    """Answers from the school's own administration (the LVS koppeling) for questions the school
    has not answered: they become the form's draft, which the school checks on Formulier
    bewerken and saves with Opslaan. Nothing the school typed or saved is replaced; questions
    the dossier fills in (basisgegevens, school) and the choice of signatory are not the LVS's.

    Returns (filled in, left alone because answered). Raises ValidationError per question for
    an unknown question or a value of the wrong shape; VerouderdFormulier when someone wrote
    in between (nothing changed); PermissionDenied when the user may not write this form."""
    waarden = concept_clean(waarden)
    per_sleutel = {v["sleutel"]: v for _s, v in vragen(formulier.definitie.inhoud)}
    fouten = {}
    for sleutel in waarden:
        vraag = per_sleutel.get(sleutel)
        if vraag is None:
            fouten[sleutel] = _("Deze vraag staat niet in dit formulier.")
        elif vraag.get("bron") or vraag["type"] == "ondertekenaar":
            fouten[sleutel] = _(
                "Deze vraag vult het dossier of de school zelf in, niet de koppeling."
            )
    if fouten:
        raise ValidationError(fouten)
    basis = (
        dict(formulier.concept)
        if formulier.concept is not None
        else _als_concept(formulier.antwoorden)
    )
    ingevuld = [k for k in waarden if basis.get(k) in (None, "", []) and waarden[k] not in ("", [])]
    al_beantwoord = [k for k in waarden if k not in ingevuld]
    if not ingevuld:
        return [], al_beantwoord
    status, _revisie, _op = formulier_concept_save(
        user=user,
        formulier_id=formulier.pk,
        concept={**basis, **{k: waarden[k] for k in ingevuld}},
        revisie=formulier.revisie,
    )
    if status == "verouderd":
        raise VerouderdFormulier(formulier)
    if status != "ok":
        raise PermissionDenied
    return ingevuld, al_beantwoord


@transaction.atomic
def formulier_save(
    *, formulier: Formulier, user: User, antwoorden: Mapping[str, Any], revisie: int
) -> Formulier:
    """Opslaan: the validated answers replace the saved ones and the draft is cleared. Changing
    an answer after signing voids the signature (the page then asks for a new one)."""
    locked = Formulier.objects.select_for_update().get(pk=formulier.pk)
    if locked.revisie != revisie and locked.bijgewerkt_door_id != user.pk:
        raise VerouderdFormulier(locked)
    gewijzigd = dict(antwoorden) != locked.antwoorden
    nu = timezone.now()
    Formulier.objects.filter(pk=formulier.pk).update(
        antwoorden=dict(antwoorden),
        opgeslagen_op=nu,
        opgeslagen_door=user,
        concept=None,
        concept_opgeslagen_op=None,
        concept_door=None,
        bijgewerkt_door=user,
        revisie=F("revisie") + 1,
    )
    if gewijzigd:
        Ondertekening.objects.filter(formulier=formulier, ongeldig_op__isnull=True).update(
            ongeldig_op=nu,
            ongeldig_reden=_("Antwoorden gewijzigd op %(datum)s door %(naam)s.")
            % {"datum": timezone.localtime(nu).strftime("%d-%m-%Y %H:%M"), "naam": user},
        )
    formulier.refresh_from_db()
    _reservering_bijwerken(formulier=formulier, nu=nu)
    return formulier


def _reservering_bijwerken(*, formulier: Formulier, nu) -> None:
    """A form with the question "alleen een datum reserveren" (BAG) keeps the hulpvraag's
    `alleen_datum_gereserveerd` in step with its saved answer. When a reservation becomes a
    complete request (Opslaan with "nee" validates every question that is then required), the
    moment is `aanvraag_compleet_op`: the decision clock starts there (loket.klok)."""
    if not any(v["sleutel"] == RESERVEREN_VRAAG for _s, v in vragen(formulier.definitie.inhoud)):
        return
    reservering = formulier.antwoorden.get(RESERVEREN_VRAAG) == "ja"
    hulpvraag = Hulpvraag.objects.only("pk", "alleen_datum_gereserveerd").get(
        pk=formulier.hulpvraag_id
    )
    if hulpvraag.alleen_datum_gereserveerd == reservering:
        return
    velden = {"alleen_datum_gereserveerd": reservering}
    if not reservering:
        velden["aanvraag_compleet_op"] = nu
    Hulpvraag.objects.filter(pk=hulpvraag.pk).update(**velden)
    hulpvraag = Hulpvraag.objects.get(pk=hulpvraag.pk)
    reservering_gewijzigd.send(sender=Hulpvraag, hulpvraag=hulpvraag)


def totp_code_verify(user: User, code: str) -> bool:
    """django-otp's check of a code against the user's confirmed TOTP device(s): it refuses a
    code that was already used (replay) and throttles after failures."""
    from django_otp import devices_for_user
    from django_otp.plugins.otp_totp.models import TOTPDevice

    code = (code or "").strip().replace(" ", "")
    if not code.isdigit():
        return False
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, TOTPDevice) and device.verify_token(code):
            return True
    return False


class OndertekenFout(Exception):
    pass


@transaction.atomic
def formulier_sign(
    *,
    formulier: Formulier,
    user: User,
    code: str,
    verify_code: Callable[[User, str], bool] = totp_code_verify,
) -> Ondertekening:
    """The bevoegd gezag signs by entering a current authenticator code. Records signer,
    function, time and the SHA-256 of the canonical answers. Schools cannot sign."""
    locked = (
        Formulier.objects.select_for_update()
        .select_related("definitie", "hulpvraag__schoolgegevens__school__bestuur", "hulpvraag")
        .get(pk=formulier.pk)
    )
    bestuur = locked.hulpvraag.schoolgegevens.school.bestuur
    if not mag_ondertekenen(user, bestuur):
        raise PermissionDenied
    if not locked.definitie.ondertekening_vereist:
        raise OndertekenFout(_("Dit formulier hoeft niet ondertekend te worden."))
    if locked.opgeslagen_op is None:
        raise OndertekenFout(_("Het formulier is nog niet opgeslagen door de school."))
    if formulier_aangewezen_ondertekenaar_id(formulier=locked) != str(user.pk):
        raise OndertekenFout(
            _("U bent niet gekozen bij “Ondertekening door”; alleen die bestuurder ondertekent.")
        )
    if not verify_code(user, code):
        raise OndertekenFout(
            _(
                "De code is onjuist of al gebruikt. "
                "Vul de code in die uw authenticator-app nu toont."
            )
        )
    nu = timezone.now()
    Ondertekening.objects.filter(formulier=locked, ongeldig_op__isnull=True).update(
        ongeldig_op=nu, ongeldig_reden=_("Vervangen door een nieuwe ondertekening.")
    )
    prefill = formulier_prefill(hulpvraag=locked.hulpvraag)
    ondertekening = Ondertekening.objects.create(
        formulier=locked,
        ondertekenaar=user,
        naam=user.get_full_name() or user.username,
        functie=user.functie or str(_("Bevoegd gezag")),
        bestuur=bestuur.naam,
        ondertekend_op=nu,
        hash=formulier_hash(formulier=locked, antwoorden=locked.antwoorden, prefill=prefill),
        revisie=locked.revisie,
    )
    # The engine takes an automatic transition on a signature where the process defines one.
    hulpvraag_fire_event(hulpvraag=locked.hulpvraag, event="formulier_ondertekend", door=user)
    return ondertekening
