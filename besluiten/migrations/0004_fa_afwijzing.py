"""The loket records an FA rejection with its letter (the manual: "De bijbehorende brief … vindt u
dan in de bijlagen van de hulpvraag"), so "FA afgewezen" gets the check "afwijzing_vastgelegd" in
existing processes too, and the letter a template kind of its own."""

from django.db import migrations, models

CONTROLE = ("FA", "FA afgewezen", "afwijzing_vastgelegd")


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
    type_, naar, controle = CONTROLE
    for overgang in Overgang.objects.filter(proces__type=type_, naar__naam=naar):
        if controle in overgang.controles:
            overgang.controles = [c for c in overgang.controles if c != controle]
            overgang.save(update_fields=["controles"])


class Migration(migrations.Migration):
    dependencies = [("besluiten", "0003_controle_pro_afgegeven")]

    operations = [
        migrations.AlterField(
            model_name="briefsjabloon",
            name="soort",
            field=models.CharField(
                choices=[
                    ("tlv_vso", "Toekenningsbrief TLV VSO"),
                    ("tlv_pro", "Toekenningsbrief TLV PrO"),
                    ("afwijzing_tlv", "Afwijzingsbrief TLV"),
                    ("fa", "Toewijzingsbrief Financieel Arrangement"),
                    ("afwijzing_fa", "Afwijzingsbrief Financieel Arrangement"),
                ],
                max_length=20,
                verbose_name="soort",
            ),
        ),
        migrations.RunPython(toevoegen, verwijderen),
    ]
