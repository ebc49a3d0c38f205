"""Load benchmark: Kindkans under a mix of requests from many logged-in users at once, as
production runs it (gunicorn with deploy/gunicorn.conf.py, DEBUG off, Redis cache and broker,
pooled PostgreSQL connections), on the data set of benchmarks/hulpvragen_screen.py.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kindkans_bench \\
    BENCH_REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python benchmarks/belasting.py --duur 60 --gebruikers 10

Seed the data set first (hulpvragen_screen.py --hulpvragen 1000000). Then:

1. set-up: loket accounts of the largest organisation get a password and an enrolled
   authenticator app (created here, as an earlier enrolment would have left them);
2. gunicorn starts on 127.0.0.1 behind a pretend TLS proxy (X-Forwarded-Proto from a trusted
   address, as nginx sends it), so secure cookies, CSRF's origin check and HSTS are all live;
3. every user logs in through the login page: organisation, username, password and the current
   TOTP code, computed the way a phone does (pyotp);
4. for --duur seconds every user, without pause, takes a request from the mix (MIX: the list,
   a name search, a hulpvraag, one of its tabs, a status change: its page, then the post that
   writes the change and its outbox row) — a bounded asyncio client, one connection per user;
5. it prints requests/s, p50/p95/p99 and errors per kind and for the mix, and the CPU
   milliseconds per request of the web workers plus their PostgreSQL backends (from /proc,
   sampled during the run, so a backend that ends is still counted): unlike latency, CPU per
   request hardly changes with the load of a shared machine;
6. then, one request at a time, the latency per kind (--enkel samples each), which is where a
   status change's p95 is read.

Exit code 1 on any error, or when the mix costs more than DOEL_CPU_MS per request.
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookies
import math
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--duur", type=float, default=60, help="seconds of load (default 60)")
parser.add_argument("--opwarmen", type=float, default=10, help="seconds before measuring")
parser.add_argument("--gebruikers", type=int, default=10, help="users at once (default 10)")
parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default conf)")
parser.add_argument("--enkel", type=int, default=40, help="one-at-a-time samples per kind")
parser.add_argument("--poort", type=int, default=8765)
parser.add_argument("--geen-drempel", action="store_true", help="report only, never exit 1")
args = parser.parse_args()

DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kindkans_bench")
# A Redis database of the benchmark's own: the web workers' cache, sessions and broker; flushed
# at the end (the status changes' outbox tasks are queued there, no worker delivers them).
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
if not REDIS_URL:
    sys.exit(
        "Zet BENCH_REDIS_URL op een eigen Redis-database, bijvoorbeeld redis://127.0.0.1:6379/4"
    )
WACHTWOORD = "Belasting-" + "benchmark-2026"
DOEL_CPU_MS = 10
BIN = Path(sys.executable).parent
HOST = f"127.0.0.1:{args.poort}"
BASIS = f"http://{HOST}"
VAR_DIR = Path(tempfile.gettempdir()) / "kindkans-belasting"
STATUS_WAAR = "BAG geagendeerd"  # the loket may set it again with a new meeting date

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "kindkans.settings",
        "DEBUG": "false",
        "SECRET_KEY": "belasting-only-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": DB_URL,
        "KINDKANS_VAR_DIR": str(VAR_DIR),
    }
)
os.environ.pop("REDIS_URL", None)  # the set-up below runs without a broker

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

logging.getLogger("httpx").setLevel(logging.WARNING)  # no line per request

import httpx  # noqa: E402
import psycopg  # noqa: E402
import pyotp  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.models import Rol, User  # noqa: E402
from accounts.totp import secret_b32  # noqa: E402
from benchmarks import cpu  # noqa: E402
from hulpvragen.access import hulpvragen_visible_to  # noqa: E402
from organisaties.models import Organisatie  # noqa: E402


@dataclass
class Gebruiker:
    username: str
    secret: str
    hulpvragen: list[int]
    bag: list[int]  # hulpvragen in STATUS_WAAR, this user's own (no two users change one)
    cookies: dict[str, str] = field(default_factory=dict)


def voorbereiden() -> tuple[Organisatie, list[Gebruiker], list[str]]:
    """Loket accounts with a password and a confirmed authenticator app; the hulpvragen each
    will open; the surnames to search for."""
    with connection.cursor() as c:
        c.execute(
            "SELECT organisatie_id FROM hulpvragen_hulpvraag GROUP BY 1 ORDER BY count(*) DESC"
            " LIMIT 1"
        )
        org = Organisatie.objects.get(pk=c.fetchone()[0])
    eerste = User.objects.get(organisatie=org, username="loket")
    zichtbaar = hulpvragen_visible_to(eerste)
    ids = list(zichtbaar.order_by("?").values_list("pk", flat=True)[:5000])
    bag = list(
        zichtbaar.filter(status__naam=STATUS_WAAR).order_by("pk").values_list("pk", flat=True)
    )
    namen = list(
        zichtbaar.order_by("?").values_list("leerling__achternaam", flat=True).distinct()[:50]
    )
    gebruikers = []
    for i in range(args.gebruikers):
        user, _ = User.objects.get_or_create(
            organisatie=org,
            username=f"belasting{i}",
            defaults={
                "rol": Rol.SWV_LOKET,
                "is_staff": True,
                "first_name": "Belasting",
                "last_name": str(i),
                "email": f"belasting{i}@example.org",
            },
        )
        user.set_password(WACHTWOORD)
        user.is_active = True
        user.save()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)
        gebruikers.append(
            Gebruiker(
                username=user.username,
                secret=secret_b32(device),
                hulpvragen=ids[i :: args.gebruikers],
                bag=bag[i :: args.gebruikers],
            )
        )
    return org, gebruikers, namen


# --- HTTP, as a browser behind the TLS proxy ------------------------------------------------------


def kop(g: Gebruiker, extra: dict | None = None) -> dict[str, str]:
    # Secure cookies are kept and sent here: the client speaks plain HTTP to gunicorn, the way
    # nginx does after ending TLS, and says so in X-Forwarded-Proto.
    h = {"X-Forwarded-Proto": "https", "Origin": f"https://{HOST}", "Referer": f"https://{HOST}/"}
    if g.cookies:
        h["Cookie"] = "; ".join(f"{k}={v}" for k, v in g.cookies.items())
    return {**h, **(extra or {})}


def bewaar_cookies(g: Gebruiker, response: httpx.Response) -> None:
    for regel in response.headers.get_list("set-cookie"):
        jar = http.cookies.SimpleCookie()
        jar.load(regel)
        for naam, morsel in jar.items():
            if morsel["max-age"] == "0" or not morsel.value:
                g.cookies.pop(naam, None)
            else:
                g.cookies[naam] = morsel.value


async def verzoek(client: httpx.AsyncClient, g: Gebruiker, methode: str, pad: str, **kw):
    response = await client.request(methode, BASIS + pad, headers=kop(g), **kw)
    bewaar_cookies(g, response)
    return response


def veld(html: str, naam: str) -> str:
    m = re.search(rf'name="{naam}" value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)" name="{naam}"', html
    )
    if not m:
        raise AssertionError(f"no field {naam}")
    return m.group(1)


async def inloggen(client: httpx.AsyncClient, g: Gebruiker, org: Organisatie) -> None:
    pagina = await verzoek(client, g, "GET", "/inloggen/")
    assert pagina.status_code == 200, pagina.status_code
    data = {
        "csrfmiddlewaretoken": veld(pagina.text, "csrfmiddlewaretoken"),
        "organisatie": org.code,
        "username": g.username,
        "password": WACHTWOORD,
        "code": pyotp.TOTP(g.secret).now(),
    }
    antwoord = await verzoek(client, g, "POST", "/inloggen/", data=data)
    assert antwoord.status_code == 302, (antwoord.status_code, antwoord.text[:500])
    start = await verzoek(client, g, "GET", "/hulpvragen/")
    assert start.status_code == 200, f"{g.username}: not logged in ({start.status_code})"


# --- The mix --------------------------------------------------------------------------------------


@dataclass
class Meting:
    soort: str
    ms: float
    fout: bool


Stap = Callable[[httpx.AsyncClient, Gebruiker], "asyncio.Future[list[Meting]]"]
NAMEN: list[str] = []


async def _een(client, g, soort: str, pad: str, verwacht: int = 200) -> Meting:
    t = time.perf_counter()
    r = await verzoek(client, g, "GET", pad)
    return Meting(soort, (time.perf_counter() - t) * 1000, r.status_code != verwacht)


async def lijst(client, g):
    return [await _een(client, g, "lijst", "/hulpvragen/?zoeken=1")]


async def zoeken(client, g):
    q = random.choice(NAMEN)
    return [await _een(client, g, "zoeken", f"/hulpvragen/?{httpx.QueryParams(zoeken=1, q=q)}")]


async def detail(client, g):
    return [await _een(client, g, "hulpvraag", f"/hulpvragen/{random.choice(g.hulpvragen)}/")]


async def tab(client, g):
    pk = random.choice(g.hulpvragen)
    soort = random.choice(("basisgegevens", "schoolgegevens", "hulpvraag"))
    return [await _een(client, g, "tab", f"/hulpvragen/{pk}/{soort}/")]


async def status_wijzigen(client, g):
    """The Status wijzigen page, then its post: the same status with a new meeting date (the
    engine's check wants a date in the toelichting); writes the history row and the outbox."""
    pk = g.bag[0]
    g.bag.append(g.bag.pop(0))
    t = time.perf_counter()
    pagina = await verzoek(client, g, "GET", f"/hulpvragen/{pk}/status/wijzigen/")
    m1 = Meting("statuspagina", (time.perf_counter() - t) * 1000, pagina.status_code != 200)
    if m1.fout:
        return [m1]
    gezien = veld(pagina.text, "gezien_status")
    data = {
        "csrfmiddlewaretoken": veld(pagina.text, "csrfmiddlewaretoken"),
        "eenmalig": veld(pagina.text, "eenmalig"),
        "gezien_status": gezien,
        "naar": gezien,
        "toelichting": f"Vergadering op {random.randint(1, 28):02d}-03-2027.",
    }
    t = time.perf_counter()
    r = await verzoek(client, g, "POST", f"/hulpvragen/{pk}/status/wijzigen/", data=data)
    ok = r.status_code == 302 and r.headers.get("location", "").endswith(f"/hulpvragen/{pk}/")
    return [m1, Meting("statuswijziging", (time.perf_counter() - t) * 1000, not ok)]


# Weights: what a loket's day looks like — mostly the list and hulpvragen, some searching,
# a status change now and then. Another kind of request is one more row here.
MIX: list[tuple[Stap, int]] = [
    (lijst, 30),
    (zoeken, 15),
    (detail, 25),
    (tab, 20),
    (status_wijzigen, 10),
]


# --- CPU of the server side -----------------------------------------------------------------------


class CpuTeller:
    """CPU seconds of gunicorn's workers and their PostgreSQL backends, sampled: a process seen
    at the start counts from its value then, one that appears later from zero, one that ends with
    its last sample."""

    def __init__(self, arbiter: int, db_url: str):
        self.arbiter = arbiter
        self.db = psycopg.connect(db_url, autocommit=True)
        self.eigen = self.db.info.backend_pid
        self.start: dict[int, float] = {}
        self.laatst: dict[int, float] = {}
        self.soort: dict[int, str] = {}

    def _pids(self) -> dict[int, str]:
        pids = {pid: "web" for pid in cpu.kinderen(self.arbiter)}
        rijen = self.db.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend' AND pid <> %s",
            [self.eigen],
        ).fetchall()
        pids.update({pid: "db" for (pid,) in rijen})
        return pids

    def begin(self) -> None:
        for pid, soort in self._pids().items():
            self.start[pid] = self.laatst[pid] = cpu.cpu_seconden(pid)
            self.soort[pid] = soort

    def monster(self) -> None:
        for pid, soort in self._pids().items():
            waarde = cpu.cpu_seconden(pid)
            if waarde:
                self.start.setdefault(pid, 0.0)
                self.soort.setdefault(pid, soort)
                self.laatst[pid] = waarde

    def totaal(self) -> dict[str, float]:
        uit = {"web": 0.0, "db": 0.0}
        for pid, begin in self.start.items():
            uit[self.soort[pid]] += self.laatst[pid] - begin
        return uit


