"""Dockerfile and docker-compose.yml cannot be run on the test machines (no Docker daemon); these
tests check their structure, and that the environment they give the application is one the
settings accept in production (`check --deploy`) and that docs/configuration.md describes."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_variables() -> set[str]:
    source = (ROOT / "kindkans" / "settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', source))


def smoke_module():
    """deploy/smoke/smoke.py (not a package; importing it starts nothing)."""
    spec = importlib.util.spec_from_file_location("smoke", ROOT / "deploy" / "smoke" / "smoke.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("smoke", module)  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def test_compose_has_the_six_services_each_with_a_healthcheck(compose):
    services = compose["services"]
    assert set(services) == {"proxy", "web", "worker", "beat", "postgres", "redis"}
    for name, service in services.items():
        check = service.get("healthcheck")
        assert check and check["test"], f"{name} has no healthcheck"
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert service.get("restart") == "unless-stopped", name


def test_app_services_share_the_image_and_wait_for_healthy_backends(compose):
    services = compose["services"]
    for name in APP_SERVICES:
        service = services[name]
        assert service["build"] == "." and service["image"] == "kindkans:latest", name
        assert service["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }, name
        env = service["environment"]
        assert env["DEBUG"] == "false"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), "SECRET_KEY must be required"
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert "gunicorn -c deploy/gunicorn.conf.py kindkans.wsgi:application" in " ".join(
        services["web"]["command"]
    )
    assert "migrate" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "kindkans", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "kindkans", "beat"]
    assert "/gezond/" in " ".join(services["web"]["healthcheck"]["test"])
    # Attachments survive a container rebuild and are shared by web and worker.
    assert "bijlagen:/app/var/bijlagen" in services["web"]["volumes"]
    assert "bijlagen:/app/var/bijlagen" in services["worker"]["volumes"]


def test_compose_services_are_the_smokes_topology(compose):
    """The production smoke starts as processes what compose starts as containers: the same
    services running the same commands, the same nginx template and gunicorn configuration."""
    smoke = smoke_module()
    services = compose["services"]
    assert set(services) == set(smoke.TOPOLOGIE)
    for name in ("web", "worker", "beat"):
        assert smoke.TOPOLOGIE[name] in " ".join(services[name]["command"]), name
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    proxy = services["proxy"]
    assert "nginx" in proxy["image"]
    template = f"./{smoke.NGINX_TEMPLATE}:/etc/nginx/templates/default.conf.template:ro"
    assert template in proxy["volumes"]
    # Every variable of the template is given, and no other.
    used = set(re.findall(r"\$\{(KINDKANS_[A-Z_]+)\}", (ROOT / smoke.NGINX_TEMPLATE).read_text()))
    assert set(proxy["environment"]) == used
    assert proxy["environment"]["KINDKANS_UPSTREAM"] == "web:8000"
    # The proxy reads the attachment volume (X-Accel-Redirect) where the application writes it.
    assert f"bijlagen:{proxy['environment']['KINDKANS_BIJLAGEN_DIR']}:ro" in proxy["volumes"]
    assert services["web"]["environment"]["DOWNLOADS_X_ACCEL_PREFIX"] == "/_bijlagen/"
    assert "location /_bijlagen/ {" in (ROOT / smoke.NGINX_TEMPLATE).read_text()


def test_only_the_proxy_is_published_and_only_it_is_trusted(compose):
    services = compose["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert services["proxy"]["ports"] == ["${HTTPS_PORT:-443}:8443"]
    assert services["web"]["expose"] == ["8000"]
    proxy_ip = services["proxy"]["networks"]["kindkans"]["ipv4_address"]
    subnet = compose["networks"]["kindkans"]["ipam"]["config"][0]["subnet"]
    import ipaddress

    assert ipaddress.ip_address(proxy_ip) in ipaddress.ip_network(subnet)
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["BEHIND_TLS_PROXY"] == "true"
        assert env["TRUSTED_PROXY_HOPS"] == "1"
        assert env["TRUSTED_PROXY_IPS"] == proxy_ip
    # nginx runs unprivileged, in the image's group (to read files of mode 0640): the group the
    # Dockerfile's build creates (test_the_image_builds_and_serves_as_its_unprivileged_user).
    assert services["proxy"]["user"] == f"101:{BuiltImage.from_dockerfile().gid}"


def test_compose_passes_only_variables_the_settings_read(compose):
    env = compose["services"]["web"]["environment"]
    assert set(env) <= settings_variables(), set(env) - settings_variables()


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions in order: (INSTRUCTION, arguments), continuation lines
    joined, comment lines dropped (as Docker reads it)."""
    lines = [
        line
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if not line.strip().startswith("#")
    ]
    instructions = []
    for line in re.sub(r"\\\n", " ", "\n".join(lines)).splitlines():
        if line.strip():
            word, _, arguments = line.strip().partition(" ")
            instructions.append((word.upper(), " ".join(arguments.split())))
    return instructions


