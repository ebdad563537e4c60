"""PORA settings, read from the environment in one place.

Every value is parsed strictly: a bad value stops start-up with a message naming the
variable, instead of a surprise at the first request. Secrets may also come from a file
named by ``<NAME>_FILE`` (container secrets).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORA_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str | None = None) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false, 1/0, yes/no)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("PORA_TESTING", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "pora-insecure-development-key-" + "x" * 40
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off; "
            "`pora demo` sets DEBUG=true for a local trial."
        )
elif len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if (DEBUG or TESTING) else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "pora.core.error_pages.csrf_failure"
# With DEBUG on, Django's technical 404 and 500 pages instead of the project's own
# (pora.core.error_pages); for developers only: they list URLs, settings and code.
PORA_TECHNICAL_ERROR_PAGES = env_bool("PORA_TECHNICAL_ERROR_PAGES", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "ninja",  # serves the API docs' Swagger UI from static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "pora.core",
    "pora.jobs",
    "pora.registry",
    "pora.alerts",
    "pora.lodging",
    "pora.screening",
    # Above every area: demo data and benchmarks (their management commands).
    "pora.demo",
    "pora.bench",
]

# The Browser… classes are Django's, django-otp's and django-htmx's middleware, passed
# by for the lodging software's API calls (bearer token, no session: see
# pora.core.middleware); every path keeps the security headers and CSRF checks.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files keep their caching; every other answer is no-store.
    "pora.core.middleware.NoStoreMiddleware",
    "pora.core.middleware.RefuseNulMiddleware",
    "pora.core.middleware.BrowserSessionMiddleware",
    "pora.core.middleware.BrowserLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "pora.core.middleware.BrowserAuthenticationMiddleware",
    "pora.core.middleware.BrowserOTPMiddleware",
    "pora.core.middleware.BrowserMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pora.core.middleware.BrowserHtmxMiddleware",
    "pora.core.middleware.BrowserCSPMiddleware",
    "pora.core.middleware.SecondFactorMiddleware",
    "pora.core.error_pages.ErrorPagesMiddleware",
    # Axes must be last: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pora.urls"
WSGI_APPLICATION = "pora.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pora" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "pora.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# PostgreSQL in production (DATABASE_URL=postgres://…); SQLite under var/ when unset.
_database_url = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'pora.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server and statements prepared after five runs: the same
    # few queries run on every lodging report, so PostgreSQL parses and plans them once
    # per connection instead of every time. (Not behind a transaction-mode pooler.)
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the worker write progress while the web server reads it.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# The role that owns the tables, for `pora migrate` only: the application runs as the
# role of DATABASE_URL, which owns nothing and so cannot switch off the logs' triggers
# (pora.core.dbroles). Same server and database, other credentials.
PORA_MIGRATE_DATABASE = None
_migrate_url = env_str("DATABASE_MIGRATE_URL")
if _migrate_url:
    try:
        PORA_MIGRATE_DATABASE = dj_database_url.parse(_migrate_url)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_MIGRATE_URL is not a valid database URL: {exc}") from exc
    _where = ("ENGINE", "NAME", "HOST", "PORT")
    if PORA_MIGRATE_DATABASE["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_MIGRATE_URL must be a postgres:// URL")
    if [PORA_MIGRATE_DATABASE.get(k) for k in _where] != [DATABASES["default"].get(k) for k in _where]:
        raise ImproperlyConfigured(
            "DATABASE_MIGRATE_URL must name the same server and database as DATABASE_URL")
    if PORA_MIGRATE_DATABASE["USER"] == DATABASES["default"]["USER"]:
        raise ImproperlyConfigured(
            "DATABASE_MIGRATE_URL must use another role than DATABASE_URL (the tables' owner)")
# In production, `pora serve` and `pora worker` refuse a database role that owns the
# logs' tables or is a superuser (it could switch their triggers off).
PORA_CHECK_DB_ROLE = env_bool("PORA_CHECK_DB_ROLE", not (DEBUG or TESTING))
# `pora worker` links new log rows into their hash chains this often (pora.core.chain).
PORA_SEAL_SECONDS = env_int("PORA_SEAL_SECONDS", 5, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication and security ------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "pora.core.passwords.DomainWordsValidator"},
]
# A reset link works once, for this long; reset requests per hour, by address and by
# network address (counted in Django's cache, like the API's rate limit).
PASSWORD_RESET_TIMEOUT = env_int("PORA_PASSWORD_RESET_MINUTES", 60, minimum=5) * 60
PORA_PASSWORD_RESET_PER_ADDRESS = env_int("PORA_PASSWORD_RESET_PER_ADDRESS", 3, minimum=1)
PORA_PASSWORD_RESET_PER_IP = env_int("PORA_PASSWORD_RESET_PER_IP", 20, minimum=1)
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

AXES_FAILURE_LIMIT = env_int("PORA_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PORA_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("PORA_SESSION_MINUTES", 8 * 60, minimum=5) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Behind TLS in production; a local demo over http keeps plain cookies.
_https = env_bool("PORA_HTTPS", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https and env_bool("PORA_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("PORA_HSTS_SECONDS", 31536000 if _https else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
PORA_BEHIND_PROXY = env_bool("PORA_BEHIND_PROXY", False)
if PORA_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "id")
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
if LANGUAGE_CODE not in {code for code, _label in LANGUAGES}:
    raise ImproperlyConfigured(f"LANGUAGE_CODE={LANGUAGE_CODE!r} must be one of: id, en")
LOCALE_PATHS = [BASE_DIR / "pora" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE={TIME_ZONE!r} is not a known time zone") from None
USE_I18N = True
USE_TZ = True

# The demo's day (pora.core.clock): `pora demo` sets it to its data's reference date.
# A production server always runs on the real calendar, so it is refused with DEBUG off.
DEMO_TODAY = None
_demo_today = os.environ.get("PORA_DEMO_TODAY", "").strip()
if _demo_today:
    from datetime import date

    try:
        DEMO_TODAY = date.fromisoformat(_demo_today)
    except ValueError:
        raise ImproperlyConfigured(
            f"PORA_DEMO_TODAY={_demo_today!r} is not a date (YYYY-MM-DD)") from None
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "PORA_DEMO_TODAY is for the demo only (DEBUG=true); a production server "
            "runs on today's date")
USE_THOUSAND_SEPARATOR = True

# --- Static and uploaded files --------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "pora" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Uploads larger than this are refused with a message, before anything is parsed.
PORA_MAX_UPLOAD_MB = env_int("PORA_MAX_UPLOAD_MB", 50, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Background tasks -----------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "PORA_TASK_BACKEND",
            "django_tasks_db.backend.DatabaseBackend",
        )
    }
}

# --- Domain defaults --------------------------------------------------------------------
# Legal thresholds and rates live in the RuleSet reference table (pora.registry) with a
# validity date; these are only the values the first RuleSet row is seeded with.
PORA_PAGE_SIZE = env_int("PORA_PAGE_SIZE", 25, minimum=5)
PORA_EXPORT_MAX_ROWS = env_int("PORA_EXPORT_MAX_ROWS", 200_000, minimum=1000)

# --- Lodging reports (Pasal 72) ---------------------------------------------------------
# Detection thresholds: see pora.lodging.detection.Thresholds for their meaning.
PORA_LODGING_THRESHOLDS = {
    "report_within_hours": env_int("PORA_LODGING_REPORT_HOURS", 24, minimum=1),
    "hopping_lodgings": env_int("PORA_LODGING_HOPPING_LODGINGS", 3, minimum=2),
    "hopping_days": env_int("PORA_LODGING_HOPPING_DAYS", 14, minimum=1),
    "silent_days": env_int("PORA_LODGING_SILENT_DAYS", 7, minimum=1),
    "usual_reports": env_int("PORA_LODGING_USUAL_REPORTS", 4, minimum=1),
    "usual_window_days": env_int("PORA_LODGING_USUAL_WINDOW_DAYS", 30, minimum=1),
    "visa_free_days": env_int("PORA_VISA_FREE_DAYS", 30, minimum=1),
}
# A guest is linked to a registered foreigner by name when this similar (0-100), with the
# same birth date and nationality.
PORA_LINK_NAME_MIN = env_int("PORA_LINK_NAME_MIN", 88, minimum=50)
# Watchlist screening: a comparison scoring this much (0-100) or more is a hit to review.
PORA_SCREEN_THRESHOLD = env_int("PORA_SCREEN_THRESHOLD", 80, minimum=1)
# API calls per token per minute; more get 429 with Retry-After.
PORA_API_RATE_PER_MINUTE = env_int("PORA_API_RATE_PER_MINUTE", 1200, minimum=1)
PORA_PHOTO_MAX_MB = env_int("PORA_PHOTO_MAX_MB", 8, minimum=1)
# Idempotency keys are kept this long (the nightly run removes older ones).
PORA_IDEMPOTENCY_DAYS = env_int("PORA_IDEMPOTENCY_DAYS", 7, minimum=1)
PORA_EMAIL_CONFIRM_DAYS = env_int("PORA_EMAIL_CONFIRM_DAYS", 3, minimum=1)
# Map tiles, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; empty: no tiles, the map
# shows kelurahan markers on a plain background (works offline).
PORA_MAP_TILE_URL = env_str("PORA_MAP_TILE_URL", "") or ""
PORA_MAP_TILE_ATTRIBUTION = env_str("PORA_MAP_TILE_ATTRIBUTION", "") or ""
if PORA_MAP_TILE_URL:
    from urllib.parse import urlsplit

    # The browser fetches tiles from that host: allow it (a "{s}." subdomain as "*.").
    _tiles = urlsplit(PORA_MAP_TILE_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}")

# --- Email (registration confirmations) -----------------------------------------------
EMAIL_BACKEND = env_str(
    "PORA_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if (DEBUG or TESTING)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("PORA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PORA_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("PORA_EMAIL_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("PORA_EMAIL_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("PORA_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("PORA_EMAIL_FROM", "PORA <pora@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PORA_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
