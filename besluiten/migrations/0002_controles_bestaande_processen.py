"""Existing organisations loaded the shipped processes before these checks existed: add them, so
"TLV afgegeven", "TLV afwijzing toegelicht" and "FA afgegeven" are unreachable without their record
there too (the shipped JSON has them for new organisations)."""

from django.db import migrations

CONTROLES = [
    ("TLV_VSO", "TLV afgegeven", "tlv_vastgelegd"),
    ("TLV_VSO", "TLV afwijzing toegelicht", "afwijzing_vastgelegd"),
    ("FA", "FA afgegeven", "fa_vastgelegd"),
]


def toevoegen(apps, schema_editor):
    Overgang = apps.get_model("hulpvragen", "Overgang")
    for type_, naar, controle in CONTROLES:
        for overgang in Overgang.objects.filter(
            proces__type=type_, naar__naam=naar, trigger="handmatig"
        ):
            if controle not in overgang.controles:
                overgang.controles = [*overgang.controles, controle]
                overgang.save(update_fields=["controles"])


def verwijderen(apps, schema_editor):
    Overgang = apps.get_model("hulpvragen", "Overgang")
    namen = {c for _t, _n, c in CONTROLES}
    for overgang in Overgang.objects.filter(trigger="handmatig"):
        if namen & set(overgang.controles):
            overgang.controles = [c for c in overgang.controles if c not in namen]
            overgang.save(update_fields=["controles"])


class Migration(migrations.Migration):
    dependencies = [
        ("besluiten", "0001_initial"),
        ("hulpvragen", "0002_status_engine"),
    ]

    operations = [migrations.RunPython(toevoegen, verwijderen)]
