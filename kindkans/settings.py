"""The one settings module. What differs between installations comes from the environment.

See docs/configuration.md for every variable. Defaults give the embedded demo set-up: SQLite under
var/, background work in-process, e-mail written to var/mail/, attachments in a private folder.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from kindkans.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KINDKANS_VAR_DIR", str(BASE_DIR / "var")))
# Encrypted full exports of an SWV wait here until their one download (docs/overstappen.md).
EXPORT_DIR = Path(env_str("KINDKANS_EXPORT_DIR", str(VAR_DIR / "exports")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-" + "x" * 20
# Rotating SECRET_KEY the Django way: the previous key(s) here keep sessions, password-reset links
# and backup codes (accounts.models.Reservecodes) valid until they are removed.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The project package: deploy checks (kindkans/checks.py).
    "kindkans",
    # The audit log and the append-only base: the ground floor (docs/architecture.md).
    "audit",
    "organisaties",
    "accounts",
    "dossiers",
    "hulpvragen",
    "formulieren",
    "bijlagen",
    "beheer",
    "meldingen",
    "besluiten",
    "loket",
    "oidc",
    "ouders",
    # On top of everything: coming on board and leaving (docs/overstappen.md).
    "overdracht",
    # The LVS koppeling: REST API under /api/v1/ (docs/api.md).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    # Forwarded headers from anyone but the trusted proxy are dropped before anything reads them.
    "kindkans.proxy.TrustedProxyMiddleware",
    # First: answers /gezond/ before the HTTPS redirect and the host check (kindkans/health.py).
    "kindkans.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (below) and Permissions-Policy on every response.
    "csp.middleware.CSPMiddleware",
    "kindkans.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store, private on every response to a logged-in session.
    "kindkans.middleware.GeenCacheMiddleware",
    # The client address for the access audit log (audit.Inzage.ip_adres).
    "audit.middleware.InzageIPMiddleware",
    # django-otp's OTPMiddleware, with the session's device from the shared cache.
    "accounts.sessiecache.CacheOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Both factors for every page (admin too), idle timeout, absolute cap: accounts/middleware.
    "accounts.middleware.TweeFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Storage full during an upload: the Dutch message, not a bare 500.
    "bijlagen.middleware.OpslagMisluktMiddleware",
]

ROOT_URLCONF = "kindkans.urls"

# The REST API (api/): bearer tokens of API clients only (never the session cookie, so no CSRF
# question), JSON in and out, RFC 9457 problems, a rate limit per client (docs/api.md).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.TokenAuthenticatie"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.ScopeRecht"],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.PerKoppeling"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "api.problemen.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kindkans API (LVS-koppeling)",
    "DESCRIPTION": (
        "Voor leerlingvolgsystemen en de eigen hulpmiddelen van een samenwerkingsverband: "
        "leerlingen aanleveren, hulpvragen aanmaken, bijlagen uploaden en de status volgen. "
        "Een koppeling en haar token krijgt u van de beheerder van het samenwerkingsverband."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "ENUM_NAME_OVERRIDES": {"HulpvraagTypeEnum": "hulpvragen.models.HulpvraagType"},
}
WSGI_APPLICATION = "kindkans.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organisaties.context_processors.navigatie",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kindkans.sqlite3'}"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool replaces persistent connections (CONN_MAX_AGE must then stay 0).
    if env_bool("DATABASE_POOL", True):
        # Options from DATABASE_URL (?sslmode=…) are kept.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": 10}
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
    # A connection is checked (a quick round trip) before a request uses it: with the pool,
    # Django passes psycopg_pool's ConnectionPool.check_connection as the pool's `check`, so a
    # connection is checked as the pool hands it out; with persistent connections, at the start
    # of each request. After a PostgreSQL restart the dead connections are replaced instead of
    # failing the requests that get them (tests/kindkans/test_db_restart.py).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Usernames are unique per organisation, not globally; the organisation backend knows that.
AUTHENTICATION_BACKENDS = ["accounts.backends.OrganisatieBackend"]
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# TOTP per RFC 6238: SHA-1, 6 digits, 30 s steps, one step of clock drift either way. The issuer in
# the otpauth URI names the organisation (accounts.totp.otpauth_uri); this is only the fallback for
# platform accounts. No drift "sync": the window stays centred on the server's clock instead of
# wandering with every early or late code.
OTP_TOTP_ISSUER = "Kindkans"
OTP_TOTP_SYNC = False
OTP_TOTP_THROTTLE_FACTOR = env_int("OTP_TOTP_THROTTLE_FACTOR", 1)
OTP_STATIC_THROTTLE_FACTOR = env_int("OTP_STATIC_THROTTLE_FACTOR", 1)
# Wrong passwords per organisation + username + IP address before that combination is locked out,
# and for how long (seconds since the last failure).
LOGIN_LOCKOUT_ATTEMPTS = env_int("LOGIN_LOCKOUT_ATTEMPTS", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (0 = use REMOTE_ADDR).
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
# The proxies' own addresses (or networks, CIDR). X-Forwarded-For and X-Forwarded-Proto count
# only on a request that comes from one of them; from anyone else they are dropped
# (kindkans.proxy). gunicorn's forwarded_allow_ips reads the same variable.
TRUSTED_PROXY_IPS = env_list("TRUSTED_PROXY_IPS", ["127.0.0.1", "::1"])
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 2 * 60 * 60)

# --- Sessions and security headers ---------------------------------------------------------------
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
# How long before the idle timeout the page warns and offers "Blijf ingelogd".
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 5 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
_secure_default = not DEBUG
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _secure_default)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _secure_default)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _secure_default)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A refused form in Dutch with a reference, like the other error pages (kindkans/errors.py).
CSRF_FAILURE_VIEW = "kindkans.errors.csrf_failure"
# Enforcing, on every page, the admin's included: only our own scripts, styles, images and
# connections; no inline script or style (templates carry no style= attribute and no inline
# <script>: behaviour is in static/js, looks in static/css); never framed; forms post only here;
# no <base>. Inline SVG (charts, the QR code) is markup, not an image source. Mails are not
# pages: their inline styles are untouched.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
    }
}
# Browser features no page of ours uses, switched off for the page and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), display-capture=(), midi=(), serial=(), hid=()"
)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Language and time --------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kindkans.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static files and attachments ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

# How attachments leave, after the download view's access check and audit record: on S3 a
# presigned URL valid this many seconds; on local disk, with nginx in front, an X-Accel-Redirect
# to this internal location (deploy/nginx/kindkans.conf.template). Empty: the application
# streams the file itself (development server, no nginx).
BIJLAGEN_DOWNLOAD_URL_SECONDEN = 60
DOWNLOADS_X_ACCEL_PREFIX = env_str("DOWNLOADS_X_ACCEL_PREFIX", "")
S3_BUCKET = env_str("S3_BUCKET")
# The folder for attachments on local disk, as set in the environment (None: not chosen, the
# default under VAR_DIR; `check --deploy` refuses that in production: kindkans/checks.py).
BIJLAGEN_DIR = env_str("BIJLAGEN_DIR") or None
# Server-side encryption of every object: SSE-S3 (AES256) unless a KMS key is named.
S3_KMS_KEY_ID = env_str("S3_KMS_KEY_ID") or None
if S3_BUCKET:
    _bijlagen_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            # Empty values (as docker compose passes unset variables) mean "not set": boto3
            # then uses its defaults (AWS endpoint, credentials from the instance role).
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": BIJLAGEN_DOWNLOAD_URL_SECONDEN,
            # Presigned URLs with Signature Version 4 (X-Amz-Expires); v2 is deprecated.
            "signature_version": "s3v4",
            # A new upload never replaces an object: a taken key gets a suffix.
            "file_overwrite": False,
            "object_parameters": (
                {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": S3_KMS_KEY_ID}
                if S3_KMS_KEY_ID
                else {"ServerSideEncryption": "AES256"}
            ),
        },
    }
else:
    # A private folder outside STATIC_ROOT and without a URL: files leave only through a view
    # that checks access.
    _bijlagen_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": BIJLAGEN_DIR or str(VAR_DIR / "bijlagen"),
            "base_url": "/nooit-publiek/",
            # Behind nginx with X-Accel-Redirect, nginx (a member of the application's group)
            # reads the files; otherwise only the application's user.
            "directory_permissions_mode": 0o750 if DOWNLOADS_X_ACCEL_PREFIX else 0o700,
            "file_permissions_mode": 0o640 if DOWNLOADS_X_ACCEL_PREFIX else 0o600,
        },
    }
STORAGES = {
    "default": _bijlagen_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Source maps are fetched only by a browser's developer tools: not worth compressing at build
# time (they were half the build's compression work).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Larger requests stream to temporary files; the bijlagen handler stops writing a file at 10 MB.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "bijlagen.uploadhandlers.BegrensdeUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Optional virus scan of every new bijlage by clamd (INSTREAM over TCP). Set: a bijlage can be
# downloaded only after a clean scan (fail closed). Empty: no scan, files are "niet gescand".
CLAMD_HOST = env_str("CLAMD_HOST")
CLAMD_PORT = env_int("CLAMD_PORT", 3310)
CLAMD_TIMEOUT = env_int("CLAMD_TIMEOUT", 60)
# How often beat retries files still waiting for a scan (the scanner was unreachable).
BIJLAGEN_SCAN_HERHAAL_SECONDEN = env_int("BIJLAGEN_SCAN_HERHAAL_SECONDEN", 5 * 60)

# --- E-mail ---------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kindkans <noreply@kindkans.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
else:
    EMAIL_BACKEND = "kindkans.mail.OneFilePerMessageBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- Background work ------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # With a cache every web worker shares: sessions read from it (written through to the
    # database; a logout deletes both), and the logged-in user and second-factor device too
    # (accounts/sessiecache.py: every change drops the entry; this long at most otherwise).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    GEBRUIKER_CACHE_SECONDEN = env_int("GEBRUIKER_CACHE_SECONDEN", 60)
else:
    # No broker: tasks run in-process. Callers enqueue with transaction.on_commit, so the work
    # still happens only after the data it needs is committed.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # A per-process cache: a logout or a deactivated account in one worker would not reach the
    # others, so sessions, users and devices come from the database on every request.
    GEBRUIKER_CACHE_SECONDEN = 0
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Installations that share one Redis keep their work apart by queue name.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
# A broker call on the request path (the on-commit enqueue) must not hang a request when Redis
# is down or unreachable: one short connect attempt and one retry, then the outbox relay (beat)
# takes over.
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECT_TIMEOUT", 1)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": env_int("CELERY_BROKER_CONNECT_TIMEOUT", 1),
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # A worker looks for such tasks every 10 s × this (kombu's default 10: about 100 s).
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

# --- Notifications (the outbox of hulpvragen, delivered by meldingen) ----------------------------
# The address of this installation, for the link in e-mails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# An invited outsider's read access (Toegang tab) lasts at most this many days.
TOEGANG_UITNODIGING_MAX_DAGEN = env_int("TOEGANG_UITNODIGING_MAX_DAGEN", 92)
NOTIFICATIE_MAX_POGINGEN = env_int("NOTIFICATIE_MAX_POGINGEN", 6)
NOTIFICATIE_RETRY_BASIS_SECONDEN = env_int("NOTIFICATIE_RETRY_BASIS_SECONDEN", 60)
# After the fast attempts, a long SMTP outage: one attempt per NOTIFICATIE_TRAAG_SECONDEN (hourly)
# for NOTIFICATIE_TRAAG_TOT_SECONDEN (three days) before a row is "mislukt".
NOTIFICATIE_TRAAG_SECONDEN = env_int("NOTIFICATIE_TRAAG_SECONDEN", 60 * 60)
NOTIFICATIE_TRAAG_TOT_SECONDEN = env_int("NOTIFICATIE_TRAAG_TOT_SECONDEN", 3 * 24 * 60 * 60)
# The beheerder's start page warns once an e-mail has been failing for this long.
NOTIFICATIE_WAARSCHUWING_SECONDEN = env_int("NOTIFICATIE_WAARSCHUWING_SECONDEN", 60 * 60)
# How often beat relays unsent rows, and how long a new row is left to its on-commit task first.
NOTIFICATIE_RELAY_SECONDEN = env_int("NOTIFICATIE_RELAY_SECONDEN", 60)
NOTIFICATIE_RELAY_WACHT_SECONDEN = env_int("NOTIFICATIE_RELAY_WACHT_SECONDEN", 30)

# Parents online (ouders app, docs/ouders.md): how long an invitation's link works, how many
# wrong codes lock it, and how long a parent's session lasts without activity.
OUDERS_UITNODIGING_DAGEN = env_int("OUDERS_UITNODIGING_DAGEN", 14)
OUDERS_MAX_POGINGEN = env_int("OUDERS_MAX_POGINGEN", 5)
OUDERS_SESSIE_MINUTEN = env_int("OUDERS_SESSIE_MINUTEN", 30)

CELERY_BEAT_SCHEDULE: dict = {
    "bijlagen-concepten-opruimen": {"task": "bijlagen.concepten_opruimen", "schedule": 60 * 60},
    "bijlagen-scans-herhalen": {
        "task": "bijlagen.scans_herhalen",
        "schedule": BIJLAGEN_SCAN_HERHAAL_SECONDEN,
    },
    # Daily: files without a row removed, rows without a file reported (bijlagen/opslagcontrole).
    "bijlagen-opslag-controleren": {
        "task": "bijlagen.opslag_controleren",
        "schedule": crontab(hour=3, minute=15),
    },
    "accounts-inzendingen-opruimen": {
        "task": "accounts.inzendingen_opruimen",
        "schedule": crontab(hour=3, minute=30),
    },
    "meldingen-notificaties-doorsturen": {
        "task": "meldingen.notificaties_doorsturen",
        "schedule": NOTIFICATIE_RELAY_SECONDEN,
    },
    # Daily list of dossiers past their retention term; deletion waits for the beheerder.
    "beheer-bewaartermijnen-signaleren": {
        "task": "beheer.bewaartermijnen_signaleren",
        "schedule": crontab(hour=2, minute=30),
    },
}

# --- Besluiten (decision letters, reminders) -----------------------------------------------------
# LibreOffice for the PDF of generated letters: a name on PATH or a full path; empty: no PDF.
SOFFICE = env_str("SOFFICE", "soffice")
# The TLV tab flags a TLV for renewal this many weeks before its einddatum; from then on it is on
# the loket's werkvoorraad ("TLV verloopt") and the aanvrager is mailed once (daily beat task),
# unless a renewal is under way.
TLV_VERLENGING_SIGNAAL_WEKEN = env_int("TLV_VERLENGING_SIGNAAL_WEKEN", 16)
# The aanvrager of a Financieel Arrangement is reminded this many weeks before the evaluatiedatum.
FA_EVALUATIE_HERINNERING_WEKEN = env_int("FA_EVALUATIE_HERINNERING_WEKEN", 4)
CELERY_BEAT_SCHEDULE["besluiten-fa-evaluatie-herinneren"] = {
    "task": "besluiten.fa_evaluatie_herinneren",
    "schedule": crontab(hour=7, minute=15),
}
CELERY_BEAT_SCHEDULE["besluiten-tlv-verlenging-herinneren"] = {
    "task": "besluiten.tlv_verlenging_herinneren",
    "schedule": crontab(hour=7, minute=20),
}

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The reference shown on an error page is appended to that error's log line(s).
    "filters": {"error_reference": {"()": "kindkans.errors.ErrorReferenceFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["error_reference"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
