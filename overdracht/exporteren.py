"""The full export of an SWV (started by its beheerder, made by a Celery task, downloaded once)
and the import of such an archive into another installation (the platform admin).

Who can read an export: only whoever knows the passphrase the beheerder typed. It is not
stored anywhere: the request encrypts it with a fresh key (Fernet) that is kept in the Export
row, the ciphertext travels in the task's message, and the worker wipes the key when it starts,
so neither the database nor the broker alone, and neither of them after the start, can give it
back. The download is the beheerder's own (a platform admin has no screen for it and the file
is AES-256 encrypted on disk); after one download the file is deleted.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import secrets
import shutil
import tempfile
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

import py7zr
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rechten import Recht, mag, mag_in_organisatie
from audit.models import InzageActie
from audit.services import inzage_record
from kindkans.tasks import enqueue_on_commit
from organisaties.models import Organisatie
from overdracht import archief
from overdracht.models import Export, ExportStatus

logger = logging.getLogger(__name__)

MIN_WACHTWOORD = 12
# Deflate, not LZMA2: LZMA2's default preset holds ~90 MB of encoder state; Deflate a few
# hundred KB, and JSON/CSV still shrink to a fraction.
DATA_FILTERS = [{"id": py7zr.FILTER_DEFLATE}, {"id": py7zr.FILTER_CRYPTO_AES256_SHA256}]


def _check_export(door: User, organisatie_id: int) -> None:
    if not mag_in_organisatie(door, Recht.SWV_EXPORTEREN, organisatie_id) or (
        door.organisatie_id != organisatie_id
    ):
        raise PermissionDenied


@transaction.atomic
def export_starten(*, door: User, wachtwoord: str) -> Export:
    """Queue a full export of `door`'s organisation, encrypted with `wachtwoord`."""
    _check_export(door, door.organisatie_id)
    if len(wachtwoord) < MIN_WACHTWOORD:
        raise ValidationError(
            _("Kies een wachtzin van minstens %(n)d tekens.") % {"n": MIN_WACHTWOORD}
        )
    if Export.objects.filter(
        organisatie_id=door.organisatie_id,
        status__in=[ExportStatus.WACHTRIJ, ExportStatus.BEZIG],
    ).exists():
        raise ValidationError(_("Er loopt al een export; wacht tot die klaar is."))
    sleutel = Fernet.generate_key()
    export = Export.objects.create(
        organisatie_id=door.organisatie_id, door=door, sleutel=sleutel.decode()
    )
    versleuteld = Fernet(sleutel).encrypt(wachtwoord.encode()).decode()
    inzage_record(
        gebruiker=door,
        onderdeel="volledige export",
        actie=InzageActie.BEKEKEN,
        details=f"export {export.pk} gestart (alle dossiers van de organisatie)",
    )
    from overdracht.tasks import export_maken

    enqueue_on_commit(export_maken, export_id=export.pk, versleuteld=versleuteld)
    return export


def _voortgang(export: Export, procent: int, stap: str) -> None:
    Export.objects.filter(pk=export.pk).update(voortgang=min(procent, 100), stap=stap[:200])


def _veilige_naam(naam: str) -> str:
    return re.sub(r"[^\w.\- ]", "_", naam).strip() or "bestand"


def _readme(organisatie: Organisatie, aantallen: dict) -> str:
    return render_to_string(
        "overdracht/export_readme.txt",
        {
            "organisatie": organisatie,
            "versie": archief.FORMAAT_VERSIE,
            "aantallen": aantallen,
            "uitgesloten": archief.UITGESLOTEN_MODELLEN,
            "velden": archief.UITGESLOTEN_VELDEN,
            "nu": timezone.localtime(),
        },
    )


