""""FA afgegeven" ends the FA procedure (the manual: the decision is afgegeven or afgewezen); the
evaluation upload that follows is an explicitly configured follow-up (Status.vervolg_toegestaan).
Organisations that loaded the FA process before this had "FA afgegeven" as a non-final status
(a workaround, because validation refused any transition out of a final status).

Per FA process version whose "FA afgegeven" still has the old shape (not final, and only automatic
transitions to final statuses going out of it; a beheerder's own manual transitions are left
alone):
- not used by any hulpvraag: changed in place;
- the active version, used by hulpvragen: they keep the version they started with, so a new
  version is made with the change and activated (docs/processes.md, versions);
- an older, inactive version in use: left as it is.
"""

from django.db import migrations
from django.db.models import Max

NAAM = "FA afgegeven"


def _oude_afgegeven(Status, Overgang, proces):
    status = Status.objects.filter(proces=proces, naam=NAAM, eindstatus=False).first()
    if status is None:
        return None
    uitgaand = list(Overgang.objects.filter(van=status).select_related("naar"))
    if not uitgaand:
        return None
    if any(o.trigger == "handmatig" or not o.naar.eindstatus for o in uitgaand):
        return None
    return status


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
        kopie[status.pk] = Status.objects.create(**{**_waarden(status, "proces"), "proces_id": nieuw.pk})
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


def vooruit(apps, schema_editor):
    Proces = apps.get_model("hulpvragen", "Proces")
    Status = apps.get_model("hulpvragen", "Status")
    Overgang = apps.get_model("hulpvragen", "Overgang")
    Hulpvraag = apps.get_model("hulpvragen", "Hulpvraag")
    for proces in list(Proces.objects.filter(type="FA").order_by("organisatie_id", "versie")):
        if _oude_afgegeven(Status, Overgang, proces) is None:
            continue
        doel = proces
        if Hulpvraag.objects.filter(proces=proces).exists():
            if not proces.actief:
                continue
            doel = _nieuwe_versie(Proces, Status, Overgang, proces)
        Status.objects.filter(proces=doel, naam=NAAM).update(
            eindstatus=True, vervolg_toegestaan=True
        )
        if doel is not proces:
            Proces.objects.filter(pk=proces.pk).update(actief=False)
            Proces.objects.filter(pk=doel.pk).update(actief=True)


def terug(apps, schema_editor):
    Status = apps.get_model("hulpvragen", "Status")
    Status.objects.filter(proces__type="FA", naam=NAAM, vervolg_toegestaan=True).update(
        eindstatus=False, vervolg_toegestaan=False
    )


class Migration(migrations.Migration):
    dependencies = [("hulpvragen", "0005_eindstatus_met_vervolg")]

    operations = [migrations.RunPython(vooruit, terug)]
