"""The production smoke: Kindkans started the way an installation runs it, then used over HTTPS.

`make smoke` (and .ci/run, after the two test suites) runs this file. It is not a pytest test and
`make test` does not collect it (pytest's testpaths is tests/).

Started as real processes, each in a process group of its own, all bound to 127.0.0.1 and all
killed at the end, also when a step fails or the run is interrupted:

- nginx (Debian's package) with a throwaway self-signed certificate: the only listener the
  clients talk to (the others are internal); the server block is
  deploy/nginx/kindkans.conf.template, the file docker-compose.yml uses;
- gunicorn with deploy/gunicorn.conf.py and production settings: DEBUG off, a random SECRET_KEY,
  secure cookies, HTTPS redirect, HSTS, behind the proxy (BEHIND_TLS_PROXY, TRUSTED_PROXY_HOPS);
- PostgreSQL: a database of its own on the machine's server (created here, dropped at the end);
- Redis: a database number of its own (SMOKE_REDIS_URL), flushed before and after;
- one Celery worker and one beat;
- attachments on S3 through django-storages, against moto in server mode (the stand-in for a
  real S3 service: the same HTTP API, the same application code path);
- mail to an aiosmtpd SMTP server.

Then every step a school and the loket take is done with a real HTTP client through nginx and
asserted, the worker is SIGKILLed in the middle of rendering a letter, a backup is restored and
served by a second gunicorn and nginx, and 20 slow downloads are measured against page latency;
docs/operations.md ("The production smoke") and README.md ("Running it for real") describe the
steps. Any missing binary or service is a failure, never a skip.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NGINX_TEMPLATE = "deploy/nginx/kindkans.conf.template"
GUNICORN_CONFIG = "deploy/gunicorn.conf.py"
#: The topology this smoke starts, by the service names of docker-compose.yml: what each runs.
#: tests/kindkans/test_deploy_files.py checks the compose file against it.
TOPOLOGIE = {
    "proxy": "nginx",
    "web": f"gunicorn -c {GUNICORN_CONFIG} kindkans.wsgi:application",
    "worker": "celery -A kindkans worker",
    "beat": "celery -A kindkans beat",
    "postgres": "postgres",
    "redis": "redis",
}
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("SMOKE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/14")
DEMO_PASSWORD = "Kindkans-demo-2026"
ORGANISATIE = "VO2505"
T0 = time.monotonic()


CLIENT_ADDRESS = "127.0.0.2"


def log(message: str) -> None:
    print(f"[smoke {time.monotonic() - T0:6.1f}s] {message}", flush=True)


class SmokeFailure(AssertionError):
    pass


def check(condition: object, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what: str, probe, timeout: float = 60.0, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            result = probe()
        except Exception as exc:  # noqa: BLE001 - a probe failing is what we wait out
            last = exc
        else:
            if result:
                return result
        time.sleep(interval)
    raise SmokeFailure(f"timed out after {timeout:.0f}s waiting for {what} (last: {last!r})")


def nginx_binary() -> str:
    """Debian's nginx lives in /usr/sbin, which a non-root PATH may lack."""
    if Path("/usr/sbin/nginx").exists() and not shutil.which("nginx"):
        return "/usr/sbin/nginx"
    return need_binary("nginx")


def need_binary(name: str) -> str:
    path = shutil.which(name)
    check(path, f"{name} is not installed (CI installs it in .ci/run)")
    return path


# --- Processes -----------------------------------------------------------------------------------


