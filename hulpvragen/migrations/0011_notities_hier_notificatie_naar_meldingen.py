# Mijn notities and the list preferences come here from dossiers (which renamed their tables in
# dossiers 0010): only this app's state takes them in, the rows stay. The outbox moves on to
# meldingen: its table is renamed here and meldingen 0001 takes the model into its state.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from kindkans.migration_tools import content_types_move


class Migration(migrations.Migration):
    dependencies = [
        ("hulpvragen", "0010_notificatie_ouder_uitnodiging"),
        ("dossiers", "0010_auditlog_notities_naar_elders"),
        ("organisaties", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LijstVoorkeur",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "filters",
                            models.JSONField(blank=True, default=dict, verbose_name="zoekfilters"),
                        ),
                        (
                            "sortering",
                            models.CharField(blank=True, max_length=40, verbose_name="sortering"),
                        ),
                        (
                            "kolommen",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text="Zichtbare kolommen, in volgorde.",
                                verbose_name="kolommen",
                            ),
                        ),
                        (
                            "volledig_scherm",
                            models.BooleanField(default=False, verbose_name="volledig scherm"),
                        ),
                        (
                            "gewijzigd_op",
                            models.DateTimeField(auto_now=True, verbose_name="gewijzigd op"),
                        ),
                        (
                            "gebruiker",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="lijstvoorkeur",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="gebruiker",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "lijstvoorkeur",
                        "verbose_name_plural": "lijstvoorkeuren",
                    },
                ),
                migrations.CreateModel(
                    name="Notitie",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("tekst", models.TextField(verbose_name="notitie")),
                        (
                            "aangemaakt_op",
                            models.DateTimeField(auto_now_add=True, verbose_name="aangemaakt op"),
                        ),
                        (
                            "auteur",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notities",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="auteur",
                            ),
                        ),
                        (
                            "hulpvraag",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notities",
                                to="hulpvragen.hulpvraag",
                                verbose_name="hulpvraag",
                            ),
                        ),
                        (
                            "organisatie",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organisaties.organisatie",
                                verbose_name="organisatie",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notitie",
                        "verbose_name_plural": "notities",
                        "ordering": ["-aangemaakt_op", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["hulpvraag", "auteur", "-aangemaakt_op"],
                                name="dossiers_no_hulpvra_343d02_idx",
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RenameIndex(
            model_name="notitie",
            new_name="notitie_hulpvraag_auteur",
            old_name="dossiers_no_hulpvra_343d02_idx",
        ),
        content_types_move("dossiers", "hulpvragen", "notitie", "lijstvoorkeur"),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="notificatie", table="meldingen_notificatie"),
            ],
            state_operations=[migrations.DeleteModel(name="Notificatie")],
        ),
    ]