# --- Running --------------------------------------------------------------------------------------


def gunicorn_starten() -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCH_")}
    env.update(
        {
            "REDIS_URL": REDIS_URL,
            "GUNICORN_BIND": HOST,
            "BEHIND_TLS_PROXY": "true",
            "TRUSTED_PROXY_IPS": "127.0.0.1",
            # Workers are not recycled during a run: a recycled worker's CPU would be read up to
            # its last sample only and its first requests are cold.
            "GUNICORN_MAX_REQUESTS": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "kindkans.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(VAR_DIR / "gunicorn.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )


def wacht_op(proces: subprocess.Popen) -> None:
    for _ in range(300):
        if proces.poll() is not None:
            raise SystemExit(f"gunicorn stopped: see {VAR_DIR / 'gunicorn.log'}")
        try:
            if httpx.get(f"{BASIS}/gezond/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /gezond/")


def kies() -> Stap:
    stappen, gewichten = zip(*MIX, strict=True)
    return random.choices(stappen, gewichten)[0]


async def belasten(gebruikers, tot: float, metingen: list[Meting] | None) -> None:
    async def gebruiker(g: Gebruiker, client: httpx.AsyncClient):
        while time.monotonic() < tot:
            uitslag = await kies()(client, g)
            if metingen is not None and time.monotonic() < tot:
                metingen.extend(uitslag)

    clients = [httpx.AsyncClient(timeout=30) for _ in gebruikers]
    try:
        await asyncio.gather(*(gebruiker(g, c) for g, c in zip(gebruikers, clients, strict=True)))
    finally:
        for c in clients:
            await c.aclose()


def percentiel(waarden: list[float], p: float) -> float:
    """Nearest rank."""
    s = sorted(waarden)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def tabel(metingen: list[Meting], seconden: float | None) -> None:
    soorten = sorted(
        {m.soort for m in metingen}, key=lambda s: [m.soort for m in metingen].index(s)
    )
    kop_ = f"{'soort':<16}{'aantal':>7}{'per s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'fouten':>8}"
    print(kop_)
    print("-" * len(kop_))
    for soort in [*soorten, "alles"]:
        ms = [m for m in metingen if soort in ("alles", m.soort)]
        tijden = [m.ms for m in ms]
        per_s = f"{len(ms) / seconden:>8.1f}" if seconden else f"{'':>8}"
        print(
            f"{soort:<16}{len(ms):>7}{per_s}{statistics.median(tijden):>8.1f}"
            f"{percentiel(tijden, 95):>8.1f}{percentiel(tijden, 99):>8.1f}"
            f"{sum(m.fout for m in ms):>8}"
        )


async def hoofd(org, gebruikers, proces) -> int:
    async with httpx.AsyncClient(timeout=30) as client:
        for g in gebruikers:  # one after the other: each login is a password hash
            await inloggen(client, g, org)
    print(f"{len(gebruikers)} gebruikers ingelogd (wachtwoord + TOTP-code via de inlogpagina).")
    await belasten(gebruikers, time.monotonic() + args.opwarmen, None)

    teller = CpuTeller(proces.pid, DB_URL)
    metingen: list[Meting] = []
    load_voor = os.getloadavg()[0]
    teller.begin()
    t0 = time.monotonic()
    tot = t0 + args.duur

    async def bemonsteren():
        while time.monotonic() < tot:
            teller.monster()
            await asyncio.sleep(0.25)
        teller.monster()

    await asyncio.gather(belasten(gebruikers, tot, metingen), bemonsteren())
    seconden = time.monotonic() - t0
    teller.monster()
    cpu_s = teller.totaal()
    load_na = os.getloadavg()[0]
    n = len(metingen)
    web_ms, db_ms = cpu_s["web"] * 1000 / n, cpu_s["db"] * 1000 / n
    print(
        f"\nBelasting: {len(gebruikers)} gebruikers tegelijk, {seconden:.0f} s,"
        f" {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {load_voor:.1f}"
        f" → {load_na:.1f} op {os.cpu_count()} kernen.\n"
    )
    tabel(metingen, seconden)
    fouten = sum(m.fout for m in metingen)
    totaal_ms = web_ms + db_ms
    print(
        f"\nCPU per verzoek: {totaal_ms:.1f} ms (web {web_ms:.1f} + PostgreSQL {db_ms:.1f});"
        f" {n / seconden:.0f} verzoeken/s; op 2 vrije kernen ≈ {2000 / totaal_ms:.0f} verzoeken/s."
    )

    print(f"\nEén verzoek tegelijk ({args.enkel} per soort), load {os.getloadavg()[0]:.1f}:\n")
    enkel: list[Meting] = []
    g = gebruikers[0]
    async with httpx.AsyncClient(timeout=30) as client:
        for stap, _gewicht in MIX:
            for _ in range(args.enkel):
                enkel.extend(await stap(client, g))
    tabel(enkel, None)
    fouten += sum(m.fout for m in enkel)
    print(f"load average aan het eind: {os.getloadavg()[0]:.1f}")

    mislukt = []
    if fouten:
        mislukt.append(f"{fouten} fouten")
    if totaal_ms > DOEL_CPU_MS:
        mislukt.append(f"CPU {totaal_ms:.1f} ms per verzoek > {DOEL_CPU_MS} ms")
    if mislukt and not args.geen_drempel:
        print("NIET GEHAALD: " + "; ".join(mislukt))
        return 1
    print(
        "Doelen niet gehaald (alleen gerapporteerd): " + "; ".join(mislukt)
        if mislukt
        else f"Doel gehaald: ≤ {DOEL_CPU_MS} CPU-ms per verzoek, 0 fouten."
    )
    return 0


def main() -> int:
    with connection.cursor() as c:
        c.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
        if not c.fetchone()[0]:
            print("Geen dataset: zaai eerst met benchmarks/hulpvragen_screen.py.")
            return 2
    VAR_DIR.mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    org, gebruikers, namen = voorbereiden()
    NAMEN.extend(namen)
    connection.close()
    proces = gunicorn_starten()
    try:
        wacht_op(proces)
        return asyncio.run(hoofd(org, gebruikers, proces))
    finally:
        os.killpg(proces.pid, signal.SIGTERM)
        proces.wait(timeout=60)
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()  # the outbox tasks this run queued


if __name__ == "__main__":
    sys.exit(main())