def archief_schrijven(*, organisatie: Organisatie, doel: Path, wachtwoord: str, voortgang=None):
    """Write the archive of `organisatie` to `doel` (7z, AES-256, names encrypted too). Returns
    the number of rows per entity. Memory stays flat: see the module doc of archief."""
    voortgang = voortgang or (lambda procent, stap: None)
    aantallen: dict[str, int] = {}
    Path(settings.EXPORT_DIR).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.EXPORT_DIR) as tmp:
        map_ = Path(tmp)
        totaal = len(archief.ENTITEITEN) + len(archief.KOPPELINGEN)
        for i, entiteit in enumerate(archief.ENTITEITEN):
            voortgang(int(60 * i / totaal), _("Gegevens: %(naam)s") % {"naam": entiteit.naam})
            aantallen[entiteit.naam] = archief.schrijf_entiteit(
                map_,
                entiteit.naam,
                archief.kolommen(entiteit),
                archief.rijen(entiteit, organisatie.pk),
            )
        for naam, model, veld in archief.KOPPELINGEN:
            kop = list(archief.koppeling_kolommen(model, veld))
            aantallen[naam] = archief.schrijf_entiteit(
                map_, naam, kop, archief.koppeling_rijen(model, veld, organisatie.pk)
            )
        manifest = {
            "formaat": archief.FORMAAT,
            "versie": archief.FORMAAT_VERSIE,
            "organisatie": {"code": organisatie.code, "naam": organisatie.naam},
            "gemaakt_op": timezone.now().isoformat(),
            "entiteiten": [e.naam for e in archief.ENTITEITEN],
            "koppelingen": [k[0] for k in archief.KOPPELINGEN],
            "aantallen": aantallen,
            "uitgesloten": archief.UITGESLOTEN_MODELLEN,
            "uitgesloten_velden": archief.UITGESLOTEN_VELDEN,
        }
        (map_ / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        (map_ / "LEESMIJ.txt").write_text(_readme(organisatie, aantallen), encoding="utf-8")
        doel.parent.mkdir(parents=True, exist_ok=True)
        with py7zr.SevenZipFile(
            doel, "w", password=wachtwoord, filters=DATA_FILTERS, header_encryption=True
        ) as z:
            z.write(map_ / "LEESMIJ.txt", "LEESMIJ.txt")
            z.write(map_ / "manifest.json", "manifest.json")
            for schema in sorted(archief.SCHEMA_MAP.glob("*.schema.json")):
                z.write(schema, f"schema/v{archief.FORMAAT_VERSIE}/{schema.name}")
            for sub in ("data", "csv"):
                for pad in sorted((map_ / sub).iterdir()):
                    z.write(pad, f"{sub}/{pad.name}")
            voortgang(60, _("Bijlagen"))
            _bijlagen_toevoegen(z, organisatie, aantallen, voortgang)
    return aantallen


def _bijlagen_toevoegen(z, organisatie, aantallen: dict, voortgang):
    """The original files, in the same archive session, file by file from the storage (one
    session: 7z's key derivation, 2^19 SHA-256 rounds in Python, then runs once, not per file
    or per append)."""
    from bijlagen.models import Bijlage

    qs = Bijlage.objects.filter(organisatie=organisatie).order_by("pk")
    totaal = qs.count() or 1
    if True:
        for i, (pk, sleutel, naam) in enumerate(
            qs.values_list("pk", "sleutel", "originele_naam").iterator(chunk_size=500)
        ):
            try:
                bron = default_storage.open(sleutel, "rb")
            except OSError:
                logger.warning("Bijlage %s ontbreekt in de opslag; niet in de export", pk)
                aantallen["bijlagen_ontbrekend"] = aantallen.get("bijlagen_ontbrekend", 0) + 1
                continue
            arcname = f"bestanden/{pk}/{_veilige_naam(naam)}"
            with bron:
                ruw = getattr(bron, "file", bron)
                if isinstance(ruw, io.BufferedIOBase):
                    z.writef(ruw, arcname)
                else:
                    # Another storage (S3): a local copy in blocks first; py7zr reads files.
                    with tempfile.NamedTemporaryFile(dir=settings.EXPORT_DIR) as kopie:
                        shutil.copyfileobj(bron, kopie, length=1024 * 1024)
                        kopie.flush()
                        z.write(kopie.name, arcname)
            if i % 50 == 0:
                voortgang(
                    60 + int(39 * i / totaal),
                    _("Bijlagen: %(i)d van %(n)d") % {"i": i, "n": totaal},
                )


def export_maken(*, export_id: int, versleuteld: str) -> str:
    """Background work: decrypt the passphrase with the export's one-time key, wipe the key,
    write the archive. Returns the new status."""
    with transaction.atomic():
        export = Export.objects.select_for_update().select_related("organisatie").get(pk=export_id)
        if export.status != ExportStatus.WACHTRIJ or not export.sleutel:
            return export.status
        wachtwoord = Fernet(export.sleutel.encode()).decrypt(versleuteld.encode()).decode()
        export.sleutel = ""
        export.status = ExportStatus.BEZIG
        export.save(update_fields=["sleutel", "status"])
    doel = Path(settings.EXPORT_DIR) / f"{uuid.uuid4().hex}.7z"
    try:
        aantallen = archief_schrijven(
            organisatie=export.organisatie,
            doel=doel,
            wachtwoord=wachtwoord,
            voortgang=lambda p, s: _voortgang(export, p, s),
        )
    except Exception as exc:
        logger.exception("Export %s mislukt", export_id)
        doel.unlink(missing_ok=True)
        Export.objects.filter(pk=export.pk).update(
            status=ExportStatus.MISLUKT, fout=type(exc).__name__, stap=""
        )
        return ExportStatus.MISLUKT
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.KLAAR,
        voortgang=100,
        stap="",
        bestand=doel.name,
        grootte=doel.stat().st_size,
        aantallen=aantallen,
        klaar_op=timezone.now(),
    )
    return ExportStatus.KLAAR


