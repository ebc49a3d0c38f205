"""LVS tab fixtures: a Praktijkonderwijs hulpvraag of school A for a pupil in groep 8, and a
parser that reads a rendered form the way a browser would submit it."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from hulpvragen.models import HulpvraagType
from tests.factories import SchoolgegevensFactory, make_hulpvraag


@pytest.fixture
def hv_pro_groep8(world):
    sg = SchoolgegevensFactory(
        school=world.school_a,
        leerjaar=None,
        groep=8,
        doublures=0,
        aanvrager=world.coordinator_a,
        email=world.coordinator_a.email,
    )
    return make_hulpvraag(
        schoolgegevens=sg,
        type=HulpvraagType.PRO,
        door=world.coordinator_a,
        status="PrO aanvraag indienen",
    )


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
            elif kind not in ("submit", "button"):
                self.data[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self._first_option = None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.data.setdefault(self._select, value)
            if "selected" in a:
                self.data[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            # Django renders a newline right after <textarea>; browsers drop it.
            self.data[self._textarea] += (
                data.removeprefix("\n") if not self.data[self._textarea] else data
            )


def form_data(response) -> dict[str, str]:
    """What a browser would post from the page's form, untouched."""
    parser = _FormParser()
    parser.feed(response.content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data
