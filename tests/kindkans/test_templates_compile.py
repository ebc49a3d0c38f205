"""Every template of the project compiles.

A template that only some export or error path renders (the inzage ZIP's summary, an e-mail)
would otherwise break unnoticed until a user hits that path.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template

ROOT = Path(settings.BASE_DIR)
MAPPEN = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
NAMEN = sorted(
    {
        str(f.relative_to(map_))
        for map_ in MAPPEN
        for f in map_.rglob("*")
        if f.suffix in {".html", ".txt"}
    }
)


def test_the_templates_are_found():
    assert len(NAMEN) > 100


@pytest.mark.parametrize("naam", NAMEN)
def test_template_compiles(naam):
    get_template(naam)