class _EenmaligBestand(File):
    """The archive's file object for the download: deleted when the response closes it."""

    def close(self):
        super().close()
        with suppress(FileNotFoundError):
            os.unlink(self.name)


def export_downloaden(*, door: User, export: Export) -> _EenmaligBestand:
    """The archive, once: the row is marked downloaded in the same transaction that hands out
    the file, and the file is deleted when the response has been sent."""
    _check_export(door, export.organisatie_id)
    if export.door_id != door.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = Export.objects.select_for_update().get(pk=export.pk)
        if locked.status != ExportStatus.KLAAR:
            raise ValidationError(_("Deze export is er niet (meer)."))
        pad = Path(settings.EXPORT_DIR) / locked.bestand
        bestand = _EenmaligBestand(open(pad, "rb"), name=str(pad))  # noqa: SIM115 (response closes)
        locked.status = ExportStatus.GEDOWNLOAD
        locked.gedownload_op = timezone.now()
        locked.save(update_fields=["status", "gedownload_op"])
        inzage_record(
            gebruiker=door,
            onderdeel="volledige export",
            details=f"export {export.pk} gedownload ({locked.grootte} bytes); bestand verwijderd",
        )
    return bestand


# --- Import --------------------------------------------------------------------------------------


@contextmanager
def _zonder_auto_now():
    """A restore keeps the recorded times: auto_now(_add) fields are switched off meanwhile."""
    velden = [
        f
        for e in archief.ENTITEITEN
        for f in e.model_class._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    oud = [(f, f.auto_now, f.auto_now_add) for f in velden]
    for f in velden:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in oud:
            f.auto_now, f.auto_now_add = now, add


def _waarde(veld: models.Field, waarde):
    if waarde is None:
        return None
    return veld.to_python(waarde)


def _lees_archief(pad: Path, wachtwoord: str, map_: Path) -> dict:
    try:
        with py7zr.SevenZipFile(pad, "r", password=wachtwoord) as z:
            z.extractall(path=map_)
    except (py7zr.exceptions.PasswordRequired, py7zr.exceptions.Bad7zFile, TypeError, OSError):
        raise ValidationError(
            _("Het archief kan niet worden geopend: verkeerde wachtzin of geen Kindkans-export.")
        ) from None
    except Exception:  # a wrong passphrase surfaces as a decompression error
        raise ValidationError(
            _("Het archief kan niet worden geopend: verkeerde wachtzin of geen Kindkans-export.")
        ) from None
    manifest_pad = map_ / "manifest.json"
    if not manifest_pad.exists():
        raise ValidationError(_("Dit archief is geen Kindkans-export (manifest.json ontbreekt)."))
    manifest = json.loads(manifest_pad.read_text(encoding="utf-8"))
    if manifest.get("formaat") != archief.FORMAAT or manifest.get("versie") != 1:
        raise ValidationError(
            _("Deze exportversie (%(v)s) kan deze installatie niet inlezen.")
            % {"v": manifest.get("versie")}
        )
    return manifest


@transaction.atomic
def swv_importeren(
    *, door: User | None, pad: Path, wachtwoord: str, code: str = "", naam: str = ""
) -> Organisatie:
    """Read an export into a new organisation of this installation. A restore, not a series of
    user actions: the rows are inserted as they were (times, history, audit log included), with
    new ids and every reference translated; the shipped default processes are NOT loaded (the
    archive brings the organisation's own). Users come without passwords and authenticator
    apps: each sets a password through "Wachtwoord vergeten?" and links an app at the first
    login. `door` None is the system (the management command)."""
    if door is not None and not mag(door, Recht.SWV_IMPORTEREN):
        raise PermissionDenied
    Path(settings.EXPORT_DIR).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.EXPORT_DIR) as tmp:
        map_ = Path(tmp)
        manifest = _lees_archief(pad, wachtwoord, map_)
        nieuwe_ids: dict[str, dict[int, int]] = {}
        organisatie = None
        with _zonder_auto_now():
            for entiteit in archief.ENTITEITEN:
                model = entiteit.model_class
                label = model._meta.label
                velden = archief.velden(entiteit)
                ids = nieuwe_ids.setdefault(label, {})
                uitstel: list[tuple[int, str, int]] = []  # (new id, attname, old target id)
                rijen = archief.lees_entiteit(map_ / "data" / f"{entiteit.naam}.json")
                for partij in _partijen(rijen, 500):
                    objecten = []
                    for rij in partij:
                        waarden = _waarden(velden, label, rij, nieuwe_ids, entiteit.naam)
                        objecten.append(_rij_maken(model, label, waarden, rij, map_, code, naam))
                    if label == "organisaties.Organisatie":
                        objecten[0].full_clean()  # a code or name taken here: refused in Dutch
                    # bulk_create: no save() and no signals, as a restore should (nothing is
                    # recomputed, no mail is queued); the new ids come back on the objects.
                    model._base_manager.bulk_create(objecten)
                    for rij, obj in zip(partij, objecten, strict=True):
                        ids[rij["id"]] = obj.pk
                        uitstel += [
                            (obj.pk, veld.attname, rij[veld.attname])
                            for veld in velden
                            if veld.is_relation
                            and veld.related_model._meta.label == label
                            and rij.get(veld.attname) is not None
                        ]
                    if label == "organisaties.Organisatie":
                        organisatie = objecten[0]
                for pk, attname, oud in uitstel:
                    model._base_manager.filter(pk=pk).update(**{attname: ids[oud]})
            for naam_k, model_label, veld_naam in archief.KOPPELINGEN:
                model_class = archief.apps.get_model(model_label)
                m2m = model_class._meta.get_field(veld_naam)
                through = m2m.remote_field.through
                bron, doel_kolom = archief.koppeling_kolommen(model_label, veld_naam)
                bron_ids = nieuwe_ids[model_class._meta.label]
                doel_ids = nieuwe_ids[m2m.related_model._meta.label]
                through.objects.bulk_create(
                    through(**{bron: bron_ids[r[bron]], doel_kolom: doel_ids[r[doel_kolom]]})
                    for r in archief.lees_entiteit(map_ / "data" / f"{naam_k}.json")
                )
        logger.info(
            "Export van %s ingelezen als %s (%s)",
            manifest["organisatie"]["code"],
            organisatie.code,
            manifest["aantallen"],
        )
    return organisatie


