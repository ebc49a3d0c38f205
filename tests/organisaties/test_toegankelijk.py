"""The base template and the login pages are semantic and accessible (issue 2 item 6, issue 3
item 1): Dutch language, one main landmark reached by a skip link, one h1, a named navigation, a
label for every form field, alt text on images, no positive tabindex."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.accounts.conftest import password_step_only
from tests.helpers import login

pytestmark = pytest.mark.django_db


class Structuur(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.label_for: set[str] = set()
        self.open_labels = 0
        self.fields_in_label: set[int] = set()

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        self.tags.append((tag, attrs))
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea") and self.open_labels:
            self.fields_in_label.add(len(self.tags) - 1)

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1

    def all(self, name):
        return [a for t, a in self.tags if t == name]


def check(body: str, page: str) -> None:
    s = Structuur()
    s.feed(body)
    assert s.all("html")[0].get("lang") == "nl", page
    mains = s.all("main")
    assert len(mains) == 1, page
    assert any(a.get("href") == "#" + mains[0].get("id", "-") for a in s.all("a")), page
    assert len(s.all("h1")) == 1, page
    for nav in s.all("nav"):
        assert nav.get("aria-label") or nav.get("aria-labelledby"), (page, nav)
    for img in s.all("img"):
        assert "alt" in img, (page, img)
    for i, (tag, attrs) in enumerate(s.tags):
        if tag not in ("input", "select", "textarea"):
            continue
        if attrs.get("type") in ("hidden", "submit", "button", "reset", "image"):
            continue
        named = (
            attrs.get("id") in s.label_for
            or i in s.fields_in_label
            or attrs.get("aria-label")
            or attrs.get("aria-labelledby")
        )
        assert named, (page, tag, attrs)
    for tag, attrs in s.tags:
        assert int(attrs.get("tabindex", "0") or 0) <= 0, (page, tag, attrs)


def test_login_reset_code_and_enrolment_pages(client, world):
    check(client.get(reverse("login")).content.decode(), "inloggen")
    check(client.get(reverse("wachtwoord_vergeten")).content.decode(), "wachtwoord vergeten")
    password_step_only(client, world.coordinator_a)
    check(client.get(reverse("koppelen")).content.decode(), "koppelen")
    from tests.helpers import totp_device

    totp_device(world.collega_b)
    client.post(reverse("logout"))
    password_step_only(client, world.collega_b)
    check(client.get(reverse("code")).content.decode(), "code")


@pytest.mark.parametrize("persona", ["coordinator_a", "loket", "beheerder"])
def test_start_and_account_pages(client, world, persona):
    login(client, getattr(world, persona))
    check(client.get(reverse("start")).content.decode(), "start")
    check(client.get(reverse("account")).content.decode(), "account")
    check(client.get(reverse("wachtwoord_wijzigen")).content.decode(), "wachtwoord wijzigen")
