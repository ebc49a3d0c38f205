"""Dockerfile and docker-compose.yml cannot be run on the test machines (no Docker daemon); these
tests check their structure, and that the environment they give the application is one the
settings accept in production (`check --deploy`) and that docs/configuration.md describes."""

from __future__ import annotations

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


def test_compose_has_the_five_services_each_with_a_healthcheck(compose):
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
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
    assert "gunicorn kindkans.wsgi:application" in " ".join(services["web"]["command"])
    assert "migrate" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "kindkans", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "kindkans", "beat"]
    assert "/gezond/" in " ".join(services["web"]["healthcheck"]["test"])
    # Attachments survive a container rebuild and are shared by web and worker.
    assert "bijlagen:/app/var/bijlagen" in services["web"]["volumes"]
    assert "bijlagen:/app/var/bijlagen" in services["worker"]["volumes"]


def test_compose_passes_only_variables_the_settings_read(compose):
    env = compose["services"]["web"]["environment"]
    assert set(env) <= settings_variables(), set(env) - settings_variables()


def test_dockerfile_is_slim_non_root_collects_static_and_runs_gunicorn():
    text = (ROOT / "Dockerfile").read_text()
    lines = [
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "FROM python:3.11-slim"
    user_at = next(i for i, line in enumerate(lines) if line.startswith("USER "))
    assert lines[user_at] == "USER kindkans"
    collect_at = next(i for i, line in enumerate(lines) if "collectstatic" in line)
    assert collect_at > user_at, "static files are collected as the unprivileged user"
    assert lines[-1] == 'CMD ["gunicorn", "kindkans.wsgi:application"]'
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "var", ".env"} <= set(ignored)


def test_compose_environment_passes_check_deploy(compose, tmp_path):
    """The production settings the compose file gives pass `check --deploy` with no warnings."""
    env = {}
    for key, value in compose["services"]["web"]["environment"].items():
        # Resolve ${VAR:-default} / ${VAR:?message} the way compose does with an .env file.
        def resolve(match: re.Match) -> str:
            name, op, rest = match.group(1), match.group(2), match.group(3)
            if name == "SECRET_KEY":
                return "compose-test-" + "Zq8!x7@Lm#4vR2$kN9&wT5^bH3*yF6(" + "s" * 20
            if name == "ALLOWED_HOSTS":
                return "kindkans.example.nl"
            if name == "POSTGRES_PASSWORD":
                return "geheim"
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
