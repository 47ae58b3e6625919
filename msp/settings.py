"""Settings for the MSP case-management system: one module, read from the environment.

Every value that differs between a laptop demo and production comes from an environment
variable (see the configuration table in docs/operations.md). The embedded default is SQLite with
Celery running tasks eagerly in-process; production is PostgreSQL, Redis and Celery workers.
"""

import hashlib
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"

# The audit log's hash chain is an HMAC-SHA256 with this key (docs/security.md "Audit log integrity").
# It lives only in the environment of the application and of `verify_audit_log`, never in the
# database, so a database administrator who edits a row cannot recompute the chain.
AUDIT_HMAC_KEY = env("AUDIT_HMAC_KEY", default="")
if not AUDIT_HMAC_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("AUDIT_HMAC_KEY must be set when DEBUG is false (32+ random characters).")
    # Demo only: derived from the (demo) secret key, so `make run` needs nothing more.
    AUDIT_HMAC_KEY = "dev-only-audit-key-" + hashlib.sha256(f"msp-audit-chain:{SECRET_KEY}".encode()).hexdigest()
elif len(AUDIT_HMAC_KEY) < 32 and not DEBUG:
    raise ImproperlyConfigured("AUDIT_HMAC_KEY must be at least 32 characters.")
# Where `verify_audit_log` appends its anchor (entry count and head hash) and checks the
# last one: a file the operator keeps away from the database (empty: log line only).
AUDIT_ANCHOR_FILE = env("AUDIT_ANCHOR_FILE", default="")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "accounts",
    "cases",
    "outcomes",
    "quality",
    "reporting",
    "workspace",
    "frontdoor",
    "notifications",
    "feedback",
    "documents",
    "partnership",
    "sars",
    "organisational",
    "harm",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.RequestTeamsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "msp.urls"
WSGI_APPLICATION = "msp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "msp.template_backend.DjangoTemplatesWithoutBidi",  # Django's, direction controls neutralised
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A persistent connection is tested before each request reuses it (one `SELECT 1`), so a
# database restart or a dropped connection costs no user an error page.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
# Covering indexes (INCLUDE columns) are a PostgreSQL feature; SQLite, the first-run default,
# builds the same indexes without the extra columns, which is all a demo needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite for a small team's try-out: WAL lets readers carry on while one request writes;
    # a writer waits for the lock (busy timeout, seconds) instead of failing "database is
    # locked"; and IMMEDIATE transactions take the write lock when they begin, so a transaction
    # that read first never has to be refused for upgrading to a write (Django 5.1+ OPTIONS).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=30),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
# PostgreSQL's JIT compiler is for long analytic queries. On these pages' statements it spent
# more compiling (40-200 ms on a list or a dashboard count at a million cases) than running, so
# every connection starts with it off (DATABASE_JIT=true turns it back on).
if DATABASES["default"]["ENGINE"].endswith("postgresql") and not env.bool("DATABASE_JIT", default=False):
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor (TOTP) is required for every role unless explicitly switched off (demo only).
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="MSP Safeguarding")

