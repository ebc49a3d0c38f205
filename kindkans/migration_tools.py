"""Helpers for migrations that move a model to another app without touching its rows.

A moved model keeps its table's rows (the old app's migration renames the table and drops the
model from its state, the new app's adds it to its state without creating anything). What Django
keeps about the model by app label moves with it here: its content type, and with that its
permissions, admin log entries and generic references, which point at the content type's id.
"""

from __future__ import annotations

from django.db import migrations


def content_types_move(van: str, naar: str, *modellen: str) -> migrations.RunPython:
    """Relabel the content types of `modellen` (lower-case model names) from app `van` to `naar`.
    A database migrated from scratch has none yet (they are made after migrating): nothing to do.
    Reversible."""

    def relabel(apps, schema_editor, bron: str, doel: str) -> None:
        content_type = apps.get_model("contenttypes", "ContentType")
        rijen = content_type.objects.using(schema_editor.connection.alias)
        for model in modellen:
            if rijen.filter(app_label=doel, model=model).exists():
                continue
            rijen.filter(app_label=bron, model=model).update(app_label=doel)

    return migrations.RunPython(
        lambda apps, schema_editor: relabel(apps, schema_editor, van, naar),
        lambda apps, schema_editor: relabel(apps, schema_editor, naar, van),
    )
