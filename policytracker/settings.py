"""Settings for the policy tracker.

One module for every environment: everything that differs between a laptop, CI and
production comes from environment variables (see `.env.example`).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


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
    "policytracker",
    "policytracker.search",
    "policytracker.corrections",
    "policytracker.profiles",
    "jurisdictions",
    "agreements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, but the API (no language prefix) answers in the request's language.
    "policytracker.language.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change (admin and API alike) in the records' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
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

# Each process keeps its own cache. Search keeps its counts, facets and pages of results
# there under the index's version (policytracker/search/cache.py), so an edit shows at
# once; the timeout only bounds how long an unused result takes memory. 0 turns it off.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "policytracker",
        "OPTIONS": {"MAX_ENTRIES": 3000},
    }
}
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

SEARCH_CACHE_SECONDS = int(os.environ.get("SEARCH_CACHE_SECONDS", "600"))

# Uploaded source documents.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SOURCE_DOCUMENT_MAX_BYTES = int(os.environ.get("SOURCE_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
REFERRER_POLICY = "same-origin"

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
