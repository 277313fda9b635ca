"""Settings shared by every environment. Every value that differs between machines comes from
the environment (django-environ); the README lists each variable with its default."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from tracker.spreadsheets import CSV, XLSX

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
# The key a developer's machine uses when SECRET_KEY is unset; public, so production refuses it.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "accounts",
    "programs",
    "exporters",
    # The admin with a second factor at sign-in (accounts.admin_site), as `admin.site`. Last:
    # the first app holding a template wins, and the apps above override the admin's own
    # (admin/index.html, the home; admin/base_site.html, the header's bell).
    "accounts.admin_config.TrackerAdminConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "tracker.client_address.ClientAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tracker.middleware.ApiPreconditionFailedBodyMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "tracker.middleware.ApiServerErrorMiddleware",
    "tracker.middleware.DatabaseUnavailableMiddleware",
]

# How many proxies in front of the tracker append to X-Forwarded-For (tracker.client_address):
# 0 (no proxy) ignores the header, which any caller can write.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

ROOT_URLCONF = "tracker.urls"
CSRF_FAILURE_VIEW = "accounts.error_pages.csrf_failure"
# Where the admin lives; production may move it off the well-known path.
ADMIN_URL = env.str("ADMIN_URL", default="admin/")
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A connection is kept for the requests after it (opening one costs more than a page of
# work: a new PostgreSQL backend per request halved the throughput), and checked before it
# is reused, so a restarted database costs a reconnect, not an error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker of `make run` write to one file: WAL lets readers
    # go on while one writes, IMMEDIATE takes the write lock when a transaction begins (a
    # deferred one that read first cannot wait for it and fails at once with "database is
    # locked"), and the busy timeout is how long a writer waits its turn.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env.float("SQLITE_BUSY_TIMEOUT_SECONDS", default=20.0),
    })
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiling pays off for long analytical queries, not for a web request's: a statement
    # whose cost the planner overestimates spends seconds compiling (the report's sums took
    # 2 s of JIT for 0.5 s of work at 500,000 milestones).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out people before anything else
    "accounts.backends.TrackerModelBackend",
]
# Brute force (accounts.sign_in): after AXES_FAILURE_LIMIT wrong passwords for one account,
# however its name or e-mail is spelled, from one client address, signing in to it from there
# (admin, exporter page, token endpoint) is refused for AXES_COOLOFF_HOURS. Attempts refused
# meanwhile do not extend the lock.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.sign_in.lockout_identity"
AXES_CLIENT_IP_CALLABLE = "tracker.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # one row per failure: the per-account slow-down counts them
AXES_HANDLER = "accounts.sign_in.SignInHandler"
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "accounts.backends.lockout_response"
# Across all clients: after SIGN_IN_FREE_FAILURES wrong passwords for one account within
# SIGN_IN_WINDOW_MINUTES, each attempt waits twice as long as the last (2 s, 4 s, ... at most
# SIGN_IN_MAX_DELAY_SECONDS) after the latest failure: guessing slows to a crawl, while a
# stranger's failures keep a colleague waiting a minute at most, never an hour.
SIGN_IN_FREE_FAILURES = env.int("SIGN_IN_FREE_FAILURES", default=10)
SIGN_IN_WINDOW_MINUTES = env.int("SIGN_IN_WINDOW_MINUTES", default=15)
SIGN_IN_MAX_DELAY_SECONDS = env.int("SIGN_IN_MAX_DELAY_SECONDS", default=60)
# API tokens stop working this long after they were issued; signing in again issues a new one.
API_TOKEN_MAX_AGE_HOURS = env.int("API_TOKEN_MAX_AGE_HOURS", default=7 * 24)
# Two-factor sign-in (accounts.two_factor): when true, officers, managers and administrators
# give a code from an authenticator app after their password (admin and token endpoint) and
# are taken to set one up if they have none. Anyone who has set one up is always asked.
STAFF_OTP_REQUIRED = env.bool("STAFF_OTP_REQUIRED", default=False)
# The name authenticator apps show next to the code; ASCII, which every app displays.
OTP_TOTP_ISSUER = "Trade Strategy Tracker"
# Password given, code not yet: the sign-in waits this many seconds for the code.
OTP_PENDING_SIGN_IN_SECONDS = 300
LOGIN_URL = "exporter-login"
LOGIN_REDIRECT_URL = "exporter-home"
# How long the e-mail confirmation link of an exporter registration stays valid.
EXPORTER_VERIFICATION_MAX_AGE = env.int("EXPORTER_VERIFICATION_MAX_AGE", default=3 * 24 * 3600)
# Where companies write to the food-export programme (the exporter pages name it, e.g. to a
# company whose registration was not approved).
EXPORTER_CONTACT_EMAIL = env.str("EXPORTER_CONTACT_EMAIL", default="food-export@example.go.jp")
# Every password set anywhere (registration, admin, password change) passes these; setting one
# goes through accounts.services.user_set_password, which also signs the person out elsewhere.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.PersonAndCompanySimilarityValidator"},
    {"NAME": "accounts.validators.VisibleLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.validators.DistinctCharactersValidator"},
    {"NAME": "accounts.validators.PublicPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Japanese first; English through the Accept-Language header or the admin's language switch.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")


# Without EMAIL_URL, mail is written to files in sent_mail/ (one file per message).
_email = env.email_url("EMAIL_URL", default="filemail://")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=_email["EMAIL_BACKEND"])
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent_mail"))
# A mail server that stops answering must not hold a worker: give up after this many seconds
# (the delivery is then retried later).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tracker@localhost")

# Redis is optional. Without REDIS_URL the cache is local memory and Celery's broker is a
# folder of files (kombu's filesystem transport, which makes its folders itself): `make run`
# starts a worker with an embedded beat on it, so the reminder schedule runs with no server.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # A lost Redis must not fail a request: the cache (request throttling) then fails open, and
    # quickly, instead of raising (django-redis's IGNORE_EXCEPTIONS); /health/ready/ tells.
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1,
                                      "SOCKET_TIMEOUT": 1}}}
    CELERY_BROKER_URL = REDIS_URL
    _broker_options = {}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "filesystem://"
    # kombu's file broker, making its folders when a process first uses it (tracker.celery).
    CELERY_BROKER_TRANSPORT = "tracker.celery:FolderTransport"
    _broker_folder = Path(env.str("CELERY_BROKER_FOLDER", default=str(BASE_DIR / ".celery")))
    _broker_options = {"data_folder_in": str(_broker_folder / "queue"),
                       "data_folder_out": str(_broker_folder / "queue"),
                       "control_folder": str(_broker_folder / "control")}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# acks_late tasks: take one message at a time, and have Redis hand a message that a dead
# worker never acknowledged to another worker after this many seconds.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
_visibility_timeout = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **_broker_options,
    "visibility_timeout": _visibility_timeout,
    # Look for such messages every few seconds (a cheap Redis query), not every 100 s.
    "unacked_restore_interval": max(1, min(10, _visibility_timeout // 3)),
    "unacked_restore_throttle": 1,
}
# Nothing reads task results: not storing them also keeps a publish from touching the result
# backend, so a lost Redis costs one failed publish, not a hang.
CELERY_TASK_IGNORE_RESULT = True
# A task that hangs (a mail server that accepts the connection and then says nothing) is
# interrupted, then killed, so that an acks_late worker is never held forever. The daily
# sweep is the longest task.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=660)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE

# Reminders (programs.services.reminders); an initiative may override the due-soon and stale
# thresholds and the owner's limit for its own milestones. Overdue and stale reminders repeat
# every REPEAT days for the first BACKOFF_AFTER days, then every BACKOFF_REPEAT days; after
# OWNER_LIMIT reminders the owner hears no more and the initiative's owner carries it (for as
# many again), then the managers' weekly digest.
REMINDER_DUE_SOON_DAYS = env.list("REMINDER_DUE_SOON_DAYS", cast=int, default=[14, 7, 1])
REMINDER_OVERDUE_REPEAT_DAYS = env.int("REMINDER_OVERDUE_REPEAT_DAYS", default=7)
REMINDER_OVERDUE_ESCALATE_AFTER_DAYS = env.int("REMINDER_OVERDUE_ESCALATE_AFTER_DAYS", default=14)
REMINDER_STALE_AFTER_DAYS = env.int("REMINDER_STALE_AFTER_DAYS", default=30)
REMINDER_BACKOFF_AFTER_DAYS = env.int("REMINDER_BACKOFF_AFTER_DAYS", default=30)
REMINDER_BACKOFF_REPEAT_DAYS = env.int("REMINDER_BACKOFF_REPEAT_DAYS", default=30)
REMINDER_OWNER_LIMIT = env.int("REMINDER_OWNER_LIMIT", default=6)
# A quarter's progress report is due this many days after the quarter ends; its owner hears
# a week before, on the day, and every week after until it is submitted.
PROGRESS_REPORT_DUE_DAYS = env.int("PROGRESS_REPORT_DUE_DAYS", default=15)
# A delivery left "sending" longer than this by a worker that died is tried again.
REMINDER_SEND_LEASE_SECONDS = env.int("REMINDER_SEND_LEASE_SECONDS", default=300)
# Webhooks (README, Webhooks): endpoints on loopback, private, link-local or reserved addresses
# (and plain http://, outside DEBUG) are refused unless this is on (tests only: SSRF).
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10)
# At most this much of a receiver's answer is read (and its start kept in the log).
WEBHOOK_RESPONSE_MAX_BYTES = env.int("WEBHOOK_RESPONSE_MAX_BYTES", default=64 * 1024)
# A delivery not answered 2xx is retried with exponential backoff for this long, then failed.
WEBHOOK_RETRY_HOURS = env.int("WEBHOOK_RETRY_HOURS", default=24)
# The address links in e-mails point at.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Demo accounts (`seed --with-demo-users`) and their password: development and tests only
# (development.py, test.py), where the documented demo password is the default.
DEMO_ACCOUNTS_ALLOWED = False
DEMO_PASSWORD = ""

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# Reverting from history would bypass the services' checks; corrections are new edits.
SIMPLE_HISTORY_REVERT_DISABLED = True
# The admin's exports: CSV and XLSX, each cell made inert (no formulas: tracker/spreadsheets.py).
EXPORT_FORMATS = [CSV, XLSX]

# Content-Security-Policy on every response (django-csp): scripts, styles, images and fonts
# from this site's own files only: no inline script or style, no eval, no other origin, no
# plugins, no framing. The API docs page adds what Swagger UI needs (tracker/api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    },
}

# The largest JSON body the API reads (the longest text a client may send is a report's
# 50,000-character narrative); a larger one is a 413.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
# Spreadsheet imports (programs.imports): the largest file read, and the most rows in it. A
# larger file or more rows is refused with a message that states the limit.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=1000)

REST_FRAMEWORK = {
    # Token first, so that an anonymous caller is told 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.backends.TrackerTokenAuthentication",
        "accounts.backends.TrackerSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["tracker.api.parsers.BoundedJSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "tracker.api.filtering.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "tracker.api.ordering.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.StandardPagination",
    "DEFAULT_SCHEMA_CLASS": "tracker.api.schema.TrackerAutoSchema",
    "EXCEPTION_HANDLER": "tracker.api.errors.api_exception_handler",
    # Callers counted by their address as tracker.client_address reads it.
    "DEFAULT_THROTTLE_CLASSES": [
        "tracker.api.throttling.AnonRateThrottle",
        "tracker.api.throttling.UserRateThrottle",
        "tracker.api.throttling.ScopedRateThrottle",
    ],
    # Counted in the default cache: Redis when REDIS_URL is set, so all workers share them.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="60/minute"),
        "user": env.str("THROTTLE_USER", default="1200/minute"),
        "auth": env.str("THROTTLE_AUTH", default="10/minute"),
        "register": env.str("THROTTLE_REGISTER", default="5/hour"),
    },
    "SEARCH_PARAM": "search",
    "ORDERING_PARAM": "ordering",
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    # ASCII: client generators make package names of it. The Japanese name is in the description.
    "TITLE": "Trade Strategy Tracker API",
    "DESCRIPTION": (
        "通商戦略トラッカー (Trade Strategy Tracker). Initiatives, projects, milestones, status "
        "updates, KPIs, country plans and support measures of Trade Strategy 2026. "
        "Authenticate with `Authorization: Token <token>` (POST /api/v1/auth/token/). Records "
        "carry an ETag: a change must send it back in If-Match (428 without it, 412 when "
        "stale); a GET answers 304 to a current If-None-Match. Errors have one shape: "
        "{code, detail, fields}."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from the public validator (another origin, which the CSP refuses anyway).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.api.schema.generator_friendly",
    ],
    "ENUM_NAME_OVERRIDES": {
        "WorkStatusEnum": "programs.models.choices.WorkStatus",
        "InitiativeStatusEnum": "programs.models.choices.InitiativeStatus",
        "HealthEnum": "programs.models.choices.Health",
        "ReminderKindEnum": "programs.models.notification.ReminderKind",
        "SupportKindEnum": "programs.models.choices.SupportKind",
        "OrganisationKindEnum": "accounts.models.OrganisationKind",
        "ReportStatusEnum": "programs.models.progress_report.ReportStatus",
        "ExporterStatusEnum": "exporters.models.ExporterStatus",
        "KPIVerdictEnum": "programs.reporting.labels.VERDICTS",
        # What each kind of record's form (…/{id}/form/) may name as writable.
        "MilestoneFieldEnum": "programs.services.milestones.ADMINISTRATOR_FIELDS",
        "InitiativeFieldEnum": "programs.services.initiatives.ADMINISTRATOR_FIELDS",
        "CountryActionFieldEnum":
            "programs.services.work_items.COUNTRY_ACTION_ADMINISTRATOR_FIELDS",
        "ProgressReportFieldEnum": "programs.services.progress_reports.WRITABLE_FIELDS",
        "ProgressReportMoveEnum": "programs.workflow.REPORT_MOVES",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client": {"()": "tracker.client_address.ClientAddressLogFilter"}},
    "formatters": {"plain": {"format": "%(levelname)s %(name)s [%(client)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["client"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
