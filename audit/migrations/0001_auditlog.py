# The audit log (from dossiers) and the download log (from bijlagen) come here with their rows:
# dossiers 0010 and bijlagen 0006 renamed the tables, this app's state takes the models in, and
# the indexes get this app's names.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from kindkans.migration_tools import content_types_move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("bijlagen", "0006_bijlageinzage_naar_audit"),
        ("dossiers", "0010_auditlog_notities_naar_elders"),
        ("organisaties", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='BijlageInzage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('op', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='op')),
                        ('ip_adres', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP-adres')),
                        ('bijlage', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inzages', to='bijlagen.bijlage', verbose_name='bijlage')),
                        ('gebruiker', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='gebruiker')),
                        ('organisatie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisaties.organisatie')),
                    ],
                    options={
                        'verbose_name': 'inzage bijlage',
                        'verbose_name_plural': 'inzage bijlagen',
                        'ordering': ['-op'],
                    },
                ),
                migrations.CreateModel(
                    name='Inzage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('actie', models.CharField(choices=[('bekeken', 'bekeken'), ('gewijzigd', 'gewijzigd'), ('aangemaakt', 'aangemaakt'), ('toegang_verleend', 'toegang verleend'), ('toegang_ingetrokken', 'toegang ingetrokken'), ('virus_gevonden', 'virus gevonden, in quarantaine')], max_length=24, verbose_name='actie')),
                        ('onderdeel', models.CharField(help_text='Scherm of tabblad, bijvoorbeeld “lijst”.', max_length=40, verbose_name='onderdeel')),
                        ('leerling_id', models.BigIntegerField(blank=True, null=True, verbose_name='leerling')),
                        ('hulpvraag_id', models.BigIntegerField(blank=True, null=True, verbose_name='hulpvraag')),
                        ('details', models.CharField(blank=True, max_length=300, verbose_name='details')),
                        ('op', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='tijdstip')),
                        ('ip_adres', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP-adres')),
                        ('gebruiker', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='gebruiker')),
                        ('ouder_uitnodiging_id', models.BigIntegerField(blank=True, null=True, verbose_name='uitnodiging ouder')),
                        ('organisatie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisaties.organisatie', verbose_name='organisatie')),
                    ],
                    options={
                        'verbose_name': 'inzage (auditlog)',
                        'verbose_name_plural': 'inzage (auditlog)',
                        'ordering': ['-op', '-id'],
                        'indexes': [models.Index(fields=['organisatie', 'leerling_id', '-op'], name='dossiers_in_organis_646fb4_idx'), models.Index(fields=['organisatie', 'gebruiker', '-op'], name='dossiers_in_organis_61d8e7_idx'), models.Index(fields=['organisatie', '-op'], name='dossiers_inzage_org_op')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('gebruiker__isnull', False), ('ouder_uitnodiging_id__isnull', False), _connector='OR'), name='inzage_gebruiker_of_ouder')],
                    },
                ),
            ],
        ),
        migrations.RenameIndex(model_name="inzage", new_name="inzage_org_leerling_op", old_name="dossiers_in_organis_646fb4_idx"),
        migrations.RenameIndex(model_name="inzage", new_name="inzage_org_gebruiker_op", old_name="dossiers_in_organis_61d8e7_idx"),
        migrations.RenameIndex(model_name="inzage", new_name="inzage_org_op", old_name="dossiers_inzage_org_op"),
        content_types_move("dossiers", "audit", "inzage"),
        content_types_move("bijlagen", "audit", "bijlageinzage"),
    ]
