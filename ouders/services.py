"""Writes for parents online: invitations (with their link and one-time code), the parent's code
check and session, correction proposals and how the school handles them, the zienswijze and the
"voor gezien" that becomes a bijlage. Views, tests and commands call only these."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rechten import mag_ouders_uitnodigen
from bijlagen.models import Bijlage, Documentsoort
from bijlagen.services import bijlage_bestand_delete, bijlage_document_add
from formulieren.models import Formulier
from formulieren.services import formulier_save
from formulieren.weergave import datum_nl
from formulieren.word import VoorGezienOnline, formulier_docx
from meldingen.models import Notificatie, NotificatieSoort
from meldingen.services import notificaties_enqueue
from ouders.models import Correctievoorstel, Uitnodiging, VoorGezien, VoorstelStatus, Zienswijze
from ouders.selectors import link_hash, ouder_getoond_for, ouders_for_formulier, uitnodigen_allowed
from ouders.sessie import nieuw_sessiegeheim, sessie_hash

# No 0/O, 1/I/L: a code read out over the phone is typed right the first time.
CODE_TEKENS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTE = 8


class OuderFout(Exception):
    """A parent's or school's action that cannot be done; the message says why (B1 Dutch)."""


def _nieuwe_code() -> str:
    return "".join(secrets.choice(CODE_TEKENS) for _ in range(CODE_LENGTE))


def code_normaal(code: str) -> str:
    """What the parent typed, as compared: spaces and dashes dropped, capitals."""
    return "".join(t for t in (code or "").upper() if t.isalnum())[:20]


def code_leesbaar(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _check_school(door: User, uitnodiging_of_formulier) -> None:
    if not mag_ouders_uitnodigen(door, uitnodiging_of_formulier.hulpvraag):
        raise PermissionDenied


@transaction.atomic
def uitnodigingen_create(
    *, door: User, formulier: Formulier, ouders: list[int], bijlage_ids: list[int]
) -> list[tuple[Uitnodiging, str]]:
    """Invite one or two parents of the form: per parent an invitation with a random link (only
    its hash is stored), a one-time code (hashed) that the school hands over, and an e-mail
    with the link in the outbox. Returns each invitation with its code in plain text, which the
    school sees once."""
    _check_school(door, formulier)
    if reden := uitnodigen_allowed(formulier):
        raise OuderFout(_(reden))
    per_nummer = {o["nummer"]: o for o in ouders_for_formulier(formulier)}
    if not ouders or len(set(ouders)) != len(ouders) or len(ouders) > 2:
        raise OuderFout(_("Kies één of twee ouders/verzorgers."))
    for nummer in ouders:
        if nummer not in per_nummer or not per_nummer[nummer]["email"]:
            raise OuderFout(_("Deze ouder/verzorger heeft geen e-mailadres in het formulier."))
    lopend = Uitnodiging.objects.filter(
        formulier=formulier,
        ouder__in=ouders,
        ingetrokken_op__isnull=True,
        geldig_tot__gt=timezone.now(),
    ).values_list("ouder", flat=True)
    if lopend:
        raise OuderFout(
            _(
                "Er is al een geldige uitnodiging voor ouder/verzorger %(n)s. Maak een nieuwe "
                "code of trek die uitnodiging eerst in."
            )
            % {"n": ", ".join(str(n) for n in sorted(lopend))}
        )
    bijlagen = list(
        Bijlage.objects.filter(
            pk__in=bijlage_ids, hulpvraag_id=formulier.hulpvraag_id, ingetrokken_op__isnull=True
        )
    )
    if len(bijlagen) != len(set(bijlage_ids)):
        raise OuderFout(_("Een gekozen bijlage hoort niet bij deze hulpvraag."))
    nu = timezone.now()
    result = []
    for nummer in ouders:
        ouder = per_nummer[nummer]
        token = secrets.token_urlsafe(32)
        code = _nieuwe_code()
        uitnodiging = Uitnodiging.objects.create(
            organisatie_id=formulier.organisatie_id,
            hulpvraag_id=formulier.hulpvraag_id,
            formulier=formulier,
            ouder=nummer,
            naam=ouder["naam"][:200],
            email=ouder["email"],
            link_hash=link_hash(token),
            code_hash=make_password(code),
            code_op=nu,
            aangemaakt_door=door,
            geldig_tot=nu + timedelta(days=settings.OUDERS_UITNODIGING_DAGEN),
        )
        uitnodiging.bijlagen.set(bijlagen)
        link = settings.SITE_URL.rstrip("/") + reverse("ouder:link", args=[token])
        notificatie = Notificatie.objects.create(
            organisatie_id=formulier.organisatie_id,
            hulpvraag_id=formulier.hulpvraag_id,
            ontvanger=ouder["email"],
            soort=NotificatieSoort.OUDER_UITNODIGING,
            onderwerp=str(_("de school vraagt u een aanvraag te bekijken")),
            tekst=link,
        )
        notificaties_enqueue(notificaties=[notificatie])
        result.append((uitnodiging, code))
    return result


def _vergrendeld(uitnodiging: Uitnodiging) -> Uitnodiging:
    return Uitnodiging.objects.select_for_update().get(pk=uitnodiging.pk)


@transaction.atomic
def uitnodiging_code_renew(*, door: User, uitnodiging: Uitnodiging) -> str:
    """A new code (the parent lost it, or the invitation locked after wrong codes): the old
    code stops working, the count starts again, an open parent session ends."""
    _check_school(door, uitnodiging)
    u = _vergrendeld(uitnodiging)
    if not u.bruikbaar:
        raise OuderFout(_("Deze uitnodiging is ingetrokken of verlopen; nodig opnieuw uit."))
    code = _nieuwe_code()
    u.code_hash = make_password(code)
    u.code_op = timezone.now()
    u.pogingen = 0
    u.geblokkeerd_op = None
    u.sessie_hash = ""
    u.save(update_fields=["code_hash", "code_op", "pogingen", "geblokkeerd_op", "sessie_hash"])
    return code


@transaction.atomic
def uitnodiging_revoke(*, door: User, uitnodiging: Uitnodiging) -> Uitnodiging:
    """The link and code stop working at once, and an open parent session ends."""
    _check_school(door, uitnodiging)
    u = _vergrendeld(uitnodiging)
    if u.ingetrokken_op is None:
        u.ingetrokken_op = timezone.now()
        u.ingetrokken_door = door
        u.sessie_hash = ""
        u.save(update_fields=["ingetrokken_op", "ingetrokken_door", "sessie_hash"])
    return u


@transaction.atomic
def ouder_code_check(*, uitnodiging: Uitnodiging, code: str) -> tuple[str | None, str]:
    """The parent types the code. Right: (a new session secret, ""), its hash stored. Wrong:
    (None, what to do); the count goes up and at OUDERS_MAX_POGINGEN the invitation locks
    until the school makes a new code. Returns instead of raising, so the count is committed."""
    u = _vergrendeld(uitnodiging)
    te_vaak = _("Er is te vaak een verkeerde code ingevuld. Vraag de school om een nieuwe code.")
    if not u.bruikbaar:
        return None, _("Deze link werkt niet meer.")
    if u.geblokkeerd:
        return None, te_vaak
    if not check_password(code_normaal(code), u.code_hash):
        u.pogingen += 1
        velden = ["pogingen"]
        if u.pogingen >= settings.OUDERS_MAX_POGINGEN:
            u.geblokkeerd_op = timezone.now()
            u.sessie_hash = ""
            velden += ["geblokkeerd_op", "sessie_hash"]
        u.save(update_fields=velden)
        if u.geblokkeerd:
            return None, te_vaak
        over = settings.OUDERS_MAX_POGINGEN - u.pogingen
        return None, _("De code klopt niet. U kunt het nog %(n)s keer proberen.") % {"n": over}
    geheim = nieuw_sessiegeheim()
    u.sessie_hash = sessie_hash(geheim)
    u.pogingen = 0
    u.save(update_fields=["sessie_hash", "pogingen"])
    return geheim, ""


def ouder_logout(*, uitnodiging: Uitnodiging) -> None:
    Uitnodiging.objects.filter(pk=uitnodiging.pk).update(sessie_hash="")


def _open_voor_ouder(uitnodiging: Uitnodiging) -> Uitnodiging:
    u = _vergrendeld(uitnodiging)
    if not u.bruikbaar or u.geblokkeerd:
        raise OuderFout(_("Deze link werkt niet meer."))
    return u


@transaction.atomic
def ouder_voorstel_submit(
    *, uitnodiging: Uitnodiging, wijzigingen: dict, toelichting: str
) -> Correctievoorstel:
    """The parent proposes corrections ({key: {"label", "oud", "nieuw"}}); the school decides."""
    u = _open_voor_ouder(uitnodiging)
    if not wijzigingen:
        raise OuderFout(_("U hebt niets veranderd. Pas eerst een gegeven aan."))
    return Correctievoorstel.objects.create(
        organisatie_id=u.organisatie_id,
        uitnodiging=u,
        wijzigingen=wijzigingen,
        toelichting=toelichting[:2000],
    )


@transaction.atomic
def ouder_zienswijze_submit(*, uitnodiging: Uitnodiging, tekst: str, niet_eens: bool) -> Zienswijze:
    u = _open_voor_ouder(uitnodiging)
    tekst = tekst.strip()
    if not tekst and not niet_eens:
        raise OuderFout(_("Schrijf uw zienswijze op, of kies “Wij zijn het niet eens”."))
    if hasattr(u, "voor_gezien"):
        raise OuderFout(_("U hebt al getekend; daarna kunt u geen zienswijze meer geven."))
    return Zienswijze.objects.create(
        organisatie_id=u.organisatie_id, uitnodiging=u, tekst=tekst[:5000], niet_eens=niet_eens
    )


def ouder_voor_gezien_sign(*, uitnodiging: Uitnodiging, naam: str, getoond_hash: str) -> VoorGezien:
    """The parent signs "voor gezien": name typed, the time, and the SHA-256 of exactly what
    the page showed. Refused when the page is out of date (something changed since it was
    shown) or when this invitation already signed. The signed form becomes the bijlage
    "Aanvraagformulier, door ouders voor gezien getekend" (Word, the export's renderer)."""
    naam = " ".join(naam.split())[:200]
    if len(naam) < 2:
        raise OuderFout(_("Typ uw naam om te tekenen."))
    sleutels: list[str] = []
    try:
        with transaction.atomic():
            u = _open_voor_ouder(uitnodiging)
            if VoorGezien.objects.filter(uitnodiging=u).exists():
                raise OuderFout(_("U hebt al getekend."))
            getoond = ouder_getoond_for(uitnodiging)
            if getoond.hash != getoond_hash:
                raise OuderFout(
                    _(
                        "De aanvraag is veranderd nadat u de pagina opende. Lees hem opnieuw en "
                        "teken daarna."
                    )
                )
            nu = timezone.now()
            ouder_label = _("Ouder/verzorger %(n)s") % {"n": u.ouder}
            inhoud = formulier_docx(
                getoond.weergave,
                online=VoorGezienOnline(
                    ouder=ouder_label,
                    naam=naam,
                    datum=datum_nl(nu),
                    hash=getoond.hash,
                    zienswijzen=[
                        (z.tekst, z.niet_eens, datum_nl(z.op)) for z in getoond.zienswijzen
                    ],
                    voorstellen=[
                        f"{w['label']}: {w['nieuw'] or '-'} (was: {w['oud'] or '-'})"
                        for v in getoond.voorstellen
                        for w in v.wijzigingen.values()
                    ],
                ),
            )
            bijlage = bijlage_document_add(
                hulpvraag=u.hulpvraag,
                door=u.aangemaakt_door,
                naam=f"Aanvraagformulier voor gezien getekend door ouder {u.ouder}.docx",
                inhoud=inhoud,
                documentsoort=Documentsoort.OUDERFORMULIER_ONLINE,
            )
            sleutels.append(bijlage.sleutel)
            return VoorGezien.objects.create(
                organisatie_id=u.organisatie_id,
                uitnodiging=u,
                naam=naam,
                ondertekend_op=nu,
                hash=getoond.hash,
                bijlage=bijlage,
            )
    except BaseException:
        # Storage is not transactional: a stored file whose row was rolled back goes.
        if sleutels:
            bijlage_bestand_delete(sleutels=sleutels)
        raise


@transaction.atomic
def voorstel_review(
    *, door: User, voorstel: Correctievoorstel, overnemen: bool, reden: str = ""
) -> Correctievoorstel:
    """The school takes a parent's proposal over (the form's answers change through the form's
    own save, which also voids the board's signature, as every change of a signed form does) or
    declines it with a reason. Nothing changes without this step."""
    v = Correctievoorstel.objects.select_for_update().get(pk=voorstel.pk)
    uitnodiging = Uitnodiging.objects.select_related("hulpvraag__status").get(pk=v.uitnodiging_id)
    _check_school(door, uitnodiging)
    if v.status != VoorstelStatus.OPEN:
        raise OuderFout(_("Dit voorstel is al beoordeeld."))
    if overnemen:
        formulier = Formulier.objects.select_related("definitie").get(pk=uitnodiging.formulier_id)
        antwoorden = dict(formulier.antwoorden)
        for sleutel, wijziging in v.wijzigingen.items():
            if wijziging["nieuw"] in ("", None):
                antwoorden.pop(sleutel, None)
            else:
                antwoorden[sleutel] = wijziging["nieuw"]
        formulier_save(
            formulier=formulier, user=door, antwoorden=antwoorden, revisie=formulier.revisie
        )
    elif not reden.strip():
        raise ValidationError(_("Schrijf erbij waarom u het voorstel niet overneemt."))
    v.status = VoorstelStatus.AANVAARD if overnemen else VoorstelStatus.AFGEWEZEN
    v.beoordeeld_op = timezone.now()
    v.beoordeeld_door = door
    v.reden = reden.strip()[:500]
    v.save(update_fields=["status", "beoordeeld_op", "beoordeeld_door", "reden"])
    return v
