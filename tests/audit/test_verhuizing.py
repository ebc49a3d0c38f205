"""The models that moved app (the audit log and the download log to `audit`, the outbox to
`meldingen`, Mijn notities and the list preferences to `hulpvragen`) keep every row.

A database filled by `manage.py demo` is taken back to the migration state before the move (the
tables go back to their old names), gets more rows there through the historical models, and is
migrated forward again: every row is still there, unchanged, in the model's new home, and the
content types (with the permissions and admin log entries that point at them) moved along."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

# (old app, new app, model): every model that moved.
VERHUISD = [
    ("dossiers", "audit", "Inzage"),
    ("bijlagen", "audit", "BijlageInzage"),
    ("hulpvragen", "meldingen", "Notificatie"),
    ("dossiers", "hulpvragen", "Notitie"),
    ("dossiers", "hulpvragen", "LijstVoorkeur"),
]
# The state just before the move: the old apps at their last migration without it, the new
# homes of the moved models empty of them.
VOOR_DE_VERHUIZING = [
    ("dossiers", "0009_inzage_ouder"),
    ("bijlagen", "0005_documentsoort_ouderformulier_online"),
    ("hulpvragen", "0010_notificatie_ouder_uitnodiging"),
    ("meldingen", None),
    ("audit", None),
]


def _migreren(doelen) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(doelen)
    # A fresh loader: the state of the database as it now is.
    return MigrationExecutor(connection)


def _rijen(model) -> list[dict]:
    return list(model.objects.order_by("pk").values())


def _aanvullen(oud) -> None:
    """Rows written at the old state, through the historical models."""
    hulpvraag = oud.get_model("hulpvragen", "Hulpvraag").objects.order_by("pk").first()
    wijziging = oud.get_model("hulpvragen", "Statuswijziging").objects.filter(hulpvraag=hulpvraag)[
        0
    ]
    user_model = oud.get_model("accounts", "User")
    gebruiker = user_model.objects.filter(organisatie_id=hulpvraag.organisatie_id)[0]
    bijlage = oud.get_model("bijlagen", "Bijlage").objects.order_by("pk").first()
    org = hulpvraag.organisatie_id
    oud.get_model("dossiers", "Inzage").objects.create(
        organisatie_id=org,
        gebruiker=gebruiker,
        actie="bekeken",
        onderdeel="lijst",
        leerling_id=hulpvraag.leerling_id,
        hulpvraag_id=hulpvraag.pk,
        ip_adres="192.0.2.7",
    )
    oud.get_model("bijlagen", "BijlageInzage").objects.create(
        organisatie_id=bijlage.organisatie_id,
        bijlage=bijlage,
        gebruiker=gebruiker,
        ip_adres="192.0.2.8",
    )
    oud.get_model("hulpvragen", "Notificatie").objects.create(
        organisatie_id=org,
        hulpvraag=hulpvraag,
        statuswijziging=wijziging,
        ontvanger="aanvrager@example.org",
        soort="status_gewijzigd",
    )
    oud.get_model("dossiers", "Notitie").objects.create(
        organisatie_id=org, hulpvraag=hulpvraag, auteur=gebruiker, tekst="Bellen na de toets."
    )
    lijstvoorkeur = oud.get_model("dossiers", "LijstVoorkeur")
    zonder = user_model.objects.exclude(pk__in=lijstvoorkeur.objects.values("gebruiker_id")).first()
    lijstvoorkeur.objects.create(
        gebruiker=zonder, filters={"zoek": "de Vries"}, sortering="-laatste_datum"
    )


def test_moved_models_keep_every_row_and_their_content_types():
    call_command("demo", stdout=io.StringIO())
    executor = MigrationExecutor(connection)
    eind = executor.loader.graph.leaf_nodes()
    inhoudstypen = {
        model: ContentType.objects.get_for_model(
            executor.loader.project_state(eind).apps.get_model(nieuw, model)
        ).pk
        for _oud, nieuw, model in VERHUISD
    }
    try:
        executor = _migreren(VOOR_DE_VERHUIZING)
        oud = executor.loader.project_state(
            [doel for doel in VOOR_DE_VERHUIZING if doel[1] is not None]
        ).apps
        _aanvullen(oud)
        voor = {model: _rijen(oud.get_model(app, model)) for app, _nieuw, model in VERHUISD}
        for app, _nieuw, model in VERHUISD:
            # At the old state the content types carry the old app label.
            assert ContentType.objects.get(pk=inhoudstypen[model]).app_label == app
    finally:
        executor = _migreren(eind)
    nieuw_apps = executor.loader.project_state(eind).apps
    for _oud, nieuw, model in VERHUISD:
        na = _rijen(nieuw_apps.get_model(nieuw, model))
        assert voor[model], f"{model}: no rows to move"
        assert na == voor[model], model
        inhoudstype = ContentType.objects.get(pk=inhoudstypen[model])
        assert (inhoudstype.app_label, inhoudstype.model) == (nieuw, model.lower())
    # The application's own models read the moved rows.
    from audit.models import BijlageInzage, Inzage
    from hulpvragen.models import LijstVoorkeur, Notitie
    from meldingen.models import Notificatie

    assert Inzage.objects.filter(ip_adres="192.0.2.7").count() == 1
    assert BijlageInzage.objects.filter(ip_adres="192.0.2.8").count() == 1
    assert Notificatie.objects.filter(ontvanger="aanvrager@example.org").exists()
    assert Notitie.objects.filter(tekst="Bellen na de toets.").count() == 1
    assert LijstVoorkeur.objects.filter(filters={"zoek": "de Vries"}).count() == 1
