"""The full export of an SWV, and reading it back: which entities, how a row becomes JSON and
CSV, the JSON Schema of each entity, and the encrypted 7z archive (AES-256, py7zr).

Everything streams: rows are read from the database in chunks (`iterator`) and written to
temporary files one by one, bijlagen are copied file by file in blocks, and the archive is
written member by member from those files, so memory stays flat whatever the size of the SWV
(benchmarks/export_geheugen.py measures it).

Versioning: FORMAAT_VERSIE is written into manifest.json and names the schema folder
(overdracht/schema/v1/). A change to an exported model changes the generated schema, which the
tests compare with the files in the repository; an incompatible change gets a new version and
the importer keeps reading the old one.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from organisaties.scope import organisatie_lookup_for

FORMAAT = "kindkans-export"
FORMAAT_VERSIE = 1
SCHEMA_MAP = Path(__file__).resolve().parent / "schema" / f"v{FORMAAT_VERSIE}"


@dataclass(frozen=True)
class Entiteit:
    naam: str  # file name: data/<naam>.json, csv/<naam>.csv
    model: str  # app_label.ModelName
    zonder: tuple[str, ...] = ()  # fields left out on purpose (see UITGESLOTEN_VELDEN)

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


# In import order: every foreign key points at an entity earlier in the list, except
# Adres.vervangen_door (the same table; set in a second pass).
ENTITEITEN: tuple[Entiteit, ...] = (
    Entiteit("organisatie", "organisaties.Organisatie"),
    Entiteit("besturen", "organisaties.Bestuur"),
    Entiteit("scholen", "organisaties.School"),
    Entiteit("gebruikers", "accounts.User", zonder=("password",)),
    Entiteit("lvs_instellingen", "dossiers.LvsInstellingen"),
    Entiteit("processen", "hulpvragen.Proces"),
    Entiteit("statussen", "hulpvragen.Status"),
    Entiteit("overgangen", "hulpvragen.Overgang"),
    Entiteit("typen_per_sector", "hulpvragen.TypePerSector"),
    Entiteit("labels", "hulpvragen.Label"),
    Entiteit("formulierdefinities", "formulieren.FormulierDefinitie"),
    Entiteit("bijlagevereisten", "bijlagen.Bijlagevereiste"),
    Entiteit("briefsjablonen", "besluiten.Briefsjabloon"),
    Entiteit("loketinstellingen", "loket.LoketInstellingen"),
    Entiteit("bewaartermijnen", "beheer.Bewaartermijn"),
    Entiteit("leerlingen", "dossiers.Leerling"),
    Entiteit("adressen", "dossiers.Adres"),
    Entiteit("schoolgegevens", "dossiers.Schoolgegevens"),
    Entiteit("iq_tests", "dossiers.IqTest"),
    Entiteit("toetsen", "dossiers.Toets"),
    Entiteit("sociaal_emotioneel", "dossiers.SociaalEmotioneleProblematiek"),
    Entiteit("hulpvragen", "hulpvragen.Hulpvraag"),
    Entiteit("toegang", "hulpvragen.Toegang"),
    Entiteit("statuswijzigingen", "hulpvragen.Statuswijziging"),
    Entiteit("notificaties", "meldingen.Notificatie"),
    Entiteit("formulieren", "formulieren.Formulier"),
    Entiteit("ondertekeningen", "formulieren.Ondertekening"),
    Entiteit("bijlagen", "bijlagen.Bijlage"),
    Entiteit("bijlage_inzage", "audit.BijlageInzage"),
    Entiteit("deskundigenadviezen", "besluiten.Deskundigenadvies"),
    Entiteit("toelaatbaarheidsverklaringen", "besluiten.Toelaatbaarheidsverklaring"),
    Entiteit("afwijzingen", "besluiten.Afwijzing"),
    Entiteit("financiele_arrangementen", "besluiten.FinancieelArrangement"),
    Entiteit("termijnen", "loket.Termijn"),
    Entiteit("vergaderingen", "loket.Vergadering"),
    Entiteit("agendapunten", "loket.Agendapunt"),
    Entiteit("aanpak", "loket.Aanpak"),
    Entiteit("personeelswijzigingen", "beheer.Personeelswijziging"),
    Entiteit("personeelswijziging_regels", "beheer.PersoneelswijzigingRegel"),
    Entiteit("schoolwijzigingen", "beheer.Schoolwijziging"),
    Entiteit("bewaarsignaleringen", "beheer.Bewaarsignalering"),
    Entiteit("verwijderingen", "beheer.Verwijdering"),
    Entiteit(
        "ouder_uitnodigingen",
        "ouders.Uitnodiging",
        zonder=("link_hash", "code_hash", "sessie_hash"),
    ),
    Entiteit("correctievoorstellen", "ouders.Correctievoorstel"),
    Entiteit("zienswijzen", "ouders.Zienswijze"),
    Entiteit("voor_gezien", "ouders.VoorGezien"),
    Entiteit("auditlog", "audit.Inzage"),
    Entiteit("beveiligingslog", "accounts.Beveiligingsgebeurtenis"),
    Entiteit("uitnodigingen", "overdracht.Uitnodiging", zonder=("token_hash",)),
)

# Left out, with the reason the README in the archive gives.
UITGESLOTEN_MODELLEN: dict[str, str] = {
    "hulpvragen.Notitie": "Mijn notities zijn privé van wie ze schreef; ze gaan niet mee.",
    "dossiers.DossierConcept": "onafgemaakte wizards: werkgeheugen van één gebruiker",
    "hulpvragen.LijstVoorkeur": "kolom- en filterkeuzes van één gebruiker",
    "bijlagen.BijlageConcept": "bestanden die nog niet waren opgeslagen",
    "accounts.Inzending": "technische tokens tegen dubbel versturen",
    "accounts.BewaardeInzending": "versleuteld bewaarde formulieren, een uur geldig",
    "accounts.Reservecodes": "reservecodes van de tweede factor (geheim)",
    "accounts.InlogTeller": "tellers tegen raden van wachtwoorden",
    "organisaties.Nieuwsbericht": "algemeen nieuws van het platform, niet van het SWV",
    "overdracht.DuoInlezing": "tussenstand van een DUO-inlezing",
    "overdracht.Export": "de exports zelf",
    "oidc.Identiteitsprovider": "inloggen via de eigen school (met client secret): in de nieuwe "
    "installatie opnieuw instellen",
    "oidc.ExterneIdentiteit": "koppelingen van accounts aan die inlogdiensten",
    "oidc.ProviderVerplichting": "welke school alleen via die inlogdienst inlogt",
    "api.ApiClient": "koppelingen met een LVS: in de nieuwe installatie opnieuw aanmaken",
    "api.ApiToken": "geheime tokens van die koppelingen",
}
UITGESLOTEN_VELDEN = {
    "password": "wachtwoord-hashes gaan niet mee; na de import kiest ieder een nieuw wachtwoord",
    "token_hash": "uitnodigingslinks gaan niet mee",
    "link_hash, code_hash, sessie_hash": "links en codes van ouders gaan niet mee; na de import "
    "is een nieuwe uitnodiging nodig",
}
# Ids kept in a plain integer column (no foreign key), translated on import like one.
ID_KOLOMMEN: dict[tuple[str, str], str] = {
    ("audit.Inzage", "ouder_uitnodiging_id"): "ouders.Uitnodiging",
}
# Many-to-many links, as their own small entities (source id, target id).
KOPPELINGEN: tuple[tuple[str, str, str], ...] = (
    ("gebruiker_scholen", "accounts.User", "scholen"),
    ("hulpvraag_labels", "hulpvragen.Hulpvraag", "labels"),
    ("tlv_brieven", "besluiten.Toelaatbaarheidsverklaring", "brieven"),
    ("afwijzing_brieven", "besluiten.Afwijzing", "brieven"),
    ("fa_brieven", "besluiten.FinancieelArrangement", "brieven"),
    ("ouder_uitnodiging_bijlagen", "ouders.Uitnodiging", "bijlagen"),
)


def velden(entiteit: Entiteit) -> list[models.Field]:
    return [f for f in entiteit.model_class._meta.concrete_fields if f.name not in entiteit.zonder]


def kolommen(entiteit: Entiteit) -> list[str]:
    return [f.attname for f in velden(entiteit)]


def koppeling_kolommen(model: str, veld: str) -> tuple[str, str]:
    m2m = apps.get_model(model)._meta.get_field(veld)
    through = m2m.remote_field.through._meta
    bron = next(f for f in through.fields if f.is_relation and f.related_model is m2m.model)
    doel = next(
        f
        for f in through.fields
        if f.is_relation and f.related_model is m2m.related_model and f.name != bron.name
    )
    return bron.attname, doel.attname


def rijen(entiteit: Entiteit, organisatie_id: int) -> Iterator[dict]:
    model = entiteit.model_class
    pad = organisatie_lookup_for(model)
    qs = model._base_manager.filter(**{pad: organisatie_id}).order_by("pk")
    yield from qs.values(*kolommen(entiteit)).iterator(chunk_size=2000)


def koppeling_rijen(model: str, veld: str, organisatie_id: int) -> Iterator[dict]:
    m2m = apps.get_model(model)._meta.get_field(veld)
    through = m2m.remote_field.through
    bron, doel = koppeling_kolommen(model, veld)
    bron_veld = bron.removesuffix("_id")
    pad = organisatie_lookup_for(apps.get_model(model))
    filter_ = {f"{bron_veld}__{pad}" if pad != "pk" else bron_veld: organisatie_id}
    qs = through.objects.filter(**filter_).order_by(bron, doel)
    yield from qs.values(bron, doel).iterator(chunk_size=2000)


def _json_waarde(waarde):
    # Full microseconds: Django's encoder keeps milliseconds only, so an export, import and
    # export again would differ (PostgreSQL stores microseconds).
    if isinstance(waarde, dt.datetime):
        tekst = waarde.isoformat()
        return tekst[:-6] + "Z" if tekst.endswith("+00:00") else tekst
    if isinstance(
        waarde, dt.datetime | dt.date | dt.time | dt.timedelta | decimal.Decimal | uuid.UUID
    ):
        return json.loads(DjangoJSONEncoder().encode(waarde))
    return waarde


def _csv_waarde(waarde) -> str:
    if waarde is None:
        return ""
    if isinstance(waarde, dict | list):
        return json.dumps(waarde, ensure_ascii=False)
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    return str(_json_waarde(waarde))


def schrijf_entiteit(map_: Path, naam: str, kop: list[str], bron: Iterator[dict]) -> int:
    """data/<naam>.json (a JSON array, written row by row) and csv/<naam>.csv (';', UTF-8
    with BOM, for spreadsheets). Returns the number of rows."""
    (map_ / "data").mkdir(parents=True, exist_ok=True)
    (map_ / "csv").mkdir(parents=True, exist_ok=True)
    aantal = 0
    with (
        open(map_ / "data" / f"{naam}.json", "w", encoding="utf-8") as js,
        open(map_ / "csv" / f"{naam}.csv", "w", encoding="utf-8-sig", newline="") as cs,
    ):
        schrijver = csv.writer(cs, delimiter=";")
        schrijver.writerow(kop)
        js.write("[")
        for rij in bron:
            if aantal:
                js.write(",")
            js.write("\n")
            json.dump({k: _json_waarde(v) for k, v in rij.items()}, js, ensure_ascii=False)
            schrijver.writerow([_csv_waarde(rij[k]) for k in kop])
            aantal += 1
        js.write("\n]\n")
    return aantal


def lees_entiteit(pad: Path) -> Iterator[dict]:
    """The rows of data/<naam>.json, one at a time (the file is ours: one row per line)."""
    with open(pad, encoding="utf-8") as f:
        for regel in f:
            regel = regel.strip().rstrip(",")
            if regel in ("[", "]", ""):
                continue
            yield json.loads(regel)


# --- JSON Schema --------------------------------------------------------------------------------


def _veld_schema(veld: models.Field) -> dict:
    intern = veld.get_internal_type()
    if veld.is_relation:
        schema: dict = {"type": "integer"}
    elif intern in ("CharField", "TextField", "EmailField", "SlugField", "URLField"):
        schema = {"type": "string"}
        if veld.max_length:
            schema["maxLength"] = veld.max_length
    elif "Integer" in intern or intern == "AutoField" or intern == "BigAutoField":
        schema = {"type": "integer"}
    elif intern == "BooleanField":
        schema = {"type": "boolean"}
    elif intern == "DateTimeField":
        schema = {"type": "string", "format": "date-time"}
    elif intern == "DateField":
        schema = {"type": "string", "format": "date"}
    elif intern == "TimeField":
        schema = {"type": "string", "format": "time"}
    elif intern == "DecimalField":
        schema = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
    elif intern == "DurationField":
        schema = {"type": "string", "description": "ISO 8601"}
    elif intern == "UUIDField":
        schema = {"type": "string", "format": "uuid"}
    elif intern == "JSONField":
        schema = {}
    else:
        schema = {"type": "string"}
    if veld.choices and not veld.is_relation:
        schema["enum"] = [k for k, _v in veld.flatchoices]
    if veld.null and schema.get("type"):
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    beschrijving = str(veld.verbose_name)
    if veld.is_relation:
        doel = veld.related_model._meta
        beschrijving += f" (id in {_entiteit_van(doel.label)})"
    schema["description"] = beschrijving
    return schema


def _entiteit_van(label: str) -> str:
    return next((e.naam for e in ENTITEITEN if e.model == label), label)


def schema_voor(entiteit: Entiteit) -> dict:
    model = entiteit.model_class
    eigenschappen = {f.attname: _veld_schema(f) for f in velden(entiteit)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{FORMAAT}/v{FORMAAT_VERSIE}/{entiteit.naam}.schema.json",
        "title": str(model._meta.verbose_name_plural),
        "description": (model.__doc__ or "").strip().split("\n\n")[0].replace("\n", " "),
        "type": "array",
        "items": {
            "type": "object",
            "properties": eigenschappen,
            "required": list(eigenschappen),
            "additionalProperties": False,
        },
    }


def koppeling_schema(naam: str, model: str, veld: str) -> dict:
    bron, doel = koppeling_kolommen(model, veld)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{FORMAAT}/v{FORMAAT_VERSIE}/{naam}.schema.json",
        "title": naam,
        "type": "array",
        "items": {
            "type": "object",
            "properties": {bron: {"type": "integer"}, doel: {"type": "integer"}},
            "required": [bron, doel],
            "additionalProperties": False,
        },
    }


def alle_schemas() -> dict[str, dict]:
    uit = {e.naam: schema_voor(e) for e in ENTITEITEN}
    uit.update({naam: koppeling_schema(naam, m, v) for naam, m, v in KOPPELINGEN})
    return uit


def schemas_schrijven(map_: Path = SCHEMA_MAP) -> list[Path]:
    map_.mkdir(parents=True, exist_ok=True)
    geschreven = []
    for naam, schema in alle_schemas().items():
        pad = map_ / f"{naam}.schema.json"
        pad.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        geschreven.append(pad)
    return geschreven
