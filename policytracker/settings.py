"""Settings for the policy tracker.

One module for every environment: everything that differs between a laptop, CI and
production comes from environment variables (see `.env.example`).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_rate(name, default):
    """A throttle's rate ("120/minute"), or None for "off" (or empty): no limit."""
    value = os.environ.get(name, default).strip()
    return None if value.lower() in {"", "off", "none"} else value


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment when DEBUG is off.")
    SECRET_KEY = "insecure-key-for-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "policytracker",
    "policytracker.search",
    "policytracker.corrections",
    "policytracker.profiles",
    "django_tasks",
    "django_tasks_db",
    "policytracker.jobs",
    "jurisdictions",
    "agreements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy and Permissions-Policy headers (see Hardening below).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A 503 with Retry-After, not a 500, while the database is unreachable or the disk full.
    "policytracker.unavailable.ServiceUnavailableMiddleware",
    # Where this request reads from: the replica for anonymous readers, when one is set.
    "policytracker.routers.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, but the API (no language prefix) answers in the request's language.
    "policytracker.language.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous responses from the shared cache, with ETag / Last-Modified and 304s
    # (policytracker/page_cache.py); after the language middleware, which it keys on.
    "policytracker.page_cache.PageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change (admin and API alike) in the records' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Locks out an address that keeps guessing a user's password (last, as axes asks).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "policytracker.urls"
WSGI_APPLICATION = "policytracker.wsgi.application"

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
                "django.template.context_processors.i18n",
                "policytracker.language.language_links",
            ],
        },
    },
]

# Form widgets render through the site's templates, so templates/django/forms/ can override
# Django's own (a select's options written in place, which is much faster).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# SQLite in the project folder unless DATABASE_URL names another database.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections buy nothing on a local file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # SQLite lets one connection write at a time. Write-ahead logging keeps pages readable
    # while a background job writes (a large import would otherwise lock readers out), and
    # IMMEDIATE transactions take the write lock when they begin, so that two writers queue
    # rather than one failing when it comes to write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL;", transaction_mode="IMMEDIATE"
    )

