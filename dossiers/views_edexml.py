"""Toevoegen → "Importeren uit de leerlingadministratie (EDEXML)": upload an export, pick one
pupil, and the new-dossier wizard starts with what the school's administration already knows.

Privacy: the file is parsed in memory and never stored, and the pupil list is kept nowhere on the
server. Each row of the list carries its own pupil's few fields back in a signed token (bound to
the user, valid for an hour), so only the pupil the user picks is ever written: into that user's
DossierConcept, as initial values of the wizard's steps."""

from __future__ import annotations

import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from audit.services import inzage_record
from dossiers import edexml
from dossiers.dossier_forms import scholen_for
from dossiers.models import ConceptStap
from dossiers.selectors import dossierconcepten_for
from dossiers.services_wizard import dossierconcept_start
from dossiers.views_toevoegen import _duplicaten, _maker
from organisaties.models import Sector

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
    return render(request, "dossiers/edexml_kiezen.html", {"rijen": rijen, "bestand": gelezen})


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
