"""Settings for SCR manager, read from the environment (see .env.example).

Every difference between environments is an environment variable. DJANGO_DEBUG defaults to
False and DJANGO_SECRET_KEY has no default outside debug, so a misconfigured production
instance fails at start rather than running insecurely.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# --- Core ---
DEBUG = env.bool("DJANGO_DEBUG", default=False)
if DEBUG:
    # A fixed key is acceptable only for a local, debug-mode instance with demo data.
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key-do-not-deploy")
else:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY: it is required when DJANGO_DEBUG is off."
        )
# After changing DJANGO_SECRET_KEY, list the old key here: sessions and links already sent keep
# working, and so do recovery codes, stored as digests keyed with the key they were issued under
# (drop the old key and those codes stop working: their owners use their app, or have it reset).
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = [o for o in env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[]) if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "guardian",
    "simple_history",
    "axes",
    "outbox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "agencies",
    "reviews",
    "families",
    "publication",
    "learning",
    "quality",
    "governance",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "scr.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "scr.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # One guardian checker per person for the whole request (agencies/permissions.py).
    "agencies.middleware.ObjectPermissionsMiddleware",
    # A signed-in person who has not given their second factor reaches only the pages that
    # ask for it (and sign-out); see agencies/middleware.py.
    "agencies.middleware.SecondFactorMiddleware",
    "agencies.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A review asked for by its reference before the decision: the same page under its new one.
    "reviews.middleware.ReviewMovedMiddleware",
    # A destroyed review's pages: 410 Gone to those who saw every review (404 to the rest).
    "governance.middleware.ReviewGoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "scr.middleware.NoStoreMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "scr.urls"
WSGI_APPLICATION = "scr.wsgi.application"

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
                "scr.context_processors.service",
            ],
            "builtins": ["scr.templatetags.govuk"],
        },
    },
]
FORM_RENDERER = "scr.forms.GovukFormRenderer"

# --- Database ---
# An empty variable (as copied from .env.example) means the default, like an unset one.
DATABASES = {
    "default": environ.Env.db_url_config(
        env("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two people saving at once must queue, not fail with "database is locked": a write
    # transaction takes its lock when it begins (IMMEDIATE), and a waiting one retries for up to
    # 20 seconds; WAL lets readers carry on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compiling: PostgreSQL compiles any query it costs above a threshold, which took 1.3
    # to 2.4 s of a page's time when a count or a badly estimated join crossed it, for queries
    # that run in milliseconds. An interactive service's queries are short; JIT pays off only on
    # long analytical ones (issue 15's measurements).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# History keeps each change's whole reason (a waiver's or a returned report's may be long),
# not the first 100 characters: PostgreSQL would refuse a longer one.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Authentication ---
AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "agencies.signin.RepetitivePasswordValidator", "OPTIONS": {"min_distinct": 5}},
]
# An invitation's set-password link works for three days, and only once (Django's default
# token generator, which agencies/emails.py uses and counts the days from).
PASSWORD_RESET_TIMEOUT = int(timedelta(days=3).total_seconds())
# A self-service reset link works for one hour, and only once (its own token generator, with
# its own salt: agencies.signin.PasswordResetTokenGenerator).
SCR_PASSWORD_RESET_SECONDS = int(timedelta(hours=1).total_seconds())
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection: five failures lock the account (whatever addresses they came from),
# the address, and the account from that address, for 15 minutes (at most 20 guesses an hour
# at one account); the lockout page says the same thing whether or not the account exists.
# The account name is the posted ``username`` field (the email address, in lower case), not
# the user model's ``email``, which the sign-in form does not post.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address", ["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "agencies.signin.lockout_username"
AXES_CLIENT_IP_CALLABLE = "agencies.signin.client_address"
# How many proxies in front of the app append to X-Forwarded-For: the client's address is read
# that many entries from the right. 0 (the default) uses the connection's address only. Set it
# only when the app cannot be reached except through those proxies.
SCR_TRUSTED_PROXIES = env.int("SCR_TRUSTED_PROXIES", default=0)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Two-factor sign-in (django-otp): an authenticator app (TOTP) and ten single-use recovery
# codes. People in these roles (and anyone who has set up an app) must give a code after their
# password; the others may set one up. `make run` sets it empty so the demo accounts sign in
# with their password alone.
SCR_MFA_REQUIRED_ROLES = env.list("SCR_MFA_REQUIRED_ROLES", default=["Board manager", "Chair"])
OTP_TOTP_ISSUER = "SCR manager"
# Publication approval and the chronology export ask for the password (or a code) again when it
# was last given longer ago than this.
SCR_REAUTHENTICATE_AFTER = timedelta(minutes=10)

# guardian: no anonymous user object; nobody anonymous holds object permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- Sessions and security headers ---
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=int(timedelta(hours=10).total_seconds()))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A session ends after this long without a request (agencies.middleware.IdleTimeoutMiddleware),
# and SESSION_COOKIE_AGE after signing in however active; pages warn this long before the end,
# with a dialog whose "Stay signed in" extends it.
SCR_IDLE_SECONDS = env.int("SCR_IDLE_SECONDS", default=int(timedelta(minutes=30).total_seconds()))
SCR_IDLE_WARNING_SECONDS = 120
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "scr.views.csrf_failure"
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else int(timedelta(days=365).total_seconds())
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- Internationalisation ---
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Dates as GOV.UK writes them (scr/formats/); Django's en_GB formats would win over settings.
FORMAT_MODULE_PATH = ["scr.formats"]

# --- Static and media files ---
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Form fields other than files are held in memory up to this size; an upload up to
# FILE_UPLOAD_MAX_MEMORY_SIZE stays in memory, a larger one goes to a temporary file. A
# multipart request larger than the largest upload allowed plus DATA_UPLOAD_MAX_MEMORY_SIZE is
# refused (400) before it is read (scr/uploads.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=2621440)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_FILE_UPLOAD_MAX_MEMORY_SIZE", default=2621440)
FILE_UPLOAD_HANDLERS = [
    "scr.uploads.RequestSizeHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
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

# --- Email ---
# Debug off, EMAIL_URL is required and may not be the console: an invitation carries a
# set-password link, a secret that must never reach the log.
EMAIL_URL = env("EMAIL_URL", default="") or ("consolemail://" if DEBUG else "")
if not DEBUG and (not EMAIL_URL or EMAIL_URL.startswith("consolemail:")):
    raise ImproperlyConfigured(
        "Set EMAIL_URL to a mail server, e.g. smtp+tls://user:pass@host:587: it is required "
        "when DJANGO_DEBUG is off, and may not print emails to the console."
    )
EMAIL_CONFIG = environ.Env.email_url_config(EMAIL_URL)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="SCR manager <no-reply@scr.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that stalls gives up after this many seconds, so one email cannot hold up the
# outbox's sweep until the task's time limit; the email is retried later.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# --- Celery ---
# Without REDIS_URL, tasks run in-process, which is what the embedded default wants.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True


# --- Outbox ---
# Every email is a row sent by a task, or by the minute's sweep when the broker lost it. A
# failed try waits OUTBOX_RETRY_SECONDS, then twice as long each time; after the last try the
# email shows as failed to board managers. A worker holds an email for the lease, longer than
# CELERY_TASK_TIME_LIMIT, so that no second worker sends it meanwhile.
OUTBOX_MAX_ATTEMPTS = 6
OUTBOX_RETRY_SECONDS = 60
OUTBOX_LEASE_SECONDS = 600

# --- Documents (PDF) ---
# A review's PDFs render in a task (publication/documents.py). A worker holds a document for
# the lease, longer than CELERY_TASK_TIME_LIMIT; the minute's sweep renders a document whose
# task was lost (still waiting after DOCUMENT_SWEEP_AFTER_SECONDS) or whose worker died, and
# gives up after DOCUMENT_MAX_ATTEMPTS tries.
DOCUMENT_LEASE_SECONDS = 600
DOCUMENT_SWEEP_AFTER_SECONDS = 60
DOCUMENT_MAX_ATTEMPTS = 3


# --- Logging ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # Chatty at INFO: WeasyPrint logs each step of a render, and pikepdf (which WeasyPrint
    # loads) announces itself whenever it is imported.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

# --- The service ---
SCR_BOARD_NAME = env("SCR_BOARD_NAME", default="Northshire Safeguarding Children Partnership")
SCR_JURISDICTION = env("SCR_JURISDICTION", default="england")
SCR_SITE_URL = env("SCR_SITE_URL", default="http://127.0.0.1:8000")
REVIEWS_PER_PAGE = 25
# How long browsers and shared caches may keep a page of the public site (/publications/): a
# report removed from it may still be shown from a cache for up to this long. Every other page,
# and a removed report's, is never kept (scr.middleware.NoStoreMiddleware).
SCR_PUBLIC_CACHE_SECONDS = 300
# Management reports: the largest file an agency may upload, and each report's quota (the
# same quota holds for a review's overview drafts).
SCR_REPORT_MAX_BYTES = env.int("SCR_REPORT_MAX_BYTES", default=20 * 1024 * 1024)
SCR_REPORT_MAX_VERSIONS = env.int("SCR_REPORT_MAX_VERSIONS", default=20)
SCR_REPORT_MAX_TOTAL_BYTES = env.int("SCR_REPORT_MAX_TOTAL_BYTES", default=200 * 1024 * 1024)
# The Flesch reading ease the board aims for in a published executive summary (advisory).
SCR_READABILITY_TARGET = env.int("SCR_READABILITY_TARGET", default=60)
# Chronology spreadsheets: the largest file and the most rows an import takes.
SCR_CHRONOLOGY_MAX_BYTES = env.int("SCR_CHRONOLOGY_MAX_BYTES", default=5 * 1024 * 1024)
SCR_CHRONOLOGY_MAX_ROWS = env.int("SCR_CHRONOLOGY_MAX_ROWS", default=10000)
CHRONOLOGY_PER_PAGE = 50
# The working days a worker interviewed is given, by default, to comment on the passages of the
# chronology and the draft report that describe their practice.
SCR_PRACTITIONER_COMMENT_WORKING_DAYS = env.int("SCR_PRACTITIONER_COMMENT_WORKING_DAYS", default=10)

# --- Retention ---
# Years a closed review's records are kept, counted from the day it closed, before it is
# listed for the board manager's decision (keep longer, or destroy its personal data). No
# statute sets a period for case review records; partnerships' schedules mostly follow the
# local authority's child-protection records (35 years from closure): see the README.
SCR_RETENTION_YEARS = env.int("SCR_RETENTION_YEARS", default=35)

# --- Reminders ---
# Reminders go out this many working days before a deadline, on the day, and weekly once it is
# overdue; the sweep that writes and sends them runs hourly under Celery beat.
SCR_REMINDER_WORKING_DAYS_BEFORE = env.int("SCR_REMINDER_WORKING_DAYS_BEFORE", default=3)
# People who chose a daily digest get it at the first hourly run from this hour (local time).
SCR_DIGEST_HOUR = env.int("SCR_DIGEST_HOUR", default=7)
CELERY_BEAT_SCHEDULE = {
    "reminders-sweep": {"task": "reviews.tasks.reminders_sweep_task", "schedule": 3600.0},
    "digests": {"task": "reviews.tasks.digests_task", "schedule": 3600.0},
    "referral-drafts-expire": {
        "task": "reviews.tasks.referral_drafts_expire_task",
        "schedule": 86400.0,
    },
    "outbox-sweep": {"task": "outbox.tasks.outbox_sweep_task", "schedule": 60.0},
    "documents-sweep": {"task": "publication.tasks.documents_sweep_task", "schedule": 60.0},
    # The board's quality figures, just after midnight: whether a deadline is overdue depends
    # on the day (quality/services.py says why they are counted, not worked out per request).
    "quality-count": {
        "task": "quality.tasks.quality_count_task",
        "schedule": crontab(hour=0, minute=5),
    },
}
