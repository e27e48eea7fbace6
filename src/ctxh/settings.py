"""Django settings for CTXH.

Everything that differs between a laptop and production comes from the
environment. The defaults are safe for development only; ``CTXH_ENV=production``
refuses to start with the development secret (see ``check_production``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent

ENV = os.environ.get("CTXH_ENV", "development")
PRODUCTION = ENV == "production"

DEV_SECRET_KEY = "ctxh-development-only-not-a-secret"
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)

DEBUG = os.environ.get("CTXH_DEBUG", "0" if PRODUCTION else "1") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

DATA_DIR = Path(os.environ.get("CTXH_DATA_DIR", BASE_DIR / "var")).resolve()

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ctxh.core",
    "ctxh.geo",
    "ctxh.accounts",
    "ctxh.audit",
    "ctxh.people",
    "ctxh.hotline",
    "ctxh.cases",
    "ctxh.network",
    "ctxh.referrals",
    "ctxh.residential",
    "ctxh.tracing",
    "ctxh.assistance",
    "ctxh.support",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ctxh.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "ctxh.urls"
WSGI_APPLICATION = "ctxh.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ctxh.accounts.context_processors.access_flags",
                "ctxh.cases.context_processors.unread_notifications",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'ctxh.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CTXH_CONN_MAX_AGE", "0")))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web process read while the task worker writes; IMMEDIATE
        # avoids "database is locked" on upgrade from a read to a write lock.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            ),
        }
    if os.environ.get("CTXH_TEST_DB"):
        # Lets parallel runs (e.g. two checkouts) use test databases of their own.
        config["TEST"] = {"NAME": os.environ["CTXH_TEST_DB"]}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["ctxh.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Under pytest: fast hashing and tasks run at once (set before any test imports).
TESTING = "pytest" in sys.modules
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Lock an account after this many failed logins in a row, for this long.
CTXH_LOCKOUT_ATTEMPTS = int(os.environ.get("CTXH_LOCKOUT_ATTEMPTS", "5"))
CTXH_LOCKOUT_MINUTES = int(os.environ.get("CTXH_LOCKOUT_MINUTES", "15"))

# One cache for every process (web workers and the task worker) without a server:
# files under the data folder. Tests keep theirs in memory.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"} if TESTING else {
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": str(DATA_DIR / "cache"),
    "OPTIONS": {"MAX_ENTRIES": 2000},
}}

# Behind a reverse proxy: the META key of the header it sets to the client's address
# (e.g. HTTP_X_REAL_IP); empty means REMOTE_ADDR. Public forms are rate-limited by it.
CTXH_CLIENT_IP_HEADER = os.environ.get("CTXH_CLIENT_IP_HEADER", "")

# Sessions end after 30 minutes without a request: the records are sensitive
# and the machines are often shared at a commune office.
SESSION_COOKIE_AGE = int(os.environ.get("CTXH_SESSION_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ctxh.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "files"

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "CTXH_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend",
        ),
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Case files: attachment limits, break-the-glass window, "due soon" horizon.
# Practice settings, not legal values (those are core.Rule rows).
CTXH_CASE_ATTACHMENT_MAX_BYTES = int(os.environ.get("CTXH_CASE_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
CTXH_CASE_ATTACHMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "docx"]
CTXH_BREAK_GLASS_HOURS = int(os.environ.get("CTXH_BREAK_GLASS_HOURS", "8"))
CTXH_BREAK_GLASS_MIN_REASON = 20
CTXH_CASE_DUE_SOON_HOURS = 24
# How often `ctxh worker` queues the deadline reminders.
CTXH_REMINDER_MINUTES = int(os.environ.get("CTXH_REMINDER_MINUTES", "15"))

# The province a fresh installation serves (Quảng Ninh in the demo).
CTXH_PROVINCE_CODE = int(os.environ.get("CTXH_PROVINCE_CODE", "22"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "ctxh.core.logging.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("CTXH_LOG_LEVEL", "WARNING")},
}


def check_production() -> None:
    """Refuse to run in production with a development secret or debug on."""
    from django.core.exceptions import ImproperlyConfigured

    if not PRODUCTION:
        return
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured(
            "CTXH_ENV=production cần SECRET_KEY riêng, dài ít nhất 40 ký tự "
            "(production needs its own SECRET_KEY of at least 40 characters)."
        )
    if DEBUG:
        raise ImproperlyConfigured("CTXH_ENV=production không được bật CTXH_DEBUG=1.")


check_production()
