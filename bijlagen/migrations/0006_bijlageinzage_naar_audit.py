# The download log moves to the audit app with its rows: the table is renamed here, the model
# leaves this app's state, and audit 0001 takes it into its own.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("bijlagen", "0005_documentsoort_ouderformulier_online"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="bijlageinzage", table="audit_bijlageinzage"),
            ],
            state_operations=[migrations.DeleteModel(name="BijlageInzage")],
        ),
    ]