# One-time links (accounts/tokens.py) through which a user sets their own password and enrols
# their authenticator: an invitation for a new account, a password reset, a two-factor reset.
ACCOUNT_INVITE_HOURS = env.int("ACCOUNT_INVITE_HOURS", default=72)
ACCOUNT_RESET_HOURS = env.int("ACCOUNT_RESET_HOURS", default=24)
# Django's own ceiling on any token it checks; each purpose then applies its own lifetime.
PASSWORD_RESET_TIMEOUT = max(ACCOUNT_INVITE_HOURS, ACCOUNT_RESET_HOURS) * 3600
# The address links in emails start with (e.g. https://safeguarding.example.org); when empty, the
# address of the administrator's request (ALLOWED_HOSTS applies). The first-lead command needs it.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# Mail (the links above): EMAIL_URL (e.g. smtp+tls://user:password@mail.example.org:587) or the
# separate EMAIL_* variables. The demo (DEBUG, no mail settings) prints mail to the console.
if env("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env(
        "EMAIL_BACKEND",
        default="django.core.mail.backends.console.EmailBackend"
        if DEBUG and not env("EMAIL_HOST", default="")
        else "django.core.mail.backends.smtp.EmailBackend",
    )
    EMAIL_HOST = env("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="MSP Safeguarding <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Text messages (the anonymous feedback code, feedback/sms.py): GOV.UK Notify when
# NOTIFY_API_KEY is set; the demo (DEBUG, no key) prints texts to the console; otherwise none
# are sent and the page that would send one says so. NOTIFY_BASE_URL may point at a proxy.
NOTIFY_API_KEY = env("NOTIFY_API_KEY", default="")
NOTIFY_SMS_TEMPLATE_ID = env("NOTIFY_SMS_TEMPLATE_ID", default="")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT = env.int("NOTIFY_TIMEOUT", default=10)
if NOTIFY_API_KEY:
    _SMS_DEFAULT = "feedback.sms.NotifyBackend"
elif DEBUG:
    _SMS_DEFAULT = "feedback.sms.ConsoleBackend"
else:
    _SMS_DEFAULT = "feedback.sms.DisabledBackend"
SMS_BACKEND = env("SMS_BACKEND", default=_SMS_DEFAULT)
if SMS_BACKEND == "feedback.sms.NotifyBackend" and not (NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID):
    raise ImproperlyConfigured(
        "SMS_BACKEND is GOV.UK Notify, which needs NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID (a text message "
        "template with ((code)), ((url)) and ((expires_on))); see docs/feedback.md."
    )

# django-axes: lock a username+address pair out after at most 10 failed logins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Accounts not signed in to for this many days are deactivated (manage.py deactivate_dormant_accounts).
DORMANT_ACCOUNT_DAYS = env.int("DORMANT_ACCOUNT_DAYS", default=90)

# Sessions end after 30 idle minutes: the expiry is pushed forward on every request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Transport security: on by default outside DEBUG so `check --deploy` passes untouched.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"  # never served directly: downloads go through access-checked views
# Case documents (documents app): the largest file a user may attach, in bytes (default 20 MB).
# They are stored through the "default" storage below, like the report files: S3-compatible
# storage is a setting away (django-storages' S3 backend as "default"; docs/documents.md).
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names in production; plain names in DEBUG and in tests, whose live server
        # serves static files by their source names.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
# Files browsers ask for at the site root (/favicon.ico), served by WhiteNoise before any
# session or database work; pages link the SVG icon from static/ (templates/base.html).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: with no REDIS_URL tasks run eagerly in-process (the first-run default).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL and env("PYTEST_XDIST_WORKER", default="").startswith("gw"):
    # `make test` runs the suite in two processes (pytest-xdist), each on a PostgreSQL test
    # database of its own; each takes a Redis database of its own too (gwN: base + 1 + N), or a
    # Celery worker started by one would take the other's task messages and the rate limiter
    # would count both's requests. Never set outside a test run.
    _redis_base, _, _redis_db = REDIS_URL.rpartition("/")
    REDIS_URL = f"{_redis_base}/{int(_redis_db or 0) + 1 + int(env('PYTEST_XDIST_WORKER')[2:])}"
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    # A Redis that does not answer must not hold a web request: queueing gives up and the
    # request is recorded as failed with a message (msp.celery.send_after_commit).
    "socket_connect_timeout": env.int("REDIS_CONNECT_TIMEOUT", default=5),
}

# Celery beat (the `beat` process): the scheduled work, in London time. Every task is safe when
# two beats run by mistake (an advisory lock each, docs/notifications.md). `make reminders` runs
# them once. The digest task brings the items up to date first, then mails (working days only).
CELERY_TIMEZONE = TIME_ZONE
_DIGEST_HOUR, _, _DIGEST_MINUTE = env("DIGEST_TIME", default="07:30").partition(":")
CELERY_BEAT_SCHEDULE = {
    "reminders-sweep": {
        "task": "notifications.sweep",
        "schedule": crontab(minute=f"*/{env.int('REMINDERS_SWEEP_MINUTES', default=15)}"),
    },
    "daily-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(hour=int(_DIGEST_HOUR), minute=int(_DIGEST_MINUTE or 0), day_of_week="mon-fri"),
    },
    "verify-audit-log": {"task": "notifications.verify_audit_log", "schedule": crontab(hour=2, minute=30)},
    "deactivate-dormant-accounts": {
        "task": "notifications.deactivate_dormant_accounts",
        "schedule": crontab(hour=3, minute=0),
    },
    "expire-one-time-keys": {"task": "notifications.expire_one_time_keys", "schedule": crontab(hour=3, minute=30)},
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL and env.bool("USE_REDIS_CACHE", default=False)
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Domain configuration
DECISION_DUE_WORKING_DAYS = env.int("DECISION_DUE_WORKING_DAYS", default=2)
NO_CONTACT_ALERT_DAYS = env.int("NO_CONTACT_ALERT_DAYS", default=28)
# An overdue item goes to the team manager's list and digest too after this many working days.
ESCALATE_AFTER_WORKING_DAYS = env.int("ESCALATE_AFTER_WORKING_DAYS", default=2)
BOARD_AREA_NAME = env("BOARD_AREA_NAME", default="Demo Safeguarding Adults Board")

