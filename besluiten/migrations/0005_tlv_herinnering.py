"""A TLV remembers when its aanvrager was told it ends soon (the renewal reminder, like the FA
evaluation reminder), with a partial index for the daily task's query."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('besluiten', '0004_fa_afwijzing'),
    ]

    operations = [
        migrations.AddField(
            model_name='toelaatbaarheidsverklaring',
            name='herinnering_op',
            field=models.DateTimeField(blank=True, help_text='Wanneer de aanvrager per e-mail is gewezen op het aflopen van de TLV (in de verzendrij gezet).', null=True, verbose_name='verlengingsherinnering verstuurd op'),
        ),
        migrations.AddIndex(
            model_name='toelaatbaarheidsverklaring',
            index=models.Index(condition=models.Q(('herinnering_op__isnull', True)), fields=['einddatum'], name='tlv_herinnering_te_versturen'),
        ),
    ]