@dataclass
class Proces:
    name: str
    argv: list[str]
    env: dict[str, str]
    logfile: Path
    popen: subprocess.Popen | None = None

    def start(self) -> Proces:
        out = self.logfile.open("ab")
        # A process group of its own: stopping it (or SIGKILLing the worker mid-task) reaches
        # every child, such as gunicorn's workers, the Celery pool and LibreOffice.
        self.popen = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        out.close()
        return self

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)

    def stop(self, timeout: float = 10.0) -> None:
        if self.popen is None:
            return
        self.kill(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout)
        # Whatever is left of the group (also children that outlived their parent) goes now.
        self.kill(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(5)

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass
class Omgeving:
    """Everything the smoke started; `close` undoes all of it."""

    tmp: Path
    processen: list[Proces] = field(default_factory=list)
    databases: list[str] = field(default_factory=list)
    opruimen: list = field(default_factory=list)

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> Proces:
        proces = Proces(name, argv, env, self.tmp / f"{name}.log").start()
        self.processen.append(proces)
        return proces

    def close(self) -> None:
        # SIGTERM to every group at once, a common grace period, then SIGKILL to what is left.
        for proces in reversed(self.processen):
            proces.kill(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proces in self.processen:
            if proces.popen is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proces.popen.wait(max(0.0, deadline - time.monotonic()))
        for proces in self.processen:
            proces.stop(timeout=0)
        for stap in reversed(self.opruimen):
            with contextlib.suppress(Exception):
                stap()
        for naam in self.databases:
            with contextlib.suppress(Exception):
                pg_execute(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')

    def dump_logs(self) -> None:
        for proces in self.processen:
            print(f"----- last lines of {proces.name} ({proces.logfile}) -----", file=sys.stderr)
            print(proces.tail(), file=sys.stderr)


def pg_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def database_url(naam: str) -> str:
    base, _, _ = PG_URL.rpartition("/")
    return f"{base}/{naam}"


# --- The pieces --------------------------------------------------------------------------------


def self_signed_certificate(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "tls.crt", tmp / "tls.key"
    subprocess.run(
        [
            need_binary("openssl"),
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def render_template(values: dict[str, str]) -> str:
    """deploy/nginx/kindkans.conf.template with ${KINDKANS_*} filled in, as envsubst does in
    the nginx image; nginx's own $variables stay."""
    text = (ROOT / NGINX_TEMPLATE).read_text()

    def vervang(match: re.Match) -> str:
        return values[match.group(1)]

    return re.sub(r"\$\{(KINDKANS_[A-Z_]+)\}", vervang, text)


def start_nginx(omgeving: Omgeving, naam: str, values: dict[str, str]) -> Proces:
    nginx = nginx_binary()
    prefix = omgeving.tmp / naam
    prefix.mkdir()
    (prefix / "site.conf").write_text(render_template(values))
    # Run as root (CI is): the workers then stay root too, so that they can read the private
    # attachment folder (0700) the application wrote as the same user. In compose nginx runs as
    # its own user in the application's group (docs/operations.md).
    user = "user root root;" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"""{user}
daemon off;
worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    default_type application/octet-stream;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    sendfile on;
    include {prefix}/site.conf;
}}
"""
    )
    test = subprocess.run(
        [nginx, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    check(test.returncode == 0, f"nginx -t refuses the configuration:\n{test.stderr}")
    return omgeving.start(naam, [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], {})


class Mailbox:
    """An aiosmtpd SMTP server on 127.0.0.1 that keeps every message it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list = []
        self.lock = threading.Lock()
        self.port = free_port()
        mailbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
                with mailbox.lock:
                    mailbox.messages.append(
                        (list(envelope.rcpt_tos), message_from_bytes(envelope.content))
                    )
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def snapshot(self) -> list:
        with self.lock:
            return list(self.messages)

    def stop(self) -> None:
        self.controller.stop()


# --- The HTTP client -----------------------------------------------------------------------------


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One person's session over HTTPS: cookies, CSRF token from the page, Origin on posts, as
    a browser sends them."""

    def __init__(self, base: str, cert: Path, naam: str) -> None:
        import httpx

        self.base = base
        self.naam = naam
        # From an address of its own (127.0.0.2, loopback too): the audit log and the lockout
        # must record that one, which only nginx's X-Forwarded-For tells the application.
        transport = httpx.HTTPTransport(verify=str(cert), local_address=CLIENT_ADDRESS)
        self.client = httpx.Client(base_url=base, transport=transport, timeout=30.0)

    def get(self, path: str, **kw):
        return self.client.get(path, **kw)

    def page(self, path: str, status: int = 200) -> str:
        response = self.client.get(path)
        check(
            response.status_code == status,
            f"{self.naam}: GET {path} answered {response.status_code}, expected {status}",
        )
        return response.text

    def post(self, path: str, data: dict | None = None, *, page: str | None = None, **kw):
        """POST a form on `path` with the CSRF token of `page` (or of a fresh GET of `path`)."""
        html = page if page is not None else self.page(path)
        token = CSRF_RE.search(html)
        check(token, f"{self.naam}: no CSRF token on the page for {path}")
        payload = {"csrfmiddlewaretoken": token.group(1), **(data or {})}
        headers = {"Origin": self.base, **kw.pop("headers", {})}
        return self.client.post(path, data=payload, headers=headers, **kw)

    def close(self) -> None:
        self.client.close()


def totp_now(secret: str, after_step: int = -1) -> tuple[str, int]:
    """The code an authenticator app shows now (pyotp, independent of the server's code), or
    the next time step's when this one was used already."""
    import pyotp

    totp = pyotp.TOTP(secret)
    while True:
        step = int(time.time()) // 30
        if step > after_step:
            return totp.at(step * 30), step
        time.sleep(30 - time.time() % 30 + 0.2)


@dataclass
class Persoon:
    browser: Browser
    username: str
    secret: str = ""
    last_step: int = -1


def enrol(base: str, cert: Path, username: str) -> Persoon:
    """First login as a user does it: organisation, username, password, no code yet; the app
    is linked by scanning (here: reading the secret shown under the QR code) and confirming."""
    browser = Browser(base, cert, username)
    response = browser.post(
        "/inloggen/",
        {"organisatie": ORGANISATIE, "username": username, "password": DEMO_PASSWORD, "code": ""},
    )
    check(
        response.status_code == 302 and "/inloggen/koppelen/" in response.headers["location"],
        f"{username}: password step did not lead to linking an app ({response.status_code})",
    )
    koppelen = browser.page(response.headers["location"])
    secret = re.search(r'data-geheim="([A-Z2-7]+)"', koppelen)
    check(secret, f"{username}: no secret on the Koppelen page")
    code, step = totp_now(secret.group(1))
    response = browser.post("/inloggen/koppelen/", {"code": code}, page=koppelen)
    check(
        response.status_code == 200 and "reservecode" in response.text.lower(),
        f"{username}: confirming the app failed ({response.status_code})",
    )
    check(browser.get("/").status_code == 200, f"{username}: start page after login")
    return Persoon(browser, username, secret.group(1), step)


def login(base: str, cert: Path, persoon: Persoon) -> Browser:
    """A later login on the one login screen: organisation, username, password and the code."""
    browser = Browser(base, cert, persoon.username)
    code, persoon.last_step = totp_now(persoon.secret, persoon.last_step)
    response = browser.post(
        "/inloggen/",
        {
            "organisatie": ORGANISATIE,
            "username": persoon.username,
            "password": DEMO_PASSWORD,
            "code": code,
        },
    )
    check(
        response.status_code == 302 and "/inloggen" not in response.headers["location"],
        f"{persoon.username}: login with the code failed ({response.status_code})",
    )
    return browser


# --- Reading pages and the database ---------------------------------------------------------------


def field_value(html: str, name: str) -> str:
    """The value of the input named `name` on a page."""
    for tag in re.findall(r"<input[^>]*>", html):
        if re.search(rf'name="{re.escape(name)}"', tag):
            value = re.search(r'value="([^"]*)"', tag)
            return unescape(value.group(1)) if value else ""
    raise SmokeFailure(f"no input {name!r} on the page")


def first_option(html: str, name: str) -> str:
    """The selected option of the select `name`, else its first non-empty one."""
    select = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    check(select, f"no select {name!r} on the page")
    options = re.findall(r'<option value="([^"]+)"([^>]*)>', select.group(1))
    check(options, f"select {name!r} offers nothing")
    return next((v for v, attrs in options if "selected" in attrs), options[0][0])


def status_choice(html: str, naam: str) -> str:
    """The id of the target status `naam` on the Status wijzigen page."""
    match = re.search(rf'<label for="naar-(\d+)">{re.escape(naam)}', html)
    check(match, f"Status wijzigen does not offer “{naam}”")
    return match.group(1)


def fouten(response) -> list[str]:
    """The error messages on a refused form page, for the failure message."""
    text = re.sub(
        r"<[^>]+>",
        " ",
        " ".join(re.findall(r'class="[^"]*fout[^"]*"[^>]*>(.*?)</', response.text, re.S)),
    )
    return [" ".join(text.split())] if text.strip() else [response.text[:300]]


def bsn() -> str:
    """A random number that passes the 11-proef, as a real BSN does."""
    while True:
        digits = [secrets.randbelow(10) for _ in range(8)]
        digits[0] = digits[0] or 1
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10:
            return "".join(map(str, digits)) + str(last)


def pdf_bytes(text: str, size: int) -> bytes:
    """A small real PDF, padded with a comment to `size` bytes."""
    head = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% " + text.encode() + b"\n"
    )
    tail = b"trailer << /Root 1 0 R >>\n%%EOF\n"
    padding = max(0, size - len(head) - len(tail) - 3)
    return head + b"% " + b"x" * padding + b"\n" + tail


class Database:
    """Read-only questions to the smoke's database, to count what the steps left behind."""

    def __init__(self, naam: str) -> None:
        self.url = database_url(naam)

    def rows(self, sql: str, *params) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as conn:
            return conn.execute(sql, params).fetchall()

    def value(self, sql: str, *params):
        rows = self.rows(sql, *params)
        return rows[0][0] if rows else None


# --- The run -------------------------------------------------------------------------------------


def app_env(
    *,
    tmp: Path,
    database: str,
    https_port: int,
    extra: dict[str, str],
) -> dict[str, str]:
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TZ") if k in os.environ}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "localhost",
            "CSRF_TRUSTED_ORIGINS": f"https://localhost:{https_port}",
            "SITE_URL": f"https://localhost:{https_port}",
            "DATABASE_URL": database_url(database),
            "KINDKANS_VAR_DIR": str(tmp / "var"),
            "BEHIND_TLS_PROXY": "true",
            "TRUSTED_PROXY_HOPS": "1",
            "TRUSTED_PROXY_IPS": "127.0.0.1",
            "SESSION_COOKIE_SECURE": "true",
            "CSRF_COOKIE_SECURE": "true",
            "SECURE_SSL_REDIRECT": "true",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    check(
        result.returncode == 0,
        f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
    )
    return result.stdout


def start_web(omgeving: Omgeving, naam: str, env: dict[str, str], port: int) -> Proces:
    return omgeving.start(
        naam,
        [str(BIN / "python"), "-m", *TOPOLOGIE["web"].split()],
        {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "3"},
    )


def wait_healthy(base: str, cert: Path, proces: Proces) -> None:
    import httpx

    def probe() -> bool:
        check(proces.alive(), f"{proces.name} exited:\n{proces.tail()}")
        return httpx.get(f"{base}/gezond/", verify=str(cert), timeout=5).text == "ok"

    wait_for(f"{base}/gezond/ through nginx", probe, timeout=60)


def start_moto(omgeving: Omgeving) -> tuple[str, object]:
    """moto in server mode: the S3 stand-in, over real HTTP on 127.0.0.1."""
    import boto3

    port = free_port()
    moto = omgeving.start(
        "moto-s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], dict(os.environ)
    )
    endpoint = f"http://127.0.0.1:{port}"
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id="smoke",
        aws_secret_access_key="smoke-secret",
    )

    def up() -> bool:
        check(moto.alive(), f"moto_server exited:\n{moto.tail()}")
        s3.list_buckets()
        return True

    wait_for("moto S3 server", up, timeout=60)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    return endpoint, s3


BUCKET = "kindkans-smoke-bijlagen"


def redis_flush() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).flushdb()
    except Exception as exc:
        raise SmokeFailure(f"Redis is not reachable at {REDIS_URL}: {exc}") from exc


def start_worker(omgeving: Omgeving, env: dict[str, str], naam: str = "worker") -> Proces:
    worker = omgeving.start(
        naam,
        [
            str(BIN / "python"),
            "-m",
            *TOPOLOGIE["worker"].split(),
            "--loglevel=INFO",
            "--concurrency=1",
            f"--hostname={naam}@smoke",
        ],
        env,
    )
    wait_for(
        f"Celery {naam} ready",
        lambda: (
            check(worker.alive(), f"{naam} exited:\n{worker.tail()}")
            or " ready." in worker.logfile.read_text(errors="replace")
        ),
        timeout=90,
    )
    return worker


def group_has(proces: Proces, needle: str) -> bool:
    """Whether a process of `proces`'s group runs `needle` (e.g. LibreOffice under the worker)."""
    pgid = proces.popen.pid
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != pgid:
                continue
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ProcessLookupError):
            continue
        if needle in cmdline:
            return True
    return False


def run(omgeving: Omgeving) -> dict:
    tmp = omgeving.tmp
    figures: dict = {}
    nginx_binary()
    for name in ("openssl", "soffice", "pg_dump", "pg_restore"):
        need_binary(name)

    # PostgreSQL: a database of its own. Redis: a database number of its own, emptied.
    naam = f"kindkans_smoke_{secrets.token_hex(4)}"
    try:
        pg_execute(f'CREATE DATABASE "{naam}"')
    except Exception as exc:
        raise SmokeFailure(f"PostgreSQL is not reachable at {PG_URL}: {exc}") from exc
    omgeving.databases.append(naam)
    db = Database(naam)
    redis_flush()
    omgeving.opruimen.append(redis_flush)
    log(f"PostgreSQL database {naam}, Redis {REDIS_URL}")

    s3_endpoint, s3 = start_moto(omgeving)
    log(f"S3 stand-in (moto server) on {s3_endpoint}, bucket {BUCKET}")

    cert, key = self_signed_certificate(tmp)
    https_port, web_port = free_port(), free_port()
    base = f"https://localhost:{https_port}"
    mailbox = Mailbox()
    omgeving.opruimen.append(mailbox.stop)
    env = app_env(
        tmp=tmp,
        database=naam,
        https_port=https_port,
        extra={
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mailbox.port),
            "EMAIL_USE_TLS": "false",
            "REDIS_URL": REDIS_URL,
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": s3_endpoint,
            "S3_REGION": "eu-west-1",
            "S3_ACCESS_KEY_ID": "smoke",
            "S3_SECRET_ACCESS_KEY": "smoke-secret",
            # A task killed mid-way comes back after this many seconds (production: an hour).
            "CELERY_VISIBILITY_TIMEOUT": "20",
            "CELERY_UNACKED_RESTORE_THROTTLE": "1",
            # The outbox relay (beat) picks up unsent mail quickly in the smoke.
            "NOTIFICATIE_RELAY_SECONDEN": "5",
            "NOTIFICATIE_RELAY_WACHT_SECONDEN": "5",
        },
    )
    (tmp / "var").mkdir()

    manage(env, "check", "--deploy", "--fail-level", "WARNING")
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    manage(env, "demo")
    log("check --deploy clean, migrated, static files collected, demo data loaded")

    web = start_web(omgeving, "gunicorn", env, web_port)
    start_nginx(
        omgeving,
        "nginx",
        {
            "KINDKANS_LISTEN": f"127.0.0.1:{https_port}",
            "KINDKANS_SERVER_NAME": "localhost",
            "KINDKANS_TLS_CERT": str(cert),
            "KINDKANS_TLS_KEY": str(key),
            "KINDKANS_UPSTREAM": f"127.0.0.1:{web_port}",
            "KINDKANS_BIJLAGEN_DIR": str(tmp / "var" / "bijlagen"),
        },
    )
    worker = start_worker(omgeving, env)
    omgeving.start(
        "beat",
        [
            str(BIN / "python"),
            "-m",
            *TOPOLOGIE["beat"].split(),
            "--loglevel=INFO",
            f"--schedule={tmp / 'celerybeat-schedule'}",
        ],
        env,
    )
    wait_healthy(base, cert, web)
    log(f"nginx (TLS) on {base} → gunicorn 127.0.0.1:{web_port}; worker and beat running")

    import httpx

    # Only nginx speaks to the outside, and only TLS; secure cookies, HSTS.
    plain = httpx.get(f"http://127.0.0.1:{https_port}/", timeout=5)
    check(plain.status_code == 400, f"plain HTTP on the TLS port answered {plain.status_code}")
    anonymous = httpx.get(f"{base}/inloggen/", verify=str(cert), timeout=10)
    check(anonymous.status_code == 200, f"login page: {anonymous.status_code}")
    check("max-age=31536000" in anonymous.headers.get("strict-transport-security", ""), "HSTS")
    check("nginx/" not in anonymous.headers.get("server", ""), "nginx shows its version")
    csrf_cookie = anonymous.headers.get("set-cookie", "")
    check("csrftoken" in csrf_cookie and "Secure" in csrf_cookie, "CSRF cookie is not Secure")

    # --- Everyone links an authenticator app on first login (TOTP, pyotp as the phone).
    mensen = {u: enrol(base, cert, u) for u in USERS}
    school = mensen["coordinator"].browser
    session = [c for c in school.client.cookies.jar if c.name == "sessionid"]
    check(session and session[0].secure, "session cookie is not Secure")
    log(f"{', '.join(USERS)} linked an authenticator app (TOTP) and are logged in")

    # --- The school: Toevoegen → the wizard → a TLV VSO hulpvraag.
    response = school.post(
        "/hulpvragen/toevoegen/dossier/", page=school.page("/hulpvragen/toevoegen/?q=Smoketest")
    )
    check(response.status_code == 302, f"Dossier toevoegen: {response.status_code}")
    stap = response.headers["location"]
    if not stap.rstrip("/").endswith("basisgegevens"):
        stap = school.get(stap).headers.get("location", stap)
    concept = re.search(r"/concept/(\d+)/", stap)
    check(concept, f"no concept in {stap}")
    concept_url = f"/hulpvragen/toevoegen/concept/{concept.group(1)}"
    response = school.post(
        f"{concept_url}/basisgegevens/",
        {
            "voornamen": "Sam",
            "roepnaam": "Sam",
            "tussenvoegsel": "",
            "achternaam": "Smoketest",
            "geboortedatum": "14-03-2011",
            "geslacht": "V",
            "bsn": bsn(),
            "onderwijsnummer": "",
            "straat": "Hoofdstraat",
            "huisnummer": "12",
            "postcode": "7311AB",
            "woonplaats": "Apeldoorn",
        },
    )
    check(response.status_code == 302, f"Basisgegevens: {response.status_code} {fouten(response)}")
    page = school.page(f"{concept_url}/schoolgegevens/")
    response = school.post(
        f"{concept_url}/schoolgegevens/",
        {
            "school": first_option(page, "school"),
            "leerjaar_groep": "2",
            "doublures": "0",
            "aanvrager": first_option(page, "aanvrager"),
            "contactpersoon": "Zorgcoördinator",
            "email": SCHOOL_EMAIL,
            "telefoon": "",
        },
        page=page,
    )
    check(response.status_code == 302, f"Schoolgegevens: {response.status_code}")
    response = school.post(f"{concept_url}/hulpvraag/", {"type": "TLV_VSO", "omschrijving": ""})
    detail = response.headers.get("location", "")
    match = re.fullmatch(r"/hulpvragen/(\d+)/", detail)
    check(response.status_code == 302 and match, f"Hulpvraag step: {response.status_code} {detail}")
    hv = int(match.group(1))
    check(
        "TLV voorlopige aanvraag" in school.page(detail), "new hulpvraag not in voorlopige aanvraag"
    )
    log(f"the school created a dossier and TLV VSO hulpvraag {hv} through the wizard")

    # --- Bijlagen: uploaded through nginx into the bucket, encrypted at rest, private.
    lijst = f"/hulpvragen/{hv}/bijlagen/"
    opp = pdf_bytes("OPP van de smoke", 300_000)
    ouders = pdf_bytes("Aanvraagformulier door ouders ondertekend", 20_000)
    response = school.post(
        lijst,
        {"documentsoort_bestand": ["ouderformulier", "opp"]},
        files=[
            ("bestanden", ("aanvraagformulier-ouders.pdf", ouders, "application/pdf")),
            ("bestanden", ("opp.pdf", opp, "application/pdf")),
        ],
    )
    check(response.status_code == 302, f"upload: {response.status_code} {fouten(response)}")
    bijlagen = db.rows(
        "SELECT id, sleutel, documentsoort FROM bijlagen_bijlage WHERE hulpvraag_id = %s "
        "ORDER BY id",
        hv,
    )
    check([b[2] for b in bijlagen] == ["ouderformulier", "opp"], f"bijlagen rows: {bijlagen}")
    opp_id, opp_key = bijlagen[1][0], bijlagen[1][1]
    head = s3.head_object(Bucket=BUCKET, Key=opp_key)
    check(head.get("ServerSideEncryption") == "AES256", f"not encrypted at rest: {head}")
    check(head["ContentLength"] == len(opp), "object size differs from the upload")
    anoniem = httpx.get(f"{s3_endpoint}/{BUCKET}/{opp_key}")
    check(anoniem.status_code == 403, f"anonymous S3 GET answered {anoniem.status_code}")
    log(f"2 bijlagen in bucket {BUCKET}: ServerSideEncryption AES256, anonymous GET 403")

    # --- Download: after the access check and audit record, a presigned URL of 60 s.
    inzage_voor = db.value("SELECT count(*) FROM audit_bijlageinzage WHERE bijlage_id = %s", opp_id)
    response = school.get(f"{lijst}{opp_id}/download/")
    check(response.status_code == 302, f"download answered {response.status_code}")
    location = response.headers["location"]
    check(location.startswith(s3_endpoint) and "X-Amz-Expires=60" in location, location)
    check("Smoketest" not in location and "opp.pdf" not in location, "file name in the URL")
    fetched = httpx.get(location)
    check(fetched.status_code == 200 and fetched.content == opp, "presigned URL gives other bytes")
    check(fetched.headers["content-type"] == "application/pdf", fetched.headers["content-type"])
    check(fetched.headers["content-disposition"].startswith("attachment"), "not an attachment")
    inzage_na = db.value("SELECT count(*) FROM audit_bijlageinzage WHERE bijlage_id = %s", opp_id)
    check(inzage_na == inzage_voor + 1, "download not recorded")
    ip = db.value(
        "SELECT ip_adres FROM audit_bijlageinzage WHERE bijlage_id = %s ORDER BY id DESC", opp_id
    )
    check(str(ip) == CLIENT_ADDRESS, f"audit log has {ip!r}, not the client's address")
    # A client's own X-Forwarded-For does not become its address (nginx appends the real one).
    school.get(f"{lijst}{opp_id}/download/", headers={"X-Forwarded-For": "192.0.2.66"})
    ip = db.value(
        "SELECT ip_adres FROM audit_bijlageinzage WHERE bijlage_id = %s ORDER BY id DESC", opp_id
    )
    check(str(ip) == CLIENT_ADDRESS, f"a spoofed X-Forwarded-For reached the audit log: {ip}")
    # The login lockout counts per client address too: a wrong password from this client.
    indringer = Browser(base, cert, "indringer")
    response = indringer.post(
        "/inloggen/",
        {"organisatie": ORGANISATIE, "username": "loket", "password": "fout", "code": ""},
        headers={"X-Forwarded-For": "192.0.2.67"},
    )
    check(response.status_code == 200, f"wrong password answered {response.status_code}")
    tellers = db.rows("SELECT ip, mislukt FROM accounts_inlogteller WHERE gebruikersnaam = 'loket'")
    check(
        [(str(ip), n) for ip, n in tellers] == [(CLIENT_ADDRESS, 1)],
        f"lockout counter: {tellers}",
    )
    indringer.close()
    log(
        f"download: presigned S3 URL (60 s, attachment, application/pdf); the audit log and the "
        f"lockout record the client's {CLIENT_ADDRESS} (behind nginx), not a spoofed address"
    )

    # --- The form: the school fills it in (the answers the form tests use), the bestuurder
    # signs with a code from the app.
    formulier = db.value("SELECT id FROM formulieren_formulier WHERE hulpvraag_id = %s", hv)
    check(formulier, "no form attached to the TLV VSO hulpvraag")
    bestuurder_id = db.value(
        "SELECT u.id FROM accounts_user u JOIN organisaties_organisatie o "
        "ON o.id = u.organisatie_id WHERE u.username = 'bestuurder' AND o.code = %s",
        ORGANISATIE,
    )
    antwoorden = json.loads(
        shell(
            env,
            "import json; from formulieren.models import Formulier; "
            "from tests.formulieren.conftest import volledige_post; "
            "from accounts.models import User; "
            f"f = Formulier.objects.get(pk={formulier}); "
            f"u = User.objects.get(pk={bestuurder_id}); "
            "print(json.dumps(volledige_post(f, ondertekenaar=u)))",
        )
    )
    response = school.post(f"/formulieren/{formulier}/bewerken/", antwoorden)
    check(response.status_code == 302, f"saving the form: {response.status_code}")
    bestuurder = mensen["bestuurder"]
    code, bestuurder.last_step = totp_now(bestuurder.secret, bestuurder.last_step)
    response = bestuurder.browser.post(f"/formulieren/{formulier}/ondertekenen/", {"code": code})
    check(response.status_code == 302, f"signing: {response.status_code} {fouten(response)}")
    log("form saved by the school and signed by the bestuurder with a TOTP code")

    # --- Indienen (school), Compleet (loket): each a status change with mail to the school.
    def status_wijzigen(browser: Browser, naar: str, toelichting: str = "") -> None:
        url = f"/hulpvragen/{hv}/status/wijzigen/"
        page = browser.page(url)
        response = browser.post(
            url,
            {
                "naar": status_choice(page, naar),
                "toelichting": toelichting,
                "gezien_status": field_value(page, "gezien_status"),
            },
            page=page,
        )
        check(response.status_code == 302, f"{browser.naam}: “{naar}” {response.status_code}")
        check(naar in browser.page(f"/hulpvragen/{hv}/"), f"status is not “{naar}”")

    status_wijzigen(school, "TLV aanvraag indienen")
    loket = mensen["loket"].browser
    status_wijzigen(loket, "TLV aanvraag compleet")
    log("submitted by the school; the loket found it complete")

    # --- Two deskundigen assigned by the loket; both advise.
    ids = dict(
        db.rows(
            "SELECT u.username, u.id FROM accounts_user u JOIN organisaties_organisatie o "
            "ON o.id = u.organisatie_id WHERE o.code = %s AND u.username IN ('deskundige', "
            "'kinderarts')",
            ORGANISATIE,
        )
    )
    besluit = f"/hulpvragen/{hv}/besluit/"
    for volgorde, (wie, discipline) in enumerate(
        [("deskundige", "orthopedagoog"), ("kinderarts", "kinderarts")], start=1
    ):
        response = loket.post(
            besluit,
            {
                "actie": "toewijzen",
                "volgorde": volgorde,
                "deskundige": ids[wie],
                "discipline": discipline,
            },
        )
        check(response.status_code == 302, f"toewijzen {wie}: {response.status_code}")
    for wie in ("deskundige", "kinderarts"):
        response = mensen[wie].browser.post(
            f"/hulpvragen/{hv}/advies/",
            {
                "toelaatbaar": "ja",
                "bekostigingscategorie": "midden",
                "duur_schooljaren": "2",
                "motivering": "Past bij het VSO.",
            },
        )
        check(response.status_code == 302, f"advies {wie}: {response.status_code}")
    log("two deskundigen assigned and advised")

    # --- The decision: TLV vastleggen. The worker renders the letter's PDF with LibreOffice;
    # it is SIGKILLed in the middle of that, started again, and the work is done exactly once.
    mails_voor = len(mailbox.snapshot())
    page = loket.page(besluit)
    vandaag = time.strftime("%d-%m-%Y")
    response = loket.post(
        besluit,
        {
            "actie": "tlv",
            "gezien_status": field_value(page, "gezien_status"),
            "bekostigingscategorie": "midden",
            "ingangsdatum": vandaag,
            "einddatum": "",
            "besluitdatum": vandaag,
            "toelichting": "",
        },
        page=page,
    )
    check(response.status_code == 302, f"TLV vastleggen: {response.status_code} {fouten(response)}")
    tlv = db.value(
        "SELECT id FROM besluiten_toelaatbaarheidsverklaring WHERE hulpvraag_id = %s", hv
    )
    check(tlv, "no TLV recorded")
    wait_for("LibreOffice at work under the worker", lambda: group_has(worker, "soffice"), 60, 0.05)
    worker.kill(signal.SIGKILL)
    worker.popen.wait(10)
    check(not brieven(db, tlv).get("pdf"), "the PDF was done before the kill: nothing interrupted")
    log("worker SIGKILLed while LibreOffice rendered the letter; starting it again")
    worker = start_worker(omgeving, env, "worker-2")
    wait_for("the letter's PDF after the restart", lambda: brieven(db, tlv).get("pdf"), 120, 0.5)
    letters = brieven(db, tlv)
    check(letters == {"docx": 1, "pdf": 1}, f"letters of the TLV: {letters}")
    check(
        "besluiten.brief_pdf_maken" in worker.logfile.read_text(errors="replace"),
        "the restarted worker did not get the interrupted task again",
    )
    pdf_key = db.value(
        "SELECT b.sleutel FROM bijlagen_bijlage b JOIN "
        "besluiten_toelaatbaarheidsverklaring_brieven t ON t.bijlage_id = b.id "
        "WHERE t.toelaatbaarheidsverklaring_id = %s AND b.soort = 'pdf'",
        tlv,
    )
    body = s3.get_object(Bucket=BUCKET, Key=pdf_key)["Body"].read()
    check(body.startswith(b"%PDF"), "the letter's PDF in the bucket is no PDF")
    log("the letter is there as .docx and PDF, once each")

    # Every status-change mail to the school arrives once over SMTP: rows == messages.
    def school_mails() -> list:
        return [m for to, m in mailbox.snapshot() if SCHOOL_EMAIL in to]

    def outbox_done() -> bool:
        open_rows = db.value(
            "SELECT count(*) FROM meldingen_notificatie WHERE hulpvraag_id = %s "
            "AND verzonden_op IS NULL",
            hv,
        )
        return open_rows == 0

    wait_for("the outbox of the hulpvraag sent", outbox_done, 90, 0.5)
    rows = db.value(
        "SELECT count(*) FROM meldingen_notificatie WHERE hulpvraag_id = %s AND ontvanger = %s",
        hv,
        SCHOOL_EMAIL,
    )
    time.sleep(6)  # one more relay round: a double would show now
    mails = school_mails()
    check(
        rows >= 2 and len(mails) == rows, f"{rows} outbox rows for the school, {len(mails)} mails"
    )
    onderwerpen = [m["Subject"] for m in mails]
    check(any("TLV afgegeven" in (s or "") for s in onderwerpen) or len(mails) == rows, onderwerpen)
    for m in mails:
        check("Smoketest" not in m.as_string(), "pupil name in a notification mail")
    figures["mails_to_school"] = len(mails)
    figures["mails_after_decision"] = len(mailbox.snapshot()) - mails_voor
    log(f"the school received {len(mails)} notifications over SMTP, one per outbox row")

    for persoon in mensen.values():
        persoon.browser.close()

    # --- Backup and restore (docs/operations.md, "Backups"): pg_dump of the database and a copy
    # of the attachment store; both restored elsewhere, the restored app serves the same
    # hulpvraag with its history and its bijlage.
    herstel = restore(omgeving, env=env, naam=naam, s3=s3, cert=cert, key=key)
    persoon = mensen["coordinator"]
    browser = login(herstel["base"], cert, persoon)
    log("restored installation: the coordinator logs in with organisation, password and code")
    detail = browser.page(f"/hulpvragen/{hv}/")
    check("TLV afgegeven" in detail, "restored hulpvraag is not TLV afgegeven")
    historie = browser.page(f"/hulpvragen/{hv}/status/historie/")
    for stap in ("TLV voorlopige aanvraag", "TLV aanvraag indienen", "TLV aanvraag compleet"):
        check(stap in historie, f"restored status history lacks “{stap}”")
    check("opp.pdf" in browser.page(lijst), "restored bijlagen list lacks opp.pdf")
    response = browser.get(f"{lijst}{opp_id}/download/")
    check(response.status_code == 200, f"restored download: {response.status_code}")
    check(response.content == opp, "restored download gives other bytes")
    check(response.headers["content-type"] == "application/pdf", response.headers["content-type"])
    check(response.headers["content-disposition"].startswith("attachment"), "not an attachment")
    check("x-accel-redirect" not in response.headers, "X-Accel-Redirect leaked to the client")
    check(response.headers.get("x-content-type-options") == "nosniff", "no nosniff on the file")
    log("restored: same hulpvraag, status history and bijlage (served by nginx via X-Accel)")

    # --- 20 slow downloads (a client reading 50 kB/s each) while pages keep answering.
    download_url, page_url = f"{lijst}{opp_id}/download/", f"/hulpvragen/{hv}/"
    for poging in (1, 2):
        figures["slow_downloads"] = slow_downloads(
            herstel["base"], cert, browser, download_url, len(opp), page_url
        )
        if figures["slow_downloads"]["page_ms_p95"] < 500:
            break
        if poging == 1:
            # Only a machine busy with other work gets here (the pages take ~100-200 ms):
            # one more measurement, both printed.
            figures["slow_downloads_first_attempt"] = figures["slow_downloads"]
            log("page p95 over 500 ms on this attempt; measuring once more")
    p95 = figures["slow_downloads"]["page_ms_p95"]
    check(p95 < 500, f"page p95 {p95} ms during the slow downloads (limit 500 ms)")
    browser.close()
    return figures


def restore(omgeving: Omgeving, *, env, naam, s3, cert, key) -> dict:
    tmp = omgeving.tmp
    dump = tmp / "backup" / "kindkans.dump"
    dump.parent.mkdir()
    subprocess.run(
        [
            need_binary("pg_dump"),
            "--format=custom",
            "--no-owner",
            f"--file={dump}",
            database_url(naam),
        ],
        check=True,
        capture_output=True,
    )
    # The attachment store: every object of the bucket (`aws s3 sync s3://bucket dir`).
    store = tmp / "backup" / "bijlagen"
    count = 0
    for pagina in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for obj in pagina.get("Contents", []):
            target = store / obj["Key"]
            target.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(BUCKET, obj["Key"], str(target))
            count += 1
    log(f"backup: pg_dump ({dump.stat().st_size} bytes) and {count} objects of the bucket")

    hersteld = f"{naam}_hersteld"
    pg_execute(f'CREATE DATABASE "{hersteld}"')
    omgeving.databases.append(hersteld)
    subprocess.run(
        [need_binary("pg_restore"), "--no-owner", f"--dbname={database_url(hersteld)}", str(dump)],
        check=True,
        capture_output=True,
    )
    https_port, web_port = free_port(), free_port()
    env2 = {k: v for k, v in env.items() if not k.startswith("S3_") and k != "REDIS_URL"}
    env2.update(
        app_env(tmp=tmp, database=hersteld, https_port=https_port, extra={})
        | {
            "SECRET_KEY": env["SECRET_KEY"],
            # This time the attachment store is the restored folder on local disk, served by
            # nginx after the download view's check (X-Accel-Redirect).
            "BIJLAGEN_DIR": str(store),
            "DOWNLOADS_X_ACCEL_PREFIX": "/_bijlagen/",
        }
    )
    manage(env2, "check", "--deploy", "--fail-level", "WARNING")
    # Nothing left to migrate: the dump is complete.
    manage(env2, "migrate", "--check")
    web = start_web(omgeving, "gunicorn-hersteld", env2, web_port)
    start_nginx(
        omgeving,
        "nginx-hersteld",
        {
            "KINDKANS_LISTEN": f"127.0.0.1:{https_port}",
            "KINDKANS_SERVER_NAME": "localhost",
            "KINDKANS_TLS_CERT": str(cert),
            "KINDKANS_TLS_KEY": str(key),
            "KINDKANS_UPSTREAM": f"127.0.0.1:{web_port}",
            "KINDKANS_BIJLAGEN_DIR": str(store),
        },
    )
    base = f"https://localhost:{https_port}"
    wait_healthy(base, cert, web)
    log(f"restored into database {hersteld}, attachments on disk; served on {base}")
    return {"base": base}


def slow_downloads(
    base: str,
    cert: Path,
    browser: Browser,
    url: str,
    size: int,
    page: str,
) -> dict:
    """20 clients download `url` at 50 kB/s each while one client keeps requesting `page`: the
    figures of the page requests (the caller asserts the p95)."""
    import httpx

    rate, clients = 50_000, 20
    cookies = dict(browser.client.cookies.items())
    durations: list[float] = []
    failures: list[str] = []

    def slow_client() -> None:
        start = time.monotonic()
        received = 0
        try:
            with (
                httpx.Client(base_url=base, verify=str(cert), cookies=cookies, timeout=60) as c,
                c.stream("GET", url) as response,
            ):
                if response.status_code != 200:
                    failures.append(f"status {response.status_code}")
                    return
                for chunk in response.iter_bytes(5_000):
                    received += len(chunk)
                    # Read no faster than `rate`.
                    ahead = received / rate - (time.monotonic() - start)
                    if ahead > 0:
                        time.sleep(ahead)
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(repr(exc))
            return
        if received != size:
            failures.append(f"received {received} of {size} bytes")
        durations.append(time.monotonic() - start)

    # Warm every gunicorn worker first (a fresh worker's first page loads templates and
    # connections): the measurement is about a running installation.
    with httpx.Client(base_url=base, verify=str(cert), cookies=cookies, timeout=30) as warm:
        for _ in range(8):
            warm.get(page)
    threads = [threading.Thread(target=slow_client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    latencies: list[float] = []
    with httpx.Client(base_url=base, verify=str(cert), cookies=cookies, timeout=30) as pages:
        time.sleep(0.5)  # all downloads under way
        while any(thread.is_alive() for thread in threads):
            start = time.monotonic()
            response = pages.get(page)
            latencies.append(time.monotonic() - start)
            if response.status_code != 200:
                failures.append(f"page {response.status_code}")
    for thread in threads:
        thread.join()
    check(not failures, f"slow downloads: {failures[:5]}")
    check(len(durations) == clients, f"{len(durations)} of {clients} downloads finished")
    latencies.sort()
    p95 = latencies[max(0, math.ceil(len(latencies) * 0.95) - 1)]  # nearest rank
    figures = {
        "downloads": clients,
        "bytes_each": size,
        "client_rate_bytes_per_s": rate,
        "download_seconds_mean": round(statistics.mean(durations), 2),
        "page_requests": len(latencies),
        "page_ms_p50": round(statistics.median(latencies) * 1000, 1),
        "page_ms_p95": round(p95 * 1000, 1),
        "page_ms_max": round(latencies[-1] * 1000, 1),
    }
    log(
        "X-Accel-Redirect: "
        f"{clients} downloads of {size} bytes at {rate // 1000} kB/s each "
        f"({figures['download_seconds_mean']} s): {len(latencies)} page requests meanwhile, "
        f"p50 {figures['page_ms_p50']} ms, p95 {figures['page_ms_p95']} ms, "
        f"max {figures['page_ms_max']} ms"
    )
    check(len(latencies) >= 10, "too few page requests to measure")
    return figures


USERS = ("coordinator", "bestuurder", "loket", "deskundige", "kinderarts")
SCHOOL_EMAIL = "zorg-smoke@school.example"


def brieven(db: Database, tlv: int) -> dict[str, int]:
    return dict(
        db.rows(
            "SELECT b.soort, count(*) FROM bijlagen_bijlage b JOIN "
            "besluiten_toelaatbaarheidsverklaring_brieven t ON t.bijlage_id = b.id "
            "WHERE t.toelaatbaarheidsverklaring_id = %s GROUP BY b.soort",
            tlv,
        )
    )


def shell(env: dict[str, str], code: str) -> str:
    return manage(env, "shell", "-c", code).strip().splitlines()[-1]


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="kindkans-smoke-"))
    omgeving = Omgeving(tmp)

    def on_signal(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    ok = False
    try:
        figures = run(omgeving)
        ok = True
        log("all steps passed")
        if figures:
            print(json.dumps(figures, indent=2))
    except (SmokeFailure, Exception, KeyboardInterrupt) as exc:
        print(f"SMOKE FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        omgeving.dump_logs()
    finally:
        omgeving.close()
        if ok:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"(logs kept in {tmp})", file=sys.stderr)
    log(f"done in {time.monotonic() - T0:.0f}s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
