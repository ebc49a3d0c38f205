"""Toevoegen → "Importeren uit de leerlingadministratie (EDEXML)": upload an export, pick one
pupil, and the new-dossier wizard starts with what the school's administration already knows.

Privacy: the file is parsed in memory and never stored, and the pupil list is kept nowhere on the
server. Each row of the list carries its own pupil's few fields back in a signed token (bound to
the user, valid for an hour), so only the pupil the user picks is ever written: into that user's
DossierConcept, as initial values of the wizard's steps."""

from __future__ import annotations

import datetime
import io
from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from accounts.eenmalig import AlVerstuurd, eenmalig
from accounts.models import Rol
from audit.services import inzage_record
from dossiers import edexml
from dossiers.dossier_forms import scholen_for
from dossiers.models import ConceptStap, Leerling
from dossiers.selectors import dossierconcepten_for
from dossiers.services_aanleveren import leerlingen_importeren
from dossiers.services_wizard import dossierconcept_start
from dossiers.views_toevoegen import _duplicaten, _maker
from hulpvragen.access import leerlingen_visible_to
from organisaties.models import School, Sector

GELDIG = 60 * 60  # seconds a listed pupil can still be picked


def _salt(user) -> str:
    return f"dossiers.edexml:{user.pk}"


class GeheugenUploadHandler(FileUploadHandler):
    """Keeps the upload in memory only, never in a temporary file (as Django does past 2 MB),
    and of a larger file no more than the limit + 1 byte: memory stays bounded, the size is
    still known for the message."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.ontvangen = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        ruimte = edexml.MAX_GROOTTE + 1 - self.buffer.tell()
        if ruimte > 0:
            self.buffer.write(raw_data[:ruimte])
        self.ontvangen += len(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer,
            self.field_name,
            self.file_name,
            self.content_type,
            self.ontvangen,
            self.charset,
            self.content_type_extra,
        )


@never_cache
@csrf_exempt  # checked below, after the upload handlers are set (Django's documented pattern)
def importeren(request):
    request.upload_handlers = [GeheugenUploadHandler(request)]
    return _importeren(request)


@login_required
@require_POST
@csrf_protect
def _importeren(request):
    """Read the uploaded EDEXML file and list its pupils to pick one."""
    _maker(request)
    bestand = request.FILES.get("edexml")
    fout = ""
    problemen: list[str] = []
    if bestand is None:
        fout = _("Kies een EDEXML-bestand.")
    else:
        try:
            gelezen = edexml.lees(bestand)
        except edexml.EdexmlFout as exc:
            fout, problemen = str(exc), exc.problemen
    if fout:
        return render(
            request,
            "dossiers/toevoegen.html",
            {
                "q": "",
                "edexml_fout": fout,
                "edexml_problemen": problemen,
                "resultaten": None,
                "concepten": list(dossierconcepten_for(user=request.user)[:20]),
            },
            status=400,
        )
    inzage_record(
        gebruiker=request.user,
        onderdeel="toevoegen: EDEXML-import",
        details=f"{len(gelezen.leerlingen)} leerlingen gelezen, BRIN {gelezen.brincode}",
    )
    salt = _salt(request.user)
    rijen = [
        {
            "leerling": ll,
            "geboortedatum": _date(ll.geboortedatum),
            "keuze": signing.dumps(
                {
                    "l": ll.as_dict(),
                    "brin": gelezen.brincode,
                    "dependance": gelezen.dependancecode,
                },
                salt=salt,
                compress=True,
            ),
        }
        for ll in sorted(gelezen.leerlingen, key=lambda ll: (ll.achternaam.lower(), ll.roepnaam))
    ]
    return render(
        request,
        "dossiers/edexml_kiezen.html",
        {"rijen": rijen, "bestand": gelezen, **klas_context(request.user, gelezen)},
    )


def _date(iso: str) -> datetime.date | None:
    return datetime.date.fromisoformat(iso) if iso else None


def _school(user, brin: str, dependance: str):
    """The file's school among the user's own schools only; none when not exactly one."""
    if not brin:
        return None
    scholen = scholen_for(user).filter(brin=brin)
    if dependance:
        scholen = scholen.filter(vestiging=dependance)
    gevonden = list(scholen[:2])
    return gevonden[0] if len(gevonden) == 1 else None


@never_cache
@login_required
@require_POST
def kiezen(request):
    """Start a DossierConcept for the one chosen pupil, prefilled from the file."""
    _maker(request)
    user = request.user
    try:
        keuze = signing.loads(request.POST.get("keuze", ""), salt=_salt(user), max_age=GELDIG)
        ll = edexml.Leerling(**keuze["l"])
    except (signing.BadSignature, KeyError, TypeError):
        messages.error(
            request,
            _("Deze keuze is verlopen of ongeldig. Lees het EDEXML-bestand opnieuw in."),
        )
        return redirect("dossiers:toevoegen")

    basis = {
        "voornamen": ll.voornamen,
        "roepnaam": ll.roepnaam,
        "tussenvoegsel": ll.voorvoegsel,
        "achternaam": ll.achternaam,
        "geboortedatum": _date(ll.geboortedatum).strftime("%d-%m-%Y") if ll.geboortedatum else "",
        "geslacht": edexml.GESLACHT.get(ll.geslacht, ""),
        "bsn": ll.bsn if edexml.bsn_geldig(ll.bsn) else "",
    }
    school = _school(user, keuze.get("brin", ""), keuze.get("dependance", ""))
    schoolgegevens = {}
    if school is not None:
        schoolgegevens["school"] = school.pk
        if school.sector == Sector.PO and edexml.groep(ll.jaargroep):
            schoolgegevens["leerjaar_groep"] = edexml.groep(ll.jaargroep)
    basis = {k: v for k, v in basis.items() if v}

    with transaction.atomic():
        concept = dossierconcept_start(door=user)
        concept.gegevens = {
            "edexml": {"basisgegevens": basis, "schoolgegevens": schoolgegevens},
        }
        concept.save()
        inzage_record(
            gebruiker=user,
            onderdeel="toevoegen: EDEXML-keuze",
            details=f"dossierconcept {concept.pk}",
        )

    messages.success(
        request,
        _("De gegevens uit de leerlingadministratie zijn ingevuld. Controleer en vul ze aan."),
    )
    if ll.bsn and "bsn" not in basis:
        messages.warning(
            request,
            _(
                "Het BSN in het bestand voldoet niet aan de elfproef en is niet overgenomen. "
                "Vul het juiste BSN of het onderwijsnummer in."
            ),
        )
    if keuze.get("brin") and school is None:
        messages.warning(
            request,
            _(
                "De school uit het bestand (BRIN %(brin)s) is niet een van uw scholen; "
                "kies de school bij Schoolgegevens."
            )
            % {"brin": keuze["brin"]},
        )
    if basis.get("bsn") or (basis.get("achternaam") and ll.geboortedatum):
        # Only a hint now (visible matches only); the wizard's own check decides at Volgende.
        matches, _zeker, _verborgen = _duplicaten(
            user,
            {
                "achternaam": basis.get("achternaam", ""),
                "geboortedatum": _date(ll.geboortedatum),
                "bsn": basis.get("bsn", ""),
                "onderwijsnummer": "",
            },
        )
        if matches:
            messages.warning(
                request,
                _(
                    "Let op: deze leerling staat mogelijk al in Kindkans. Bij Volgende ziet u "
                    "welk dossier."
                ),
            )
    return redirect("dossiers:stap", concept.pk, ConceptStap.BASISGEGEVENS)


# --- Whole-class import ---------------------------------------------------------------------


def _klas_salt(user) -> str:
    return f"dossiers.edexml.klas:{user.pk}"


class KlasForm(forms.Form):
    """ "Meerdere leerlingen tegelijk": which pupils, for which school, who is the contact."""

    selectie = forms.ChoiceField(label=_("Welke leerlingen"))
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    leerjaar_groep = forms.IntegerField(
        label=_("Leerjaar / groep"),
        min_value=1,
        max_value=8,
        required=False,
        help_text=_(
            "Leeg: de jaargroep uit het bestand (basisschool). Voortgezet onderwijs: het leerjaar."
        ),
    )
    contactpersoon = forms.CharField(label=_("Contactpersoon"), max_length=200)
    email = forms.EmailField(
        label=_("E-mailadres"), help_text=_("Meldingen over statuswijzigingen gaan naar dit adres.")
    )

    def __init__(self, *args, user, leerlingen: list[edexml.Leerling], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = scholen_for(user)
        groepen = Counter(ll.groep for ll in leerlingen if ll.groep)
        self.fields["selectie"].choices = [
            ("nieuw", _("Alle nieuwe leerlingen uit dit bestand (%(n)s)") % {"n": len(leerlingen)}),
            *[
                (f"groep:{naam}", _("Groep %(groep)s (%(n)s)") % {"groep": naam, "n": n})
                for naam, n in sorted(groepen.items())
            ],
        ]

    def clean(self):
        data = super().clean()
        school, n = data.get("school"), data.get("leerjaar_groep")
        if school and n and school.sector == Sector.VO and n > 6:
            self.add_error(
                "leerjaar_groep", _("Een leerjaar in het voortgezet onderwijs is 1 tot en met 6.")
            )
        return data


def klas_context(user, gelezen: edexml.Bestand) -> dict:
    """What the choice page needs for the whole-class form: the signed list of all pupils (the
    server keeps nothing) and the form with the file's school preselected."""
    school = _school(user, gelezen.brincode, gelezen.dependancecode)
    lijst = signing.dumps(
        {
            "l": [ll.as_dict() for ll in gelezen.leerlingen],
            "brin": gelezen.brincode,
            "dependance": gelezen.dependancecode,
        },
        salt=_klas_salt(user),
        compress=True,
    )
    form = KlasForm(
        user=user,
        leerlingen=gelezen.leerlingen,
        initial={
            "school": school.pk if school else None,
            "contactpersoon": user.get_full_name(),
            "email": user.email,
        },
    )
    return {"klas_form": form, "klas_lijst": lijst}


