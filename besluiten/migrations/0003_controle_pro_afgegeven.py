"""The loket's PrO loketvergadering now records the TLV PrO through besluiten (akkoord), so
"PrO afgegeven" gets the check "tlv_pro_vastgelegd" in existing processes too."""

from django.db import migrations

CONTROLE = ("PRO", "PrO afgegeven", "tlv_pro_vastgelegd")


def toevoegen(apps, schema_editor):
    Overgang = apps.get_model("hulpvragen", "Overgang")
    type_, naar, controle = CONTROLE
    for overgang in Overgang.objects.filter(
        proces__type=type_, naar__naam=naar, trigger="handmatig"
    ):
        if controle not in overgang.controles:
            overgang.controles = [*overgang.controles, controle]
            overgang.save(update_fields=["controles"])


def verwijderen(apps, schema_editor):
    Overgang = apps.get_model("hulpvragen", "Overgang")
    for overgang in Overgang.objects.filter(trigger="handmatig"):
        if CONTROLE[2] in overgang.controles:
            overgang.controles = [c for c in overgang.controles if c != CONTROLE[2]]
            overgang.save(update_fields=["controles"])


class Migration(migrations.Migration):
    dependencies = [("besluiten", "0002_controles_bestaande_processen")]

    operations = [migrations.RunPython(toevoegen, verwijderen)]
