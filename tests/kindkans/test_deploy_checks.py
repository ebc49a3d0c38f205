"""`manage.py check --deploy` fails (an Error, exit code 1) on a production set-up that would
quietly lose work: no LibreOffice, mail to files, attachments in a folder nobody chose to keep.
The production environment without the flaw passes (test_settings_and_quality)."""

from __future__ import annotations

import pytest

from tests.kindkans.test_settings_and_quality import PRODUCTION, run_manage


def check_deploy(tmp_path, **changes: str | None) -> tuple[int, str]:
    env = {**PRODUCTION, "KINDKANS_VAR_DIR": str(tmp_path)}
    env.update(changes)
    env = {key: value for key, value in env.items() if value is not None}
    result = run_manage("check", "--deploy", env=env)
    return result.returncode, result.stdout + result.stderr


def test_the_production_environment_passes(tmp_path):
    code, output = check_deploy(tmp_path)
    assert code == 0, output
    assert "kindkans.E" not in output


def test_missing_libreoffice_is_an_error(tmp_path):
    code, output = check_deploy(tmp_path, SOFFICE="/nonexistent/soffice")
    assert code == 1, output
    assert "ERRORS:" in output and "kindkans.E001" in output
    assert "LibreOffice is not found" in output


def test_a_soffice_that_does_not_run_as_libreoffice_is_an_error(tmp_path):
    code, output = check_deploy(tmp_path, SOFFICE="/bin/false")
    assert code == 1 and "kindkans.E001" in output, output
    assert "/bin/false does not run as LibreOffice" in output


def test_libreoffice_switched_off_is_an_error_too(tmp_path):
    code, output = check_deploy(tmp_path, SOFFICE="")
    assert code == 1 and "kindkans.E001" in output, output


@pytest.mark.parametrize("value", ["", None], ids=["empty", "unset"])
def test_mail_to_files_is_an_error(tmp_path, value):
    code, output = check_deploy(tmp_path, EMAIL_HOST=value)
    assert code == 1, output
    assert "ERRORS:" in output and "kindkans.E002" in output
    assert "EMAIL_HOST is empty" in output


def test_attachments_in_the_default_folder_are_an_error(tmp_path):
    code, output = check_deploy(tmp_path, BIJLAGEN_DIR=None)
    assert code == 1, output
    assert "ERRORS:" in output and "kindkans.E003" in output
    assert str(tmp_path / "bijlagen") in output, "names the folder it would use"


def test_a_relative_attachment_folder_is_an_error(tmp_path):
    code, output = check_deploy(tmp_path, BIJLAGEN_DIR="var/bijlagen")
    assert code == 1 and "kindkans.E003" in output, output


def test_attachments_on_s3_need_no_folder(tmp_path):
    code, output = check_deploy(
        tmp_path,
        BIJLAGEN_DIR=None,
        S3_BUCKET="kindkans-bijlagen",
        S3_ENDPOINT_URL="https://s3.example.nl",
        S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        S3_SECRET_ACCESS_KEY="example-secret",
    )
    assert code == 0, output


def test_development_with_debug_on_is_not_checked(tmp_path):
    code, output = check_deploy(
        tmp_path, DEBUG="true", EMAIL_HOST=None, BIJLAGEN_DIR=None, SOFFICE=""
    )
    assert "kindkans.E" not in output, output