def _indelen(user, kandidaten: list[edexml.Leerling], school, leerjaar_groep):
    """Per pupil: a dossier to make, or skipped with the reason. The duplicate check is the
    wizard's (same BSN in the organisation; same achternaam and geboortedatum among the pupils
    the user sees), done for the whole list in three queries."""
    org = user.organisatie_id
    bsns = {ll.bsn for ll in kandidaten if edexml.bsn_geldig(ll.bsn)}
    bestaand = dict(
        Leerling.objects.filter(organisatie_id=org, bsn__in=bsns).values_list("bsn", "pk")
    )
    zichtbaar = set(
        leerlingen_visible_to(user).filter(pk__in=bestaand.values()).values_list("pk", flat=True)
    )
    datums = {_date(ll.geboortedatum) for ll in kandidaten if ll.geboortedatum}
    namen = {
        (achternaam.lower(), datum)
        for achternaam, datum in leerlingen_visible_to(user)
        .filter(geboortedatum__in=datums)
        .values_list("achternaam", "geboortedatum")
    }
    maken, overgeslagen, gezien = [], [], set()
    for ll in kandidaten:
        naam = " ".join(
            p for p in (ll.roepnaam or ll.voornamen, ll.voorvoegsel, ll.achternaam) if p
        )
        datum = _date(ll.geboortedatum)
        reden = ""
        if not ll.achternaam or not datum or not (ll.roepnaam or ll.voornamen):
            reden = _("Naam of geboortedatum ontbreekt in het bestand.")
        elif not edexml.bsn_geldig(ll.bsn):
            reden = _(
                "Geen geldig BSN in het bestand. Voeg deze leerling toe met de wizard, met het "
                "onderwijsnummer."
            )
        elif ll.bsn in gezien:
            reden = _("Staat twee keer in het bestand (zelfde BSN).")
        elif ll.bsn in bestaand and bestaand[ll.bsn] in zichtbaar:
            reden = _("Staat al in Kindkans (zelfde BSN).")
        elif ll.bsn in bestaand:
            reden = _(
                "Dit BSN staat al in Kindkans bij een andere school. Neem contact op met het "
                "loket van het samenwerkingsverband."
            )
        elif (ll.achternaam.lower(), datum) in namen:
            reden = _(
                "Staat mogelijk al in Kindkans (zelfde achternaam en geboortedatum). Is het een "
                "andere leerling, voeg hem dan toe met de wizard."
            )
        if reden:
            overgeslagen.append({"naam": naam, "reden": reden})
            continue
        gezien.add(ll.bsn)
        po = school.sector == Sector.PO
        n = leerjaar_groep or (edexml.groep(ll.jaargroep) if po else None)
        maken.append(
            {
                "naam": naam,
                "leerling": {
                    "voornamen": ll.voornamen or ll.roepnaam,
                    "roepnaam": ll.roepnaam or ll.voornamen.split()[0],
                    "tussenvoegsel": ll.voorvoegsel,
                    "achternaam": ll.achternaam,
                    "geboortedatum": datum,
                    "geslacht": edexml.GESLACHT.get(ll.geslacht, "O"),
                    "bsn": ll.bsn,
                },
                "groep": n if po else None,
                "leerjaar": None if po else n,
            }
        )
    return maken, overgeslagen


