"""Indienen checks the required documents (the manual's "Stap voor stap": TLV VSO and FA step 7,
PrO step 9, BAG step 7; SV says "indien nodig", so nothing). The shipped process data names the
check "bijlagen_aanwezig" on the school's indienen transition; organisations that loaded the
processes before get it here.

Per active process version of these types whose indienen transition lacks the check:
- not used by any hulpvraag: changed in place;
- used by hulpvragen: they keep the version they started with, so a new version is made with the
  check and activated (docs/processes.md, versions).
Inactive versions (older ones, a beheerder's drafts) are left as they are. This migration keeps
its own copy of what it needs (no import of application code that may change later).
"""

from django.db import migrations
from django.db.models import Max

CONTROLE = "bijlagen_aanwezig"
INDIENEN = {
    "TLV_VSO": "TLV aanvraag indienen",
    "FA": "FA aanvraag indienen",
    "PRO": "PrO aanvraag indienen",
    "BAG": "BAG aanvraag indienen",
}


def _waarden(obj, *skip):
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.name not in ("id", *skip)
    }


def _nieuwe_versie(Proces, Status, Overgang, proces):
    versie = Proces.objects.filter(
        organisatie_id=proces.organisatie_id, type=proces.type
    ).aggregate(m=Max("versie"))["m"]
    nieuw = Proces.objects.create(
        organisatie_id=proces.organisatie_id, type=proces.type, versie=versie + 1, actief=False
    )
    kopie = {}
    for status in Status.objects.filter(proces=proces).order_by("volgorde", "id"):
        kopie[status.pk] = Status.objects.create(
            **{**_waarden(status, "proces"), "proces_id": nieuw.pk}
        )
    for o in Overgang.objects.filter(proces=proces).order_by("volgorde", "id"):
        Overgang.objects.create(
            **{
                **_waarden(o, "proces", "van", "naar"),
                "proces_id": nieuw.pk,
                "van_id": kopie[o.van_id].pk,
                "naar_id": kopie[o.naar_id].pk,
            }
        )
    return nieuw


def _indienen(Overgang, proces):
    return list(
        Overgang.objects.filter(
            proces=proces,
            naar__naam=INDIENEN[proces.type],
            van__initieel=True,
            door="school",
            trigger="handmatig",
        )
    )


def vooruit(apps, schema_editor):
    Proces = apps.get_model("hulpvragen", "Proces")
    Status = apps.get_model("hulpvragen", "Status")
    Overgang = apps.get_model("hulpvragen", "Overgang")
    Hulpvraag = apps.get_model("hulpvragen", "Hulpvraag")
    processen = Proces.objects.filter(type__in=list(INDIENEN), actief=True)
    for proces in list(processen.order_by("organisatie_id", "type")):
        overgangen = [o for o in _indienen(Overgang, proces) if CONTROLE not in o.controles]
        if not overgangen:
            continue
        doel = proces
        if Hulpvraag.objects.filter(proces=proces).exists():
            doel = _nieuwe_versie(Proces, Status, Overgang, proces)
            overgangen = [o for o in _indienen(Overgang, doel) if CONTROLE not in o.controles]
        for overgang in overgangen:
            overgang.controles = [*overgang.controles, CONTROLE]
            overgang.save(update_fields=["controles"])
        if doel is not proces:
            Proces.objects.filter(pk=proces.pk).update(actief=False)
            Proces.objects.filter(pk=doel.pk).update(actief=True)


def terug(apps, schema_editor):
    """Takes the check off again (versions made forward stay, with their hulpvragen)."""
    Overgang = apps.get_model("hulpvragen", "Overgang")
    for overgang in Overgang.objects.filter(
        proces__type__in=list(INDIENEN), van__initieel=True, door="school"
    ):
        if CONTROLE in overgang.controles:
            overgang.controles = [c for c in overgang.controles if c != CONTROLE]
            overgang.save(update_fields=["controles"])


class Migration(migrations.Migration):
    dependencies = [("hulpvragen", "0007_status_vereist")]

    operations = [migrations.RunPython(vooruit, terug)]