def dockerignore_pattern(pattern: str) -> re.Pattern:
    """A .dockerignore pattern as Docker matches it: path segments with * and ?, ** for any
    number of folders, after cleaning the path (a leading / or ./ means the context root)."""
    pattern = os.path.normpath(pattern).lstrip("/")
    regex, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            regex, i = regex + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            regex, i = regex + ".*", i + 2
        elif pattern[i] == "*":
            regex, i = regex + "[^/]*", i + 1
        elif pattern[i] == "?":
            regex, i = regex + "[^/]", i + 1
        else:
            regex, i = regex + re.escape(pattern[i]), i + 1
    return re.compile(regex + r"\Z")


def build_context() -> set[str]:
    """The files `docker build .` sends: every file under the checkout, less what .dockerignore
    excludes (a pattern that matches a folder excludes everything in it; the last matching
    pattern wins, `!` re-includes)."""
    rules = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            negate = line.startswith("!")
            rules.append((negate, dockerignore_pattern(line.lstrip("!"))))
    assert not any(negate for negate, _ in rules), "the walk below prunes excluded folders"

    def excluded(path: str) -> bool:
        parts = path.split("/")
        prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        result = False
        for negate, regex in rules:
            if any(regex.match(prefix) for prefix in prefixes):
                result = not negate
        return result

    context = set()
    for folder, dirs, files in os.walk(ROOT):
        relative = Path(folder).relative_to(ROOT).as_posix()
        prefix = "" if relative == "." else relative + "/"
        dirs[:] = [d for d in dirs if not excluded(prefix + d)]
        context.update(prefix + f for f in files if not excluded(prefix + f))
    return context


def test_build_context_holds_the_application_but_no_tests_benchmarks_or_secrets():
    context = build_context()
    assert (ROOT / "tests" / "conftest.py").exists() and (ROOT / "benchmarks").is_dir()
    for folder in ("tests/", "benchmarks/", ".git/", ".venv/", "var/", ".ci/", "deploy/smoke/"):
        assert not [path for path in context if path.startswith(folder)], folder
    assert ".env" not in context
    assert not [path for path in context if "__pycache__" in path or path.endswith(".pyc")]
    for needed in (
        "manage.py",
        "pyproject.toml",
        "README.md",  # pyproject's readme: the editable install reads it
        "requirements/base.txt",
        "deploy/gunicorn.conf.py",  # the image's CMD starts gunicorn with it
        "kindkans/settings.py",
        "besluiten/brieven.py",
        "templates/base.html",
        "static/css/kindkans.css",
    ):
        assert needed in context, needed
    # Whatever the Dockerfile copies by name is in the context.
    for instruction, arguments in dockerfile():
        if instruction == "COPY" and not arguments.startswith("."):
            assert arguments.split()[0] in context, arguments