# Reports (read through reporting/conf.py; documented in docs/reporting.md)
REPORT_TASK_SOFT_TIME_LIMIT = env.float("REPORT_TASK_SOFT_TIME_LIMIT", default=240)  # stopped, marked failed
REPORT_TASK_TIME_LIMIT = env.float("REPORT_TASK_TIME_LIMIT", default=300)  # the worker process is killed
REPORT_TASK_MAX_ATTEMPTS = env.float("REPORT_TASK_MAX_ATTEMPTS", default=3)  # deliveries before giving up
# Zeros are published only in a column whose total is certainly at least this (reporting/disclosure.py)
SAB_ZERO_DENOMINATOR_MINIMUM = env.float("SAB_ZERO_DENOMINATOR_MINIMUM", default=20)
# The front door (frontdoor/, docs/front-door.md): concerns raised online are screened within
# this many working days (the s42 decision's clock); django-ratelimit limits each address.
FRONT_DOOR_SCREENING_WORKING_DAYS = env.int("FRONT_DOOR_SCREENING_WORKING_DAYS", default=1)
FRONT_DOOR_SUBMIT_RATE = env("FRONT_DOOR_SUBMIT_RATE", default="10/h")  # finished reports per address
FRONT_DOOR_STEP_RATE = env("FRONT_DOOR_STEP_RATE", default="120/m")  # pages of the form posted per address
# The anonymous feedback questionnaire (docs/feedback.md): how long a code printed on a summary
# lasts, and how many codes and questionnaire pages one address may try.
FEEDBACK_CODE_DAYS = env.int("FEEDBACK_CODE_DAYS", default=56)
FEEDBACK_CODE_RATE = env("FEEDBACK_CODE_RATE", default="10/h")
FEEDBACK_STEP_RATE = env("FEEDBACK_STEP_RATE", default="120/m")
# The independent follow-up is asked within this many days of closure (MSP Outcomes Framework: 8 weeks).
FEEDBACK_FOLLOW_UP_DAYS = env.int("FEEDBACK_FOLLOW_UP_DAYS", default=56)
# The counts live in Redis when there is one (shared by every web process), else in memory.
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)  # e.g. HTTP_X_REAL_IP behind a proxy
CACHES["ratelimit"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "ratelimit"}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}
)

# Logs go to stdout as JSON lines (LOG_FORMAT=plain for a terminal); never personal data:
# no form values, no usernames or addresses from django-axes (see accounts/jsonlog.py).
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "accounts.jsonlog.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if LOG_FORMAT == "json" else "plain"}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Their DEBUG records quote template context and SQL parameters (personal data):
        # pinned so LOG_LEVEL=DEBUG cannot turn them on.
        "django.template": {"level": "INFO"},
        "django.db.backends": {"level": "INFO"},
        # Its warnings quote GOV.UK Notify's error message, which may repeat what was sent (a
        # phone number): the service logs the exception type instead.
        "notifications_python_client": {"level": "ERROR"},
    },
}
AXES_CLIENT_STR_CALLABLE = "accounts.jsonlog.axes_client_str"

# Load balancers probe the health checks over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/"]

# Demo data: dotted paths of functions that `generate_demo_data` calls after writing the
# cases, each as f(case_ids_by_state, rng, stdout), to add their own records (see docs/import.md "Extension hook").
DEMO_DATA_EXTENSIONS = env.list(
    "DEMO_DATA_EXTENSIONS",
    default=[
        "outcomes.demo.add_demo_outcomes",
        "feedback.demo.add_demo_feedback",
        "partnership.demo.add_demo_partnership",
        "organisational.demo.add_demo_organisational",
        "harm.demo.add_demo_people",
        "sars.demo.add_demo_reviews",
    ],
)
