"""The shared abstract bases (kindkans/models.py): every model that has the common organisation
key or timestamps takes them from the base, and the two versioned definitions (Proces,
FormulierDefinitie) follow one versioning rule."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction

from formulieren.models import FormulierDefinitie
from hulpvragen.models import Proces
from kindkans.models import (
    MetAangemaakt,
    OrganisatieGebonden,
    OrganisatieInstelling,
    VersieDefinitie,
)


def _project_models():
    """The models of the project's own apps (those in this repository, not in site-packages)."""
    eigen = {
        c.label
        for c in apps.get_app_configs()
        if c.path.startswith(str(settings.BASE_DIR)) and "site-packages" not in c.path
    }
    return [m for m in apps.get_models() if m._meta.app_label in eigen]


def _same_field(model, naam, base):
    eigen = model._meta.get_field(naam)
    basis = base._meta.get_field(naam)
    return eigen.deconstruct()[1:] == basis.deconstruct()[1:]


def test_every_model_with_the_common_organisation_key_takes_it_from_a_base():
    """A new model that writes the key out again (instead of using the base) fails here."""
    zonder_basis = []
    for model in _project_models():
        try:
            model._meta.get_field("organisatie")
        except Exception:  # noqa: BLE001 - no organisation key
            continue
        for base in (OrganisatieGebonden, OrganisatieInstelling):
            if _same_field(model, "organisatie", base) and not issubclass(model, base):
                zonder_basis.append(model._meta.label)
    assert zonder_basis == []


def test_every_model_with_the_common_aangemaakt_op_takes_it_from_the_base():
    zonder_basis = [
        model._meta.label
        for model in _project_models()
        if any(f.name == "aangemaakt_op" for f in model._meta.fields)
        and _same_field(model, "aangemaakt_op", MetAangemaakt)
        and not issubclass(model, MetAangemaakt)
    ]
    assert zonder_basis == []


@pytest.mark.parametrize("model", [Proces, FormulierDefinitie])
def test_versioned_definitions_share_one_rule(world, model):
    assert issubclass(model, VersieDefinitie)
    eerste = model.objects.filter(organisatie=world.org, actief=True).first()
    assert eerste is not None
    sleutel = {model.VERSIE_SLEUTEL: getattr(eerste, model.VERSIE_SLEUTEL)}
    volgende = eerste.volgende_versie()
    assert volgende == max(v.versie for v in eerste.versies()) + 1

    kopie = model.objects.get(pk=eerste.pk)
    kopie.pk = None
    kopie.versie = volgende
    kopie.actief = False
    kopie.save()
    with transaction.atomic():
        kopie.activeren()
    actief = model.objects.filter(organisatie=world.org, actief=True, **sleutel)
    assert list(actief) == [kopie]

    # The database keeps the rules too: one version number per key, one active version.
    dubbel = model.objects.get(pk=kopie.pk)
    dubbel.pk = None
    dubbel.actief = False
    with pytest.raises(IntegrityError), transaction.atomic():
        dubbel.save()
    eerste.refresh_from_db()
    eerste.actief = True
    with pytest.raises(IntegrityError), transaction.atomic():
        eerste.save()
