"""Fill the decision clock of every existing hulpvraag from its history (later changes keep it up
to date through hulpvragen.signals.status_gewijzigd)."""

from datetime import timedelta

from django.db import migrations

from loket.klok import StatusSpec, klok_bereken, status_fase


def vullen(apps, schema_editor):
    Hulpvraag = apps.get_model("hulpvragen", "Hulpvraag")
    Status = apps.get_model("hulpvragen", "Status")
    Overgang = apps.get_model("hulpvragen", "Overgang")
    Statuswijziging = apps.get_model("hulpvragen", "Statuswijziging")
    Termijn = apps.get_model("loket", "Termijn")
    automatisch = {}
    for van_id, naar_eind in Overgang.objects.filter(door="systeem").values_list(
        "van_id", "naar__eindstatus"
    ):
        automatisch.setdefault(van_id, []).append(naar_eind)
    fasen = {
        s.pk: status_fase(
            StatusSpec(
                initieel=s.initieel,
                eindstatus=s.eindstatus,
                zichtbaar_voor_swv=s.zichtbaar_voor_swv,
                kiezen_door=s.kiezen_door,
                automatisch_naar_eind=tuple(automatisch.get(s.pk, ())),
            )
        )
        for s in Status.objects.all()
    }
    historie = {}
    for hulpvraag_id, op, naar_id in Statuswijziging.objects.order_by("op", "id").values_list(
        "hulpvraag_id", "op", "naar_id"
    ):
        historie.setdefault(hulpvraag_id, []).append((op, fasen[naar_id]))
    rows = []
    for pk, organisatie_id in Hulpvraag.objects.values_list("pk", "organisatie_id"):
        klok = klok_bereken(historie.get(pk, []), termijn=timedelta(weeks=8))
        rows.append(
            Termijn(
                hulpvraag_id=pk,
                organisatie_id=organisatie_id,
                fase=klok.fase,
                ingediend_op=klok.ingediend_op,
                gepauzeerd=klok.gepauzeerd,
                pauze_sinds=klok.pauze_sinds,
                gestopt_op=klok.gestopt_op,
                deadline=klok.deadline,
            )
        )
    Termijn.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("loket", "0001_initial")]

    operations = [migrations.RunPython(vullen, migrations.RunPython.noop)]
