"""SIGAP settings: one file, read from the environment.

With no environment at all SIGAP runs on an embedded SQLite file under ``var/``. Production sets
``DATABASE_URL``, ``SIGAP_SECRET_KEY``, ``SIGAP_ALLOWED_HOSTS``, ``SIGAP_HTTPS=1`` and, behind nginx,
``SIGAP_NUM_PROXIES=1`` (else every client shares nginx's address in the sign-in throttle and the rate limits).
"""

import datetime
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from sigap.lib.env import envbool, envdate, envint, envlist, envstr
from sigap.lib.mail import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("SIGAP_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The key from the environment, or one generated once and kept in var/ for a single-server install."""
    key = envstr("SIGAP_SECRET_KEY", "")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("SIGAP_DEBUG", False)
ALLOWED_HOSTS = envlist("SIGAP_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("SIGAP_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "sigap.accounts.admin_site.AdminConfig",  # Django's admin, signing in through SIGAP's login page
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "sigap.regions",
    "sigap.accounts",
    "sigap.organisations",
    "sigap.items",
    "sigap.partners",
    "sigap.people",
    "sigap.stock",
    "sigap.production",
    "sigap.quality",
    "sigap.trainings",
    "sigap.handovers",
    "sigap.market",
    "sigap.dashboards",
    "sigap.opendata",
    "sigap.backups",
    "sigap.api",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "sigap.twofactor",
    "sigap.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sigap.lib.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sigap.accounts.middleware.SessionRefreshMiddleware",
    "sigap.lib.language.LanguageMiddleware",
    "sigap.lib.security.RefuseNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sigap.accounts.drafts.ExpiredSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sigap.twofactor.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "sigap.urls"
WSGI_APPLICATION = "sigap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sigap" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sigap.sqlite3'}"),
        conn_max_age=envint("SIGAP_DB_CONN_MAX_AGE", 60, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN, so two
    # gunicorn workers never deadlock upgrading a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if envstr("SIGAP_TEST_DB_NAME", "") and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Lets two test runs share one PostgreSQL server without dropping each other's test database.
    DATABASES["default"]["TEST"] = {"NAME": envstr("SIGAP_TEST_DB_NAME", "")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        # Shared by every gunicorn worker on the machine, with nothing extra to run.
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["sigap.accounts.backends.UserBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after this many seconds without a request (at most SIGAP_SESSION_REFRESH_SECONDS sooner: a
# session is extended by a request once that long has passed since it was last extended, not by every request).
SESSION_COOKIE_AGE = envint("SIGAP_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SIGAP_SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A refused form (an expired CSRF token, often an ended session) gets SIGAP's own page, in the user's language.
CSRF_FAILURE_VIEW = "sigap.accounts.csrf.csrf_failure"

# Sign-in throttle (sigap.accounts.throttle, the login page and the API's token endpoint): after this many failures
# for one username from one address, each further attempt from there waits one minute, then two, four… at most
# SIGAP_LOGIN_LOCKOUT_SECONDS. An address waits the same way after four times as many failures, whatever the
# usernames. Nobody is locked out from another address.
SIGAP_LOGIN_MAX_FAILURES = envint("SIGAP_LOGIN_MAX_FAILURES", 5, minimum=1)
SIGAP_LOGIN_LOCKOUT_SECONDS = envint("SIGAP_LOGIN_LOCKOUT_SECONDS", 15 * 60, minimum=1)

# E-mail (password reset links, invitations): SIGAP_EMAIL_HOST, SIGAP_EMAIL_PORT (587; 465 with SIGAP_EMAIL_SSL=1),
# SIGAP_EMAIL_TLS (STARTTLS, on unless SIGAP_EMAIL_SSL=1), SIGAP_EMAIL_SSL (implicit TLS), SIGAP_EMAIL_USER and
# SIGAP_EMAIL_PASSWORD, SIGAP_EMAIL_FROM ("SIGAP <sigap@example.id>"), SIGAP_EMAIL_TIMEOUT (10 s). Without a host,
# mail is written to the console. ``manage.py sendtestemail you@example.id`` checks the settings (sigap.lib.mail).
_email = email_settings()
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
DEFAULT_FROM_EMAIL, SERVER_EMAIL = _email["DEFAULT_FROM_EMAIL"], _email["SERVER_EMAIL"]
EMAIL_HOST, EMAIL_PORT, EMAIL_TIMEOUT = _email["EMAIL_HOST"], _email["EMAIL_PORT"], _email["EMAIL_TIMEOUT"]
EMAIL_USE_TLS, EMAIL_USE_SSL = _email["EMAIL_USE_TLS"], _email["EMAIL_USE_SSL"]
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_USER"], _email["EMAIL_HOST_PASSWORD"]
EMAIL_SUBJECT_PREFIX = "[SIGAP] "

# Django's admin at /admin/ (signing in through SIGAP's own login page). SIGAP_ADMIN=0 leaves it out entirely.
SIGAP_ADMIN = envbool("SIGAP_ADMIN", True)

# Two-factor sign-in (an authenticator app, django-otp) is optional for everyone; SIGAP_REQUIRE_2FA=1 makes it
# compulsory for administrators and provincial officers (pages, the admin and new API tokens).
SIGAP_REQUIRE_2FA = envbool("SIGAP_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "SIGAP"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Asia/Makassar"  # WITA: South Kalimantan
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "sigap" / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Excel imports: the largest upload, what it may unpack to (a zip bomb is refused before it is parsed), and rows.
SIGAP_IMPORT_MAX_BYTES = envint("SIGAP_IMPORT_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
SIGAP_IMPORT_MAX_UNPACKED_BYTES = envint("SIGAP_IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024, minimum=1)
SIGAP_IMPORT_MAX_ROWS = envint("SIGAP_IMPORT_MAX_ROWS", 100_000, minimum=1)

# Documents (production reports, inspections, stock documents, handovers, sales, trainings…) are dated from this
# day to today (sigap.lib.dates); an office whose records go back further sets an earlier one.
SIGAP_EARLIEST_DATE = envdate("SIGAP_EARLIEST_DATE", datetime.date(2000, 1, 1), minimum=datetime.date(1900, 1, 1),
                              maximum=datetime.date.today())

# Security. Behind HTTPS in production: SIGAP_HTTPS=1.
HTTPS = envbool("SIGAP_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("SIGAP_LOG_LEVEL", "WARNING")},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# The REST API (/api/v1/): personal tokens last this many days; request rates per address (anonymous) and per
# user, and for asking for a token. SIGAP_NUM_PROXIES: how many trusted proxies add to X-Forwarded-For (1 behind
# nginx; sigap.lib.client), so that the throttles count each client, not the proxy.
SIGAP_API_TOKEN_DAYS = envint("SIGAP_API_TOKEN_DAYS", 90, minimum=1)
SIGAP_API_ANON_RATE = envstr("SIGAP_API_ANON_RATE", "60/m")
SIGAP_API_USER_RATE = envstr("SIGAP_API_USER_RATE", "600/m")
SIGAP_API_TOKEN_RATE = envstr("SIGAP_API_TOKEN_RATE", "10/m")
NINJA_NUM_PROXIES = envint("SIGAP_NUM_PROXIES", 0, minimum=0)
NINJA_PAGINATION_MAX_LIMIT = 100