# A read replica of the primary (postgres://…; add ?connect_timeout=2 so that an unreachable
# host fails fast). When set, anonymous readers' GET requests read from it and everything
# else uses the primary (policytracker/routers.py); a replica that does not answer is
# skipped for REPLICA_RETRY_SECONDS. Tests treat it as a mirror of the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["policytracker.routers.PrimaryReplicaRouter"]
REPLICA_RETRY_SECONDS = int(os.environ.get("REPLICA_RETRY_SECONDS", "10"))
# Seconds a 503 (database unreachable, disk full) asks clients to wait before trying again.
RETRY_AFTER_SECONDS = int(os.environ.get("RETRY_AFTER_SECONDS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English at the site's addresses as they were, Spanish under /es/ (policytracker/urls.py).
# The catalogue is locale/es/LC_MESSAGES/django.po; `manage.py compile_catalogue` (run by
# `make run` and `make test`) builds the .mo that Django reads.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Chicago"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    # Uploads appear whole or not at all (a failed write leaves no partial file).
    "default": {"BACKEND": "policytracker.storage.WholeFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# With DEBUG on (make run, tests) static files are served from the app folders; with it off,
# hashed names need `collectstatic` first, as the README's deployment steps do.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=True)
WHITENOISE_MANIFEST_STRICT = False

# The cache: shared by every process and server through Redis when REDIS_URL names one
# (redis://host:6379/0), else each process keeps its own in memory. It holds whole responses
# for anonymous readers (policytracker/page_cache.py) and search's counts, facets and pages
# of results (policytracker/search/cache.py), each under a version token that a database
# trigger changes with every write, so nothing cached is served once the data has changed;
# timeouts only bound how long an unused entry takes memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's own, with its Redis clients kept (policytracker/redis_cache.py).
            "BACKEND": "policytracker.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "policytracker",
            # A Redis that stops answering slows a request by this much, never hangs it:
            # the page cache then answers without it.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        # Each process's own copies of the pages it answered from Redis, under the same
        # versioned keys (policytracker/page_cache.py): a repeated page skips the round trip.
        "local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "policytracker-pages",
            "OPTIONS": {"MAX_ENTRIES": 500},
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "policytracker",
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }
# Seconds an anonymous page, API response or feed is kept for whoever asks the same; 0
# turns the page cache and its ETag / Last-Modified off (the tests run with it off, but
# for tests/test_page_cache.py, so that query counts measure the uncached path).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# The site's name in the citations its pages suggest (blank: "Policy tracker", translated).
SITE_NAME = os.environ.get("SITE_NAME", "")

# What the About page and the API root say of the data: the license the records are published
# under, and where readers send corrections: the site's own form at /corrections/ (staff read
# what comes in the admin), or CORRECTIONS_URL (an issue tracker, another form) instead when
# set; CORRECTIONS_EMAIL, when set, is offered beside the form.
DATA_LICENSE = os.environ.get("DATA_LICENSE", "Creative Commons Attribution 4.0 (CC BY 4.0)")
DATA_LICENSE_URL = os.environ.get(
    "DATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
CORRECTIONS_EMAIL = os.environ.get("CORRECTIONS_EMAIL", "")
CORRECTIONS_URL = os.environ.get("CORRECTIONS_URL", "")

# Public pages of changes name the staff member who made each one only when this is set.
HISTORY_SHOW_STAFF_NAMES = env_bool("HISTORY_SHOW_STAFF_NAMES")

# Background jobs (policytracker/jobs/): admin imports, the search index's rebuild and bulk
# exports run on a worker, through Django's task framework (the django-tasks backport).
# With REDIS_URL set, on RQ: start workers with `manage.py rqworker`. Without it, in the
# database itself, so no other server is needed: start one with `manage.py db_worker`.
# TASKS_BACKEND=database keeps them in the database even when REDIS_URL is set (for the
# cache). JOB_TIMEOUT_SECONDS bounds a job's run on RQ (a longer one is stopped).
REDIS_URL = os.environ.get("REDIS_URL", "")
JOB_TIMEOUT_SECONDS = int(os.environ.get("JOB_TIMEOUT_SECONDS", "7200"))
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "rq" if REDIS_URL else "database")
if TASKS_BACKEND not in ("rq", "database"):
    raise ImproperlyConfigured("TASKS_BACKEND is rq or database.")
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}  # what runs a task on an RQ worker
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": JOB_TIMEOUT_SECONDS}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

SEARCH_CACHE_SECONDS = int(os.environ.get("SEARCH_CACHE_SECONDS", "600"))

# Uploaded source documents.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SOURCE_DOCUMENT_MAX_BYTES = int(os.environ.get("SOURCE_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))

# --- Hardening ------------------------------------------------------------------------
# With DEBUG off the defaults are a production site's behind TLS: secure cookies, HTTP
# redirected to HTTPS (except the health check, which load balancers ask over HTTP) and
# HSTS for a year, subdomains included, preload allowed. A server on plain HTTP (a benchmark
# on 127.0.0.1) sets SECURE_SSL_REDIRECT=false (browsers ignore HSTS over HTTP);
# SECURE_HSTS_SECONDS=0, SECURE_HSTS_INCLUDE_SUBDOMAINS=false and SECURE_HSTS_PRELOAD=false
# weaken HSTS for a site that cannot promise HTTPS on every subdomain. BEHIND_TLS_PROXY=true
# when a proxy terminates TLS and sets X-Forwarded-Proto (and X-Forwarded-For, which the
# throttles and the login lockout then read for the client's address).
# `manage.py check --deploy` passes with the production environment of .env.example
# (tests/test_security_settings.py).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): everything from this site, nothing inline (no
# <script> or <style> in a page, no style= or on…= attribute), no plugins, no framing, forms
# posting only here. Images may be data: URIs (the admin's and the API docs' icons).
# Uploaded documents get a stricter one of their own (policytracker/documents/views.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Permissions-Policy (django-permissions-policy): the site uses none of these features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# The admin's login (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user
# from one address, that user is locked out from that address for AXES_COOLOFF_MINUTES,
# even with the right password; a successful login resets the count. Staff see and clear
# the attempts and lockouts in the admin (Axes), or lift them all: `manage.py axes_reset`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "policytracker.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "policytracker.throttling.client_address"
AXES_VERBOSE = False
# Only failures are kept (shown in the admin as Access attempts, where deleting one lifts
# its lockout), never a log of every sign-in. policytracker/admin.py registers that admin.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False

# The API's throttles: requests per client address (anonymous) or per user, as "N/second",
# "N/minute", "N/hour" or "N/day"; "off" turns one off (as the load benchmarks do). Counts
# are kept in the shared cache (CACHES), so every server process shares one count.
API_ANON_RATE = env_rate("API_ANON_RATE", "120/minute")
API_USER_RATE = env_rate("API_USER_RATE", "600/minute")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "policytracker.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "policytracker.schema.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Rates: API_ANON_RATE and API_USER_RATE above; a refusal is a 429 naming the limit.
    "DEFAULT_THROTTLE_CLASSES": [
        "policytracker.throttling.AnonThrottle",
        "policytracker.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": API_ANON_RATE,
        "user": API_USER_RATE,
    },
    "NUM_PROXIES": 1 if BEHIND_TLS_PROXY else None,
    "EXCEPTION_HANDLER": "policytracker.throttling.exception_handler",
}

FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("Any")

SPECTACULAR_SETTINGS = {
    "TITLE": "Policy tracker API",
    "DESCRIPTION": (
        "Read-only for everyone, writable with the model permission: jurisdictions, "
        "agencies, ordinances, agreements and statements on local cooperation with federal "
        "immigration enforcement, each with its sources. Vague dates are given at their "
        "precision as ISO 8601 prefixes: `2012`, `2012-09` or `2012-09-14`."
    ),
    "VERSION": "1",
    "LICENSE": {"name": DATA_LICENSE, **({"url": DATA_LICENSE_URL} if DATA_LICENSE_URL else {})},
    "CONTACT": (
        {"url": CORRECTIONS_URL}
        if CORRECTIONS_URL
        else {"name": "Corrections: the form at /corrections/ on this site"}
        | ({"email": CORRECTIONS_EMAIL} if CORRECTIONS_EMAIL else {})
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI would otherwise show a badge loaded from its maker's validator, sending it
    # the schema's address from every reader's browser: no page requests another host.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "JurisdictionKindEnum": "jurisdictions.models.JurisdictionKind",
        "AgencyKindEnum": "jurisdictions.models.AgencyKind",
        "OrdinanceKindEnum": "jurisdictions.models.OrdinanceKind",
        "OrdinanceStatusEnum": "jurisdictions.models.OrdinanceStatus",
        "AgreementKindEnum": "agreements.models.AgreementKind",
        "AgreementStatusEnum": "agreements.models.AgreementStatus",
        "ListingStateEnum": "agreements.models.ListingState",
        "SourceKindEnum": "policytracker.models.SourceKind",
    },
}
