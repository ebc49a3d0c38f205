"""No external CDN: templates, CSS and JavaScript load nothing from another host,
and the pages a user sees first load only from our own server. (An ordinary hyperlink to another
site is not a load and is allowed.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.helpers import login

EXTERN = re.compile(
    r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//"""  # <script|img|iframe src="https://…">
    r"""|<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//"""  # stylesheet/font/icon elsewhere
    r"""|url\(\s*["']?\s*(?:https?:)?//"""  # CSS url(https://…)
    r"""|@import\s+["']?(?:url\()?\s*["']?(?:https?:)?//"""  # CSS @import of another host
    r"""|(?:fetch|import)\(\s*["'`](?:https?:)?//""",  # JS fetch("https://…") / import("//…")
    re.IGNORECASE,
)


def own_files():
    root = Path(settings.BASE_DIR)
    for folder, patterns in (("templates", ("*.html",)), ("static", ("*.css", "*.js"))):
        for pattern in patterns:
            yield from (root / folder).rglob(pattern)


def test_templates_css_and_js_load_nothing_from_another_host():
    files = list(own_files())
    assert any(f.suffix == ".css" for f in files) and any(f.suffix == ".js" for f in files)
    found = {
        str(f.relative_to(settings.BASE_DIR)): m.group(0)
        for f in files
        for m in [EXTERN.search(f.read_text(encoding="utf-8"))]
        if m
    }
    assert not found, found


@pytest.mark.django_db
def test_login_and_start_page_reference_only_our_own_server(client, world):
    pages = [client.get(reverse("login")).content.decode()]
    login(client, world.coordinator_a)
    pages.append(client.get(reverse("start")).content.decode())
    for body in pages:
        assert not EXTERN.search(body), EXTERN.search(body).group(0)
        assert re.search(r'<link rel="stylesheet" href="/static/', body)
