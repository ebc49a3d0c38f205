"""Dockerfile and docker-compose.yml cannot be run on the test machines (no Docker daemon); these
tests check their structure, and that the environment they give the application is one the
settings accept in production (`check --deploy`) and that docs/configuration.md describes."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
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
    # nginx runs unprivileged, in the image's kindkans group (to read files of mode 0640).
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--gid 10001 kindkans" in dockerfile
    assert services["proxy"]["user"] == "101:10001"


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


def test_the_image_runs_as_an_unprivileged_user():
    instructions = dockerfile()
    users = [(i, arguments) for i, (word, arguments) in enumerate(instructions) if word == "USER"]
    assert users, "no USER: the image would run as root"
    last_user_at, user = users[-1]
    assert user.split(":")[0] not in ("root", "0"), user
    created = [a for w, a in instructions[:last_user_at] if w == "RUN" and "useradd" in a]
    assert created and f" {user}" in created[0] and "--system" in created[0]
    commands = [word for word, _ in instructions[last_user_at + 1 :]]
    assert "CMD" in commands, "the server starts as the unprivileged user"
    collect = next(i for i, (w, a) in enumerate(instructions) if "collectstatic" in a)
    assert collect > last_user_at, "static files are collected as the unprivileged user"
    assert instructions[-1] == (
        "CMD",
        '["gunicorn", "-c", "deploy/gunicorn.conf.py", "kindkans.wsgi:application"]',
    )
    assert any(word == "HEALTHCHECK" for word, _ in instructions)


def test_dependencies_install_from_the_lock_with_hashes_only():
    instructions = dockerfile()
    installs = [
        (i, command.strip())
        for i, (word, arguments) in enumerate(instructions)
        if word == "RUN"
        for command in arguments.split("&&")
        if "pip install" in command
    ]
    from_lock = [(i, c) for i, c in installs if "-r requirements/base.txt" in c]
    assert len(from_lock) == 1, installs
    at, command = from_lock[0]
    assert "--require-hashes" in command.split()
    copied = [i for i, (w, a) in enumerate(instructions[:at]) if w == "COPY" and "base.txt" in a]
    assert copied, "the lock is copied in before it is installed"
    for _, command in installs:
        if command != from_lock[0][1]:
            # Anything else is the project itself, without resolving dependencies again.
            assert command.split()[-3:] == ["--no-deps", "-e", "."], command


def test_the_image_has_libreoffice_writer_and_the_fonts_the_letters_name():
    instructions = dockerfile()
    assert instructions[0] == ("FROM", "python:3.11-slim-bookworm"), "Debian release pinned"
    packages = set()
    for word, arguments in instructions:
        if word == "RUN" and "apt-get install" in arguments:
            install = arguments.split("apt-get install", 1)[1].split("&&")[0].split()
            packages.update(p for p in install if not p.startswith("-"))
    assert "libreoffice-writer-nogui" in packages
    font_packages = {"Liberation Sans": "fonts-liberation2", "DejaVu Sans": "fonts-dejavu-core"}
    named = set()
    for module in ("besluiten/brieven.py", "formulieren/word.py"):
        named.update(re.findall(r'font\.name = "([^"]+)"', (ROOT / module).read_text()))
    assert named, "the letters name their font"
    for font in named:
        assert font_packages.get(font) in packages, f"no package for the font {font!r}"


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
