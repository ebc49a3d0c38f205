"""Test settings: the project's one settings module, read with a test environment.

Only environment defaults are set here; TEST_DATABASE_URL selects PostgreSQL for a run.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-" + "k" * 30)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("KINDKANS_VAR_DIR", tempfile.mkdtemp(prefix="kindkans-test-"))
# Under pytest-xdist every worker process gets its own folder (mail, uploads, the SQLite test
# database, LibreOffice's profile): the workers inherit one KINDKANS_VAR_DIR from the controller.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER and not os.environ["KINDKANS_VAR_DIR"].endswith(XDIST_WORKER):
    os.environ["KINDKANS_VAR_DIR"] = os.path.join(os.environ["KINDKANS_VAR_DIR"], XDIST_WORKER)
    os.makedirs(os.environ["KINDKANS_VAR_DIR"], exist_ok=True)
os.environ.pop("EMAIL_HOST", None)
if os.environ.get("TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["TEST_DATABASE_URL"]
    os.environ.setdefault("DATABASE_POOL", "false")
else:
    os.environ.pop("DATABASE_URL", None)

from kindkans.settings import *  # noqa: E402,F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A commit does not wait for the disk (the test database is thrown away): the browser tests,
    # the Celery workers and the transactional tests commit thousands of times per run.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
if os.environ.get("TEST_DATABASE_NAME"):
    # Parallel runs against one PostgreSQL server each need their own test database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Fast hashing in tests; the hasher's cost is irrelevant to what the tests prove.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not the in-memory default, so that a real Celery worker started by a test can open
    # the same test database (tests/kindkans/test_tasks.py).
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
# Whitenoise warns on every request when STATIC_ROOT does not exist; tests never collect static.
os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405
