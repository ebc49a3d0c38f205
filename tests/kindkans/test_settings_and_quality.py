"""Settings read from the environment fail loudly; production settings pass check --deploy; the
tree has no missing migrations and no lint findings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kindkans.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only what a process needs to run: none of the test run's own settings variables.
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_env_helpers_parse_and_fail_loudly(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_bool("X_BOOL", False) is True
    assert env_int("X_INT", 0) == 42
    assert env_list("X_LIST", []) == ["a", "b", "c"]
    monkeypatch.setenv("X_BOOL", "misschien")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env_bool("X_BOOL", False)
    monkeypatch.setenv("X_INT", "veel")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env_int("X_INT", 0)


def test_secret_key_required_without_debug(tmp_path):
    result = run_manage(
        "check", env={"DEBUG": "false", "SECRET_KEY": "", "KINDKANS_VAR_DIR": str(tmp_path)}
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_bad_boolean_stops_start_up(tmp_path):
    result = run_manage("check", env={"DEBUG": "waar", "KINDKANS_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 20 + "-Zq8!x7@Lm#4vR2$kN9&wT5^bH3*yF6(" + "s" * 20,
    "ALLOWED_HOSTS": "kindkans.example.nl",
    "DATABASE_URL": "postgres://kindkans@db.invalid/kindkans",
    "REDIS_URL": "redis://redis.invalid:6379/0",
    "EMAIL_HOST": "smtp.invalid",
    # Attachments on local disk: in a folder chosen to be kept (kindkans.E003).
    "BIJLAGEN_DIR": "/srv/kindkans/bijlagen",
}
#: Everything a production installation behind a TLS proxy with S3 and clamd sets on top.
PRODUCTION_FULL = {
    **PRODUCTION,
    "SITE_URL": "https://kindkans.example.nl",
    "CSRF_TRUSTED_ORIGINS": "https://kindkans.example.nl",
    "BEHIND_TLS_PROXY": "true",
    "TRUSTED_PROXY_HOPS": "1",
    "S3_BUCKET": "kindkans-bijlagen",
    "S3_ENDPOINT_URL": "https://s3.example.nl",
    "S3_REGION": "nl-ams",
    "S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "S3_SECRET_ACCESS_KEY": "example-secret",
    "CLAMD_HOST": "clamd.invalid",
    "EMAIL_HOST_USER": "kindkans",
    "EMAIL_HOST_PASSWORD": "example",
    "DEFAULT_FROM_EMAIL": "Kindkans <noreply@kindkans.example.nl>",
}


@pytest.mark.parametrize("env", [PRODUCTION, PRODUCTION_FULL], ids=["minimal", "full"])
def test_check_deploy_with_production_variables_is_clean(tmp_path, env):
    """`check --deploy` prints no warning at all (--fail-level WARNING; "no issues")."""
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**env, "KINDKANS_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout
    assert "WARNING" not in result.stdout + result.stderr
    # The one silenced check: auth.W004 (username not unique), because usernames are unique per
    # organisation by a database constraint instead (the same username in two SWVs is two
    # accounts). Nothing else may be silenced to make this test pass.
    from django.conf import settings

    assert settings.SILENCED_SYSTEM_CHECKS == ["auth.W004"]


def test_no_missing_migrations(tmp_path):
    result = run_manage(
        "makemigrations",
        "--check",
        "--dry-run",
        env={"DEBUG": "true", "KINDKANS_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_makemigrations_needs_no_secret_key_but_other_commands_do(tmp_path):
    """A bare `manage.py makemigrations --check` (a checkout without any settings, as the
    pre-stop hook runs it) works; anything else without SECRET_KEY and DEBUG still refuses."""
    bare = {"KINDKANS_VAR_DIR": str(tmp_path)}
    result = run_manage("makemigrations", "--check", "--dry-run", env=bare)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
    result = run_manage("check", env=bare)
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off." in result.stderr


def test_ruff_is_clean():
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_file_mail_backend_writes_one_file_per_message(settings, tmp_path):
    from django.core.mail import get_connection, send_mail

    settings.EMAIL_BACKEND = "kindkans.mail.OneFilePerMessageBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    connection = get_connection()
    for n in range(3):
        send_mail(f"Onderwerp {n}", "Tekst", None, ["school@example.nl"], connection=connection)
    files = sorted(tmp_path.iterdir())
    assert len(files) == 3
    assert {f.read_text().count("Subject:") for f in files} == {1}


@pytest.mark.parametrize(
    "kms, expected",
    [
        ("", {"ServerSideEncryption": "AES256"}),
        (
            "arn:aws:kms:eu-west-1:1:key/k",
            {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "arn:aws:kms:eu-west-1:1:key/k"},
        ),
    ],
    ids=["sse-s3", "sse-kms"],
)
def test_s3_objects_are_encrypted_private_and_never_overwritten(tmp_path, kms, expected):
    import json

    env = {**PRODUCTION_FULL, "KINDKANS_VAR_DIR": str(tmp_path), "S3_KMS_KEY_ID": kms}
    result = run_manage(
        "shell",
        "-c",
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout.strip().splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["object_parameters"] == expected
    assert options["default_acl"] == "private"
    assert options["file_overwrite"] is False
    assert options["querystring_auth"] is True
    assert 0 < options["querystring_expire"] <= 60
