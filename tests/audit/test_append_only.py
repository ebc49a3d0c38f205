"""One append-only base for every log: a row is added, never changed or deleted through the
application (one instance, a bulk update, a bulk delete: the same AppendOnlyError)."""

from __future__ import annotations

import pytest
from django.apps import apps

from audit.models import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet

pytestmark = pytest.mark.django_db

LOGS = {
    "audit.Inzage",
    "audit.BijlageInzage",
    "hulpvragen.Statuswijziging",
    "accounts.Beveiligingsgebeurtenis",
    "beheer.Schoolwijziging",
}


def test_every_log_and_only_the_logs_use_the_one_base():
    append_only = {
        model._meta.label for model in apps.get_models() if issubclass(model, AppendOnlyModel)
    }
    assert append_only == LOGS
    for label in LOGS:
        assert isinstance(apps.get_model(label).objects.all(), AppendOnlyQuerySet)


@pytest.mark.parametrize("label", sorted(LOGS))
def test_a_log_row_is_never_changed_or_deleted(label):
    model = apps.get_model(label)
    # The refusal comes before any query: an unsaved row with a primary key is enough.
    rij = model(pk=1)
    rij._state.adding = False
    with pytest.raises(AppendOnlyError):
        rij.save()
    with pytest.raises(AppendOnlyError):
        rij.delete()
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=1).update(pk=2)
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=1).delete()
    with pytest.raises(AppendOnlyError):
        model.objects.bulk_update([rij], ["pk"])
