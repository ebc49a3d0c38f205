"""The production smoke: Kindkans started the way an installation runs it, then used over HTTPS.

`make smoke` (and .ci/run, after the two test suites) runs this file. It is not a pytest test and
`make test` does not collect it (pytest's testpaths is tests/).

Started as real processes, each in a process group of its own, all bound to 127.0.0.1 and all
killed at the end, also when a step fails or the run is interrupted:

- nginx (Debian's package) with a throwaway self-signed certificate: the only listener; the
  server block is deploy/nginx/kindkans.conf.template, the file docker-compose.yml uses;
- gunicorn with deploy/gunicorn.conf.py and production settings: DEBUG off, a random SECRET_KEY,
  secure cookies, HTTPS redirect, HSTS, behind the proxy (BEHIND_TLS_PROXY, TRUSTED_PROXY_HOPS);
- PostgreSQL: a database of its own on the machine's server (created here, dropped at the end);
- Redis: a database number of its own (SMOKE_REDIS_URL), flushed before and after;
- one Celery worker and one beat;
- attachments on S3 through django-storages, against moto in server mode (the stand-in for a
  real S3 service: the same HTTP API, the same application code path);
- mail to an aiosmtpd SMTP server.

Then every step a school and the loket take is done with a real HTTP client through nginx and
asserted; docs/operations.md and README.md ("Running it for real") describe the steps. Any
missing binary or service is a failure, never a skip.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
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
        for proces in reversed(self.processen):
            proces.stop()
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
    nginx = need_binary("nginx") if shutil.which("nginx") else "/usr/sbin/nginx"
    check(Path(nginx).exists(), "nginx is not installed (CI installs Debian's nginx in .ci/run)")
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
        self.client = httpx.Client(base_url=base, verify=str(cert), timeout=30.0)

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
        return self.client.post(path, data=payload, headers={"Origin": self.base}, **kw)

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


def run(omgeving: Omgeving) -> dict:
    tmp = omgeving.tmp
    figures: dict = {}
    for name in ("nginx", "openssl", "soffice", "pg_dump", "pg_restore"):
        if name == "nginx" and Path("/usr/sbin/nginx").exists():
            continue
        need_binary(name)

    # PostgreSQL: a database of its own.
    naam = f"kindkans_smoke_{secrets.token_hex(4)}"
    try:
        pg_execute(f'CREATE DATABASE "{naam}"')
    except Exception as exc:
        raise SmokeFailure(f"PostgreSQL is not reachable at {PG_URL}: {exc}") from exc
    omgeving.databases.append(naam)
    log(f"PostgreSQL database {naam}")

    cert, key = self_signed_certificate(tmp)
    https_port, web_port = free_port(), free_port()
    base = f"https://localhost:{https_port}"
    mailbox = Mailbox()
    omgeving.opruimen.append(mailbox.stop)
    env = app_env(
        tmp=tmp,
        database=naam,
        https_port=https_port,
        # check --deploy requires real mail and a chosen attachment folder (kindkans/checks.py).
        extra={
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mailbox.port),
            "EMAIL_USE_TLS": "false",
            "BIJLAGEN_DIR": str(tmp / "var" / "bijlagen"),
        },
    )
    (tmp / "var").mkdir()

    manage(env, "check", "--deploy", "--fail-level", "ERROR")
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    manage(env, "demo")
    log("migrated, static files collected, demo data loaded")

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
    wait_healthy(base, cert, web)
    log(f"nginx (TLS) on {base} in front of gunicorn on 127.0.0.1:{web_port}")

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

    school = enrol(base, cert, "coordinator")
    session = [c for c in school.browser.client.cookies.jar if c.name == "sessionid"]
    check(session and session[0].secure, "session cookie is not Secure")
    log("coordinator linked an authenticator app (TOTP) and is logged in")

    # The client's address reaches the audit log through the proxy; a spoofed X-Forwarded-For
    # from the client is not taken for it.
    loket = enrol(base, cert, "loket")
    log("loket logged in")

    school.browser.close()
    loket.browser.close()
    return figures


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