class BuiltImage:
    """The Dockerfile executed as far as a machine without Docker can: its COPY instructions
    from the build context (.dockerignore applied) into a scratch /app, its ENV and WORKDIR, and
    its RUN commands in order, with the project's venv as the image's Python. The system steps
    (apt-get, the user and group, chown, pip into the image's site-packages) are not run on the
    host; what they promise is checked against this machine, which runs the same Debian release
    (tests below)."""

    SYSTEM = ("apt-get", "rm", "groupadd", "useradd", "pip", "chown")

    def __init__(self, instructions: list[tuple[str, str]]) -> None:
        self.instructions = instructions
        self.packages: set[str] = set()
        self.pip: list[list[str]] = []
        self.uid = self.gid = None
        self.user = "root"
        self.env: dict[str, str] = {}
        self.cmd: list[str] = []
        self.healthcheck: list[str] = []
        for word, arguments in instructions:
            if word == "RUN":
                for command in arguments.split("&&"):
                    self._system(shlex.split(command))
            elif word == "USER":
                self.user = arguments
            elif word == "CMD":
                self.cmd = json.loads(arguments)
            elif word == "HEALTHCHECK":
                self.healthcheck = json.loads(arguments.split(" CMD ", 1)[1])

    @classmethod
    def from_dockerfile(cls) -> BuiltImage:
        return cls(dockerfile())

    def _system(self, argv: list[str]) -> None:
        if argv[:2] == ["apt-get", "install"]:
            self.packages.update(a for a in argv[2:] if not a.startswith("-"))
        elif argv[0] == "groupadd":
            self.gid = int(argv[argv.index("--gid") + 1])
        elif argv[0] == "useradd":
            self.uid = int(argv[argv.index("--uid") + 1])
            self.username = argv[-1]
        elif argv[0] == "pip":
            self.pip.append(argv)

    def build(self, root: Path) -> Path:
        """Run the build under `root` (its /app); return the app folder."""
        app = root / "app"
        context = build_context()
        cwd = root
        env = {k: os.environ[k] for k in ("LANG",) if k in os.environ}
        env["PATH"] = f"{Path(sys.executable).parent}:/usr/bin:/bin"
        for word, arguments in self.instructions:
            arguments = arguments.replace("/app", str(app))
            if word == "WORKDIR":
                cwd = Path(arguments)
                cwd.mkdir(parents=True, exist_ok=True)
            elif word == "ENV":
                env.update(part.split("=", 1) for part in shlex.split(arguments))
            elif word == "COPY":
                bron, doel = arguments.split()
                for path in sorted(context):
                    if bron == "." or path == bron:
                        target = cwd / (path if bron == "." else doel)
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(ROOT / path, target)
            elif word == "RUN":
                for command in arguments.split("&&"):
                    argv = shlex.split(command)
                    if argv[0] not in self.SYSTEM:
                        self.run(command, cwd=cwd, env=env)
        self.app, self.build_env = app, env
        return app

    def run(self, command: str, *, cwd: Path, env: dict) -> None:
        """A shell command as the image runs it (`RUN` uses /bin/sh -c)."""
        result = subprocess.run(
            ["/bin/sh", "-c", command],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"{command}:\n{result.stdout}{result.stderr}"


@pytest.fixture(scope="session")
def built_image(tmp_path_factory) -> BuiltImage:
    """Built once per run: its tests share one xdist worker (tests/conftest.py), and a module
    scope would build again whenever that worker ran another module's test in between."""
    image = BuiltImage.from_dockerfile()
    image.build(tmp_path_factory.mktemp("image"))
    return image


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_image_builds_and_serves(built_image):
    """The build's commands work on the build context alone (no tests, no checkout): static files
    are collected into the image's var folder; the image's CMD then starts gunicorn, the image's
    HEALTHCHECK command passes against it, and whitenoise serves the collected, hashed static
    files (only those a page loads). The build's last user, who runs the CMD, is the
    unprivileged one it creates."""
    image = built_image
    assert image.user == image.username and image.uid not in (None, 0), image.user
    var = Path(image.build_env["KINDKANS_VAR_DIR"])
    assert var.is_relative_to(image.app)
    manifest = json.loads((var / "static" / "staticfiles.json").read_text())["paths"]
    css = manifest["css/kindkans.css"]
    # Swagger UI is collected; what no page loads (Redoc, the browsable API) is not, and source
    # maps are not compressed (kindkans/apps.py, settings).
    assert any(p.startswith("drf_spectacular_sidecar/swagger-ui-dist/") for p in manifest)
    assert not [p for p in manifest if "redoc" in p or p.startswith("rest_framework/")]
    static = var / "static"
    assert list(static.rglob("*.js.gz")) and not list(static.rglob("*.map.gz"))

    port = _free_port()
    env = {
        **image.build_env,
        "SECRET_KEY": "image-test-" + "Zq8!x7@Lm#4vR2$kN9&wT5^bH3*yF6(" + "s" * 20,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{var / 'kindkans.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    log = var / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            image.cmd,
            cwd=image.app,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        # The image's own health check, pointed at this port; retried while gunicorn starts.
        check = [a.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for a in image.healthcheck]
        deadline = time.monotonic() + 60
        while subprocess.run(check, env=env, capture_output=True).returncode != 0:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "health check never passed:\n" + log.read_text()
            time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/{css}", timeout=10) as r:
            assert r.status == 200 and b"{" in r.read()
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_image_installs_its_dependencies_from_the_lock_with_hashes_only(built_image):
    """The image's pip steps, offline against this venv (which holds the same pins): the runtime
    lock is accepted in --require-hashes mode (every pin has its hashes) and satisfies the
    install; the project itself is installed without resolving dependencies again."""
    image = built_image
    locks = [argv for argv in image.pip if "-r" in argv]
    assert locks and all("--require-hashes" in argv for argv in locks), image.pip
    for argv in locks:
        result = subprocess.run(
            [sys.executable, "-m", *argv, "--dry-run", "--no-index"],
            cwd=image.app,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    for argv in image.pip:
        if argv not in locks:
            assert argv[-3:] == ["--no-deps", "-e", "."], argv


def test_the_image_packages_provide_libreoffice_and_the_fonts_the_letters_name(built_image):
    """What the image's apt-get installs, on this machine's Debian (the image's release): the
    font files fontconfig finds for every font the letters name belong to packages the image
    installs, and LibreOffice Writer is one of them (`check --deploy` fails without soffice)."""
    image = built_image
    named = set()
    for module in ("besluiten/brieven.py", "formulieren/word.py"):
        named.update(re.findall(r'font\.name = "([^"]+)"', (ROOT / module).read_text()))
    assert named, "the letters name their font"
    if not shutil.which("dpkg") or not shutil.which("fc-list"):
        reason = "dpkg en fc-list (Debian) ontbreken"
        if os.environ.get("CI"):
            pytest.fail(f"CI: {reason}")
        pytest.skip(reason)
    for font in named:
        files = subprocess.run(
            ["fc-list", font, "file"], capture_output=True, text=True, check=True
        ).stdout.split()
        files = [f.rstrip(":") for f in files]
        assert files, f"font {font!r} is not installed here (apt-get install the image's packages)"
        owners = subprocess.run(["dpkg", "-S", *files], capture_output=True, text=True).stdout
        packages = {line.split(":")[0] for line in owners.splitlines()}
        assert packages & image.packages, (font, packages, image.packages)
    assert "libreoffice-writer-nogui" in image.packages


def test_compose_environment_passes_check_deploy(compose, tmp_path):
    """The production settings the compose file gives pass `check --deploy` with no warnings."""
    env = {}
    for key, value in compose["services"]["web"]["environment"].items():
        # Resolve ${VAR:-default} / ${VAR:?message} the way compose does with an .env file.
        def resolve(match: re.Match) -> str:
            name, op, rest = match.group(1), match.group(2), match.group(3)
            if name == "SECRET_KEY":
                return "compose-test-" + "Zq8!x7@Lm#4vR2$kN9&wT5^bH3*yF6(" + "s" * 20
            if name in ("ALLOWED_HOSTS", "SERVER_NAME"):
                return "kindkans.example.nl"
            if name == "POSTGRES_PASSWORD":
                return "geheim"
            if name == "EMAIL_HOST":
                return "smtp.example.nl"
            return rest if op == ":-" else ""

        env[key] = re.sub(r"\$\{([A-Z0-9_]+)(:[-?])([^}]*)\}", resolve, str(value))
    env["KINDKANS_VAR_DIR"] = str(tmp_path)
    env.update({k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ})
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_setting_variable_is_documented():
    documented = (ROOT / "docs" / "configuration.md").read_text()
    missing = sorted(v for v in settings_variables() if f"`{v}`" not in documented)
    assert not missing, f"docs/configuration.md does not describe: {missing}"


def test_health_endpoint_answers_before_https_redirect_and_host_check(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/gezond/", HTTP_HOST="container-id-1234")
    assert response.status_code == 200
    assert response.content == b"ok"
    # Everything else still gets the redirect and the host check.
    assert client.get("/inloggen/", HTTP_HOST="testserver").status_code == 301


def test_every_project_app_is_in_the_package_list():
    """A non-editable install (a wheel, a slimmer image) ships only the listed packages."""
    import tomllib

    from django.conf import settings

    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"][
        "find"
    ]["include"]
    apps = {
        app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()
    }
    assert apps and apps <= {name.rstrip("*") for name in listed}


def test_gunicorn_configuration_bounds_workers_and_trusts_only_the_proxy(monkeypatch, tmp_path):
    import runpy

    monkeypatch.setenv("TRUSTED_PROXY_IPS", "172.30.105.10")
    conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert conf["forwarded_allow_ips"] == "172.30.105.10"
    assert conf["timeout"] == 60 and 0 < conf["graceful_timeout"] <= conf["timeout"]
    assert conf["max_requests"] == 1000 and 0 < conf["max_requests_jitter"] < 1000
    assert conf["workers"] >= 2 and conf["worker_class"] == "sync"
    assert conf["accesslog"] == "-"
    # The path without its query string: a search may hold a pupil's name.
    assert "%(U)s" in conf["access_log_format"]
    assert "%(r)s" not in conf["access_log_format"] and "%(q)s" not in conf["access_log_format"]
    # gunicorn itself accepts the file and loads the application with it.
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update({"DEBUG": "true", "KINDKANS_VAR_DIR": str(tmp_path)})
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--check-config",
            "-c",
            "deploy/gunicorn.conf.py",
            "kindkans.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
