"""Forwarded headers count only from the trusted proxy; `check --deploy` refuses proxy settings
that contradict each other."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import InlogTeller
from audit.models import Inzage
from kindkans.proxy import check_proxy_settings
from tests.accounts.conftest import post_login
from tests.factories import TEST_PASSWORD
from tests.helpers import login
from tests.kindkans.test_settings_and_quality import PRODUCTION, run_manage

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
CLIENT = "203.0.113.9"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.TRUSTED_PROXY_IPS = [PROXY]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    return settings


def detail(client, world, **meta):
    voor = Inzage.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(reverse("hulpvragen:detail", args=[world.hv_a_ingediend.pk]), **meta)
    return response, list(Inzage.objects.filter(pk__gt=voor))


def test_audit_log_records_the_client_behind_the_proxy(client, world, behind_proxy):
    login(client, world.loket)
    response, records = detail(
        client,
        world,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"6.6.6.6, {CLIENT}",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert response.status_code == 200
    assert [r.ip_adres for r in records] == [CLIENT]


def test_spoofed_forwarded_headers_from_a_direct_client_are_ignored(client, world, behind_proxy):
    """A client that reaches gunicorn without the proxy sends X-Forwarded-For and -Proto itself:
    neither its claimed address nor its claimed HTTPS is believed."""
    login(client, world.loket)
    direct = "198.51.100.66"
    response, records = detail(
        client,
        world,
        REMOTE_ADDR=direct,
        HTTP_X_FORWARDED_FOR="192.0.2.1",
        HTTP_X_FORWARDED_PROTO="https",
    )
    # Not HTTPS (the claim was dropped): the HTTPS redirect, and no record of a view.
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert records == []
    # Over "HTTPS" from the proxy, but a direct client's own X-Forwarded-For: its REMOTE_ADDR.
    response, records = detail(
        client, world, REMOTE_ADDR=direct, HTTP_X_FORWARDED_FOR="192.0.2.1", secure=True
    )
    assert response.status_code == 200
    assert [r.ip_adres for r in records] == [direct]


def test_lockout_counts_the_direct_clients_own_address_not_its_spoofed_one(
    client, world, behind_proxy
):
    user = world.coordinator_a
    direct = "198.51.100.67"
    data = {"organisatie": user.organisatie.naam, "username": user.username, "password": "fout"}
    for spoofed in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        response = client.post(
            reverse("login"),
            data,
            REMOTE_ADDR=direct,
            secure=True,
            headers={"X-Forwarded-For": spoofed},
        )
        assert response.status_code == 200
    assert list(InlogTeller.objects.values_list("ip", "mislukt")) == [(direct, 3)]
    # Through the proxy the forwarded client address is the one counted.
    post_login(
        client,
        user,
        password=TEST_PASSWORD + "x",
        ip=PROXY,
        headers={"X-Forwarded-For": CLIENT, "X-Forwarded-Proto": "https"},
    )
    assert InlogTeller.objects.filter(ip=CLIENT).exists()


@pytest.mark.parametrize(
    "proxy_ssl_header, hops, ips, errors",
    [
        (True, 1, ["127.0.0.1"], []),
        (False, 0, ["127.0.0.1"], []),
        (True, 0, ["127.0.0.1"], ["kindkans.E102"]),
        (False, 1, ["127.0.0.1"], ["kindkans.E103"]),
        (True, 1, [], ["kindkans.E104"]),
        (True, 1, ["nginx"], ["kindkans.E101"]),
    ],
)
def test_deploy_check_refuses_inconsistent_proxy_settings(
    settings, proxy_ssl_header, hops, ips, errors
):
    settings.SECURE_PROXY_SSL_HEADER = (
        ("HTTP_X_FORWARDED_PROTO", "https") if proxy_ssl_header else None
    )
    settings.TRUSTED_PROXY_HOPS = hops
    settings.TRUSTED_PROXY_IPS = ips
    assert [e.id for e in check_proxy_settings()] == errors


def test_check_deploy_fails_with_an_error_when_behind_a_proxy_without_hops(tmp_path):
    env = {**PRODUCTION, "KINDKANS_VAR_DIR": str(tmp_path), "BEHIND_TLS_PROXY": "true"}
    result = run_manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "kindkans.E102" in result.stderr + result.stdout
    result = run_manage("check", "--deploy", env={**env, "TRUSTED_PROXY_HOPS": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