def _partijen(rijen, grootte: int):
    partij = []
    for rij in rijen:
        partij.append(rij)
        if len(partij) == grootte:
            yield partij
            partij = []
    if partij:
        yield partij


def _waarden(velden, label: str, rij: dict, nieuwe_ids: dict, entiteit: str) -> dict:
    """The row's values with every reference translated to this installation's new ids."""
    waarden = {}
    for veld in velden:
        if veld.primary_key:
            continue
        waarde = rij.get(veld.attname)
        doel = (
            veld.related_model._meta.label
            if veld.is_relation
            else archief.ID_KOLOMMEN.get((label, veld.attname))
        )
        if doel is None or waarde is None:
            waarden[veld.attname] = _waarde(veld, waarde)
        elif doel == label:
            waarden[veld.attname] = None  # the same table: set when all its rows exist
        else:
            nieuw = nieuwe_ids.get(doel, {}).get(waarde)
            if nieuw is None:
                raise ValidationError(
                    _("Het archief is niet compleet: %(e)s verwijst naar een ontbrekende rij.")
                    % {"e": entiteit}
                )
            waarden[veld.attname] = nieuw
    return waarden


def _rij_maken(model, label: str, waarden: dict, rij: dict, map_: Path, code, naam):
    if label == "organisaties.Organisatie":
        waarden["code"] = code or waarden["code"]
        waarden["naam"] = naam or waarden["naam"]
    if label == "bijlagen.Bijlage":
        waarden["sleutel"] = _bestand_terugzetten(map_, rij)
    if label == "ouders.Uitnodiging":
        # The parents' links and codes are not exported: these need a new invitation.
        waarden["link_hash"] = secrets.token_hex(32)
        waarden["code_hash"] = "!"
    obj = model(**waarden)
    if label == "accounts.User":
        obj.set_unusable_password()
    return obj


def _bestand_terugzetten(map_: Path, rij: dict) -> str:
    """Put one original file back into this installation's storage; returns its new key."""
    from bijlagen.services import _nieuwe_sleutel

    map_bijlage = map_ / "bestanden" / str(rij["id"])
    bestanden = list(map_bijlage.iterdir()) if map_bijlage.exists() else []
    if not bestanden:
        return rij["sleutel"]  # the file was missing at export time as well
    with open(bestanden[0], "rb") as f:
        return default_storage.save(_nieuwe_sleutel(), File(f))
