# The audit log moves to the audit app, Mijn notities and the list preferences to hulpvragen,
# with their rows: the tables are renamed here and the models leave this app's state; audit 0001
# and hulpvragen 0011 take them into theirs.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0009_inzage_ouder"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="inzage", table="audit_inzage"),
                migrations.AlterModelTable(name="notitie", table="hulpvragen_notitie"),
                migrations.AlterModelTable(name="lijstvoorkeur", table="hulpvragen_lijstvoorkeur"),
            ],
            state_operations=[
                migrations.DeleteModel(name="Inzage"),
                migrations.DeleteModel(name="Notitie"),
                migrations.DeleteModel(name="LijstVoorkeur"),
            ],
        ),
    ]
