"""Settings shared by every environment. Everything that differs per machine comes from the environment."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# In the editable install that `make` creates, the repository root sits three levels above the package.
PROJECT_DIR = PACKAGE_DIR.parent.parent

env = environ.Env()
if (PROJECT_DIR / ".env").exists():
    environ.Env.read_env(PROJECT_DIR / ".env")

VAR_DIR = Path(env.str("JICHITAI_VAR_DIR", default=str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_tasks_rq",
    "django_rq",
    "jichitai.core",
    "jichitai.tenancy",
    "jichitai.accounts",
    "jichitai.audit",
    "jichitai.jobs",
    "jichitai.dashboard",
    "jichitai.portal",
    "jichitai.demo",
    "jichitai.operations",
    "jichitai.procedures",
    "jichitai.api",
    "jichitai.signatures",
    "jichitai.payments",
    "jichitai.opendata",
    "jichitai.pdca",
    "jichitai.ocr",
    "jichitai.automation",
    "jichitai.collaboration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jichitai.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jichitai.core.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "jichitai.accounts.middleware.SecondFactorMiddleware",
    "jichitai.tenancy.middleware.TenantMiddleware",
    "jichitai.core.params.InvalidParameterMiddleware",
    # Last: the view runs inside it (one transaction per writing request; none for reads).
    "jichitai.core.middleware.WriteTransactionMiddleware",
]
# Requests under /api/ (jichitai.core.handlers): anonymous JSON or a token in a header, so none of
# the session, signed-in user, CSRF, messages, login lockout, second factor or staff tenant
# middleware; the same order as above.
API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jichitai.core.middleware.RequestContextMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jichitai.core.csp.ContentSecurityPolicyMiddleware",
    "jichitai.core.params.InvalidParameterMiddleware",
    "jichitai.core.middleware.WriteTransactionMiddleware",
]

ROOT_URLCONF = "jichitai.urls"
FORM_RENDERER = "jichitai.core.forms.FormRenderer"
WSGI_APPLICATION = "jichitai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jichitai.tenancy.context_processors.tenant",
                "jichitai.dashboard.context_processors.staff_navigation",
            ],
        },
    },
]

# --- Security headers -----------------------------------------------------------------------
# Content Security Policy: only this site's own scripts, styles and images; no inline script, no
# eval, no framing. Pages put behaviour in static files (htmx is configured not to inject styles or
# evaluate code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Database -------------------------------------------------------------------------------
# SQLite under var/ is the embedded default; DATABASE_URL=postgres://… switches to PostgreSQL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'jichitai.sqlite3'}"),
}
# One transaction per user action comes from core.middleware.WriteTransactionMiddleware (writing
# requests only), not ATOMIC_REQUESTS, which would hold SQLite's write lock during every page read.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web process read while the other writes; IMMEDIATE takes the write
    # lock at BEGIN so concurrent writers queue instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The same backend, checking a kept connection without a query on every request and
        # preparing the statements every submission runs (off behind a pooler that cannot keep
        # prepared statements: docs/production.md).
        DATABASES["default"]["ENGINE"] = "jichitai.core.postgresql"
        if not env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
            DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock an account+address pair out after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="jichitai")
# Which kind of installation this is: "development" (a developer's machine: `jichitai demo` may load
# demo accounts with a published password) or "production" (anything else). Unset means production.
JICHITAI_ENVIRONMENT = env.str("JICHITAI_ENVIRONMENT", default="production")
# Whether jichitai.wsgi runs the apps' warm-ups (core.serving) before serving: production only; a
# development server or a test reads what they would when first needed.
JICHITAI_WARM_UP_BEFORE_SERVING = False
# How long a one-time code for enrolling a first authenticator stays valid after an admin issues it.
JICHITAI_ENROLMENT_CODE_HOURS = env.int("JICHITAI_ENROLMENT_CODE_HOURS", default=72)
# Demo accounts may skip the second factor on a development machine only; production.py forces False
# and a deploy check refuses the combination.
JICHITAI_DEMO_LOGIN_WITHOUT_OTP = env.bool("JICHITAI_DEMO_LOGIN_WITHOUT_OTP", default=False)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploaded files are never served from this URL (no route and no web server alias points at it):
# they are streamed by views that check organization and role first.
MEDIA_URL = "/_unserved-media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Background work (django-tasks) ----------------------------------------------------------
# "database" (embedded default, worker: `jichitai worker`), "redis" (RQ, for several workers on
# several machines) or "immediate" (runs inline; tests only).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
_TASK_BACKENDS = {
    "database": {"BACKEND": "jichitai.jobs.queue.DatabaseQueue"},
    "redis": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
TASKS = {"default": _TASK_BACKENDS[TASKS_BACKEND]}
# A running job whose heartbeat is older than this is taken for one whose worker died; workers look
# for such jobs (and start due schedules) every JICHITAI_WORKER_HOUSEKEEPING_SECONDS.
JICHITAI_JOB_STALE_SECONDS = env.int("JICHITAI_JOB_STALE_SECONDS", default=120)
JICHITAI_WORKER_HOUSEKEEPING_SECONDS = env.int("JICHITAI_WORKER_HOUSEKEEPING_SECONDS", default=30)
# A worker's task loop records a heartbeat this often; /healthz/worker answers 503 once no worker
# has done so for JICHITAI_WORKER_STALE_SECONDS (its loop stopped, or it cannot reach the database).
# A job's own heartbeat (kept while it runs) is written every JICHITAI_JOB_HEARTBEAT_SECONDS.
JICHITAI_WORKER_HEARTBEAT_SECONDS = env.int("JICHITAI_WORKER_HEARTBEAT_SECONDS", default=10)
JICHITAI_WORKER_STALE_SECONDS = env.int("JICHITAI_WORKER_STALE_SECONDS", default=120)
JICHITAI_JOB_HEARTBEAT_SECONDS = env.int("JICHITAI_JOB_HEARTBEAT_SECONDS", default=10)
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}

# --- Cache: rate-limit counters and short-lived data, shared by every app process in production.
CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://jichitai"),
}

# Public API submissions per client address; a shared office or school NAT sends many residents from
# one address, so this is generous and adjustable.
JICHITAI_API_SUBMIT_RATE = env.str("JICHITAI_API_SUBMIT_RATE", default="60/m")
# E-mail that anonymous visitors ask for (draft links, password resets): per recipient address, and
# per client address (generous for the same NAT reason).
JICHITAI_MAIL_RATE_PER_ADDRESS = env.str("JICHITAI_MAIL_RATE_PER_ADDRESS", default="5/h")
JICHITAI_MAIL_RATE_PER_CLIENT = env.str("JICHITAI_MAIL_RATE_PER_CLIENT", default="30/h")

# Files chosen on a resident's input page wait this many hours for the applicant to confirm, then
# are deleted; one browser session may keep at most this many of them and this many bytes.
JICHITAI_PENDING_UPLOAD_HOURS = env.int("JICHITAI_PENDING_UPLOAD_HOURS", default=24)
JICHITAI_PENDING_UPLOAD_MAX_FILES = env.int("JICHITAI_PENDING_UPLOAD_MAX_FILES", default=10)
JICHITAI_PENDING_UPLOAD_MAX_BYTES = env.int(
    "JICHITAI_PENDING_UPLOAD_MAX_BYTES", default=50 * 1024 * 1024
)

# The online payment gateway (決済代行): its payment page and the shared secret both sides use
# to sign orders and notifications. Without both, and a secret of at least 32 random bytes, there
# is no online payment (payments/gateway.py; deploy check jichitai.E002).
JICHITAI_PAYMENT_GATEWAY = {
    "url": env.str("PAYMENT_GATEWAY_URL", default=""),
    "merchant": env.str("PAYMENT_GATEWAY_MERCHANT", default="jichitai"),
    "secret": env.str("PAYMENT_GATEWAY_SECRET", default=""),
}

# Automation (RPA): the secrets vault's Fernet keys (comma-separated, first one encrypts; see
# README) and the target systems scenarios may drive, by name (name=url,name=url; a mailbox is
# imaps://user@host:993 or imap://user@host:143 with STARTTLS); mail intake downloads messages up
# to this size (larger ones are taken by their header, the item saying why).
JICHITAI_VAULT_KEYS = env.list("JICHITAI_VAULT_KEYS", default=[])
JICHITAI_AUTOMATION_TARGETS = env.dict(
    "JICHITAI_AUTOMATION_TARGETS", default={"legacy": "http://127.0.0.1:8199"}
)
JICHITAI_AUTOMATION_MAIL_MAX_BYTES = env.int(
    "JICHITAI_AUTOMATION_MAIL_MAX_BYTES", default=50 * 1024 * 1024
)

# --- E-mail ----------------------------------------------------------------------------------
# Development prints mail; production.py defaults to SMTP.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@jichitai.localhost")
# Where residents reach the site; used for the links in e-mails sent from background work too.
JICHITAI_BASE_URL = env.str("JICHITAI_BASE_URL", default="http://127.0.0.1:8000")

# --- Logging: one JSON object per line, with the request id -----------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "jichitai.core.logging.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="json"),
            "filters": ["request_context"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
