# The outbox comes here from hulpvragen (which renamed its table in hulpvragen 0011): only this
# app's state takes it in, the rows stay.

import django.db.models.deletion
from django.db import migrations, models

from kindkans.migration_tools import content_types_move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("hulpvragen", "0011_notities_hier_notificatie_naar_meldingen"),
        ("organisaties", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notificatie',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('ontvanger', models.EmailField(max_length=254, verbose_name='ontvanger')),
                        ('soort', models.CharField(choices=[('status_gewijzigd', 'status gewijzigd (aan de aanvrager)'), ('swv_informeren', 'ingediend of aangevuld (aan het samenwerkingsverband)'), ('bericht', 'bericht over een hulpvraag (aan de aanvrager)'), ('ouder_uitnodiging', 'uitnodiging voor een ouder')], max_length=30, verbose_name='soort')),
                        ('onderwerp', models.CharField(blank=True, max_length=200, verbose_name='onderwerp')),
                        ('tekst', models.TextField(blank=True, verbose_name='tekst')),
                        ('aangemaakt_op', models.DateTimeField(auto_now_add=True, verbose_name='aangemaakt op')),
                        ('verzonden_op', models.DateTimeField(blank=True, null=True, verbose_name='verzonden op')),
                        ('pogingen', models.PositiveSmallIntegerField(default=0, verbose_name='pogingen')),
                        ('laatste_fout', models.TextField(blank=True, verbose_name='laatste fout')),
                        ('hulpvraag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notificaties', to='hulpvragen.hulpvraag', verbose_name='hulpvraag')),
                        ('organisatie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisaties.organisatie', verbose_name='organisatie')),
                        ('statuswijziging', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notificaties', to='hulpvragen.statuswijziging', verbose_name='statuswijziging')),
                    ],
                    options={
                        'verbose_name': 'notificatie',
                        'verbose_name_plural': 'notificaties',
                        'ordering': ['aangemaakt_op', 'id'],
                        'indexes': [models.Index(condition=models.Q(('verzonden_op__isnull', True)), fields=['aangemaakt_op'], name='notificatie_te_verzenden')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('statuswijziging__isnull', False), ('soort__in', ['bericht', 'ouder_uitnodiging']), _connector='OR'), name='notificatie_statuswijziging_of_bericht')],
                    },
                ),
            ],
        ),
        content_types_move("hulpvragen", "meldingen", "notificatie"),
    ]