@never_cache
@login_required
@require_POST
def klas(request):
    """Create the dossiers of many pupils of one export at once, then show what was created and
    what was skipped, and why."""
    _maker(request)
    user = request.user
    try:
        gegevens = signing.loads(
            request.POST.get("lijst", ""), salt=_klas_salt(user), max_age=GELDIG
        )
        leerlingen = [edexml.Leerling(**ll) for ll in gegevens["l"]]
    except (signing.BadSignature, KeyError, TypeError):
        messages.error(
            request, _("Deze keuze is verlopen of ongeldig. Lees het EDEXML-bestand opnieuw in.")
        )
        return redirect("dossiers:toevoegen")
    form = KlasForm(request.POST, user=user, leerlingen=leerlingen)
    if not form.is_valid():
        return render(
            request,
            "dossiers/edexml_klas.html",
            {"klas_form": form, "klas_lijst": request.POST["lijst"], "aantal": len(leerlingen)},
            status=400,
        )
    d = form.cleaned_data
    if d["selectie"].startswith("groep:"):
        groep = d["selectie"].removeprefix("groep:")
        kandidaten = [ll for ll in leerlingen if ll.groep == groep]
    else:
        kandidaten = leerlingen
    maken, overgeslagen = _indelen(user, kandidaten, d["school"], d["leerjaar_groep"])
    try:
        with eenmalig(request) as inzending:
            gemaakt = leerlingen_importeren(
                door=user,
                leerlingen=maken,
                schoolgegevens={
                    "school": d["school"],
                    "aanvrager": user if user.rol == Rol.SCHOOL else None,
                    "contactpersoon": d["contactpersoon"],
                    "email": d["email"],
                    "begindatum": timezone.localdate(),
                },
            )
            inzending.resultaat(
                url=reverse("dossiers:toevoegen"),
                melding=ngettext(
                    "%(n)s dossier aangemaakt.", "%(n)s dossiers aangemaakt.", len(gemaakt)
                )
                % {"n": len(gemaakt)},
            )
    except AlVerstuurd as eerder:
        return eerder.antwoord(request)
    except (IntegrityError, ValidationError):
        messages.error(
            request,
            _(
                "Er is niets aangemaakt: een leerling uit de keuze is intussen al toegevoegd of "
                "heeft onjuiste gegevens. Lees het bestand opnieuw in."
            ),
        )
        return redirect("dossiers:toevoegen")
    return render(
        request,
        "dossiers/edexml_klas_resultaat.html",
        {
            "aangemaakt": [
                {"naam": rij["naam"], "pk": ll.pk} for rij, ll in zip(maken, gemaakt, strict=True)
            ],
            "overgeslagen": overgeslagen,
            "school": d["school"],
        },
    )
