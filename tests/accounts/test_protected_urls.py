"""Every URL the project serves, walked from the URL resolver (so new views are covered without
touching this file): after the password step only, anything not public answers a redirect to
the code step; anonymous, a redirect to the login page. Admin screens included."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.regex_helper import normalize

from accounts.admin_site import KindkansAdminSite
from tests.accounts.conftest import password_step_only
from tests.helpers import totp_device

pytestmark = pytest.mark.django_db

SAMPLE = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000001"}


def _route_to_path(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: SAMPLE.get(m.group(1) or "str", "x"), route)


def _regex_to_path(regex: str, kwargs_sample: dict) -> str:
    options = normalize(regex)
    fmt, params = options[0]
    return fmt % {p: kwargs_sample.get(p, "1") for p in params}


def all_urls(resolver=None, prefix=""):
    """(path, callback) for every pattern, with sample values for the parameters."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        pat = pattern.pattern
        if hasattr(pat, "_route"):
            part = _route_to_path(pat._route)
        else:
            # A tab name for the hulpvraag view's tab pattern (an alternation of tab slugs).
            part = _regex_to_path(
                pat._regex, {"app_label": "accounts", "url": "x", "tab": "schoolgegevens"}
            )
        if isinstance(pattern, URLResolver):
            yield from all_urls(pattern, prefix + part)
        elif isinstance(pattern, URLPattern):
            yield "/" + (prefix + part).lstrip("/"), pattern.callback


def _marked(callback, name):
    view_class = getattr(callback, "view_class", None)
    return getattr(callback, name, False) or getattr(view_class, name, False)


def protected_urls():
    urls = []
    for path, callback in all_urls():
        if _marked(callback, "kindkans_openbaar") or _marked(callback, "kindkans_na_wachtwoord"):
            continue
        urls.append(path)
    return sorted(set(urls))


def test_the_walk_finds_pupil_data_admin_and_account_urls():
    urls = protected_urls()
    assert "/hulpvragen/1/" in urls
    assert "/beheer/" in urls and "/beheer/login/" in urls
    assert any(u.startswith("/beheer/accounts/user/") for u in urls)
    assert "/account/" in urls and "/" in urls
    assert "/inloggen/" not in urls


def test_the_walk_covers_the_views_of_every_app_and_every_admin_model():
    """Nothing is left out because it lives in a newer app: the protected URLs include views of
    every project app with views, and the admin pages of every registered model."""
    roots = {
        (getattr(callback, "__module__", "") or "").split(".")[0]
        for path, callback in all_urls()
        if path in set(protected_urls())
    }
    assert {
        "accounts",
        "organisaties",
        "dossiers",
        "hulpvragen",
        "formulieren",
        "bijlagen",
        "loket",
        "besluiten",
        "beheer",
    } <= roots, roots
    urls = set(protected_urls())
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        assert "/beheer/{}/{}/".format(*info) in urls, info
        prefix = "/beheer/{}/{}/".format(*info)
        assert any(u.startswith(prefix) and u.endswith("/change/") for u in urls), info
    # Bijlage downloads (the file itself) are among them.
    assert any(
        getattr(callback, "__module__", "").startswith("bijlagen") and path in urls
        for path, callback in all_urls()
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_protected_url_after_password_only_redirects_to_code_step(client, world, method):
    totp_device(world.loket)  # staff, so the admin would let it in with both factors
    password_step_only(client, world.loket)
    code_step = reverse("code")
    for path in protected_urls():
        response = getattr(client, method)(path)
        assert response.status_code == 302, (path, response.status_code)
        assert response["Location"].startswith(code_step + "?next="), (path, response["Location"])


def test_without_an_app_the_redirect_goes_to_enrolment(client, world):
    password_step_only(client, world.coordinator_a)
    response = client.get(reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk]))
    assert response["Location"].startswith(reverse("koppelen"))


def test_every_protected_url_anonymous_redirects_to_login(client, world):
    login_url = reverse("login")
    for path in protected_urls():
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(login_url + "?next="), path


def test_admin_is_an_otp_admin_site_at_beheer_without_its_own_login(client, world):
    assert isinstance(admin.site, KindkansAdminSite)
    assert admin.site.name == "admin" and reverse("admin:index") == "/beheer/"
    # The admin's own login page only sends people to the one login screen.
    response = client.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    # A password-only POST to the admin login does not log anyone in.
    client.post("/beheer/login/", {"username": "loket", "password": "x"})
    assert "_auth_user_id" not in client.session


def test_verified_staff_reach_the_admin_and_unverified_do_not(client, world):
    from tests.helpers import login

    login(client, world.loket)
    assert client.get("/beheer/").status_code == 200
    # Verified but not staff: no login form can help, the admin refuses.
    client.post(reverse("logout"))
    login(client, world.coordinator_a)
    response = client.get("/beheer/", follow=True)
    assert response.status_code == 403
