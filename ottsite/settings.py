"""Settings for ottsite, all read from the environment (see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from ottsite.lib import embedded
from ottsite.lib.env import (
    env_bool,
    env_crontab,
    env_float,
    env_int,
    env_int_list,
    env_list,
    env_networks,
    env_path,
    env_rate,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# TensorFlow's C++ start-up chatter (CPU feature notes) drowns the training progress.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS (all off by default for loopback development; .env.example lists the
# production values, with which `manage.py check --deploy` is clean).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Health probes come over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
# The language cookie is sent over HTTPS only wherever the session cookie is (a
# Secure cookie on a plain-HTTP deployment would never be stored), never read by
# scripts, and not sent on cross-site requests.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Behind a TLS-terminating proxy, X-Forwarded-Proto says whether the client used
# HTTPS; it is believed only from TRUSTED_PROXIES (ForwardedProtoMiddleware), not
# through SECURE_PROXY_SSL_HEADER, which Django would believe from any client.
SECURE_PROXY_SSL_HEADER = None

# All state (embedded database and Redis, datasets, model artifacts) lives here.
VAR_DIR = env_path("OTT_VAR_DIR", BASE_DIR / "var")
DATASETS_DIR = VAR_DIR / "datasets"
MODELS_DIR = VAR_DIR / "models"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "ottsite",
    "catalog",
    "accounts",
    "survey",
    "recommender",
    "experiments",
    "planner",
]

MIDDLEWARE = [
    # Before anything asks request.is_secure() (SecurityMiddleware's redirect, HSTS).
    "ottsite.lib.middleware.ForwardedProtoMiddleware",
    # Outside WhiteNoise and the error middleware, so every response has the header.
    "ottsite.lib.middleware.ContentSecurityPolicyMiddleware",
    # Above the rest, so it compresses what the middleware below produced. Since Django
    # 4.2 it pads each compressed response with random bytes ("Heal the Breach"), which
    # with the per-request masked CSRF token is the mitigation for BREACH on pages
    # that carry secrets.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ottsite.lib.middleware.ApiErrorMiddleware",
    "ottsite.lib.long_urls.ApiLongUrlMiddleware",
    "ottsite.lib.middleware.PageOutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ottsite.urls"
WSGI_APPLICATION = "ottsite.wsgi.application"
ASGI_APPLICATION = "ottsite.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql"))
if not DATABASE_URL:
    DATABASE_URL = embedded.postgres_url(VAR_DIR)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# A unix-socket URL (?host=/dir, as pgserver gives) lands in OPTIONS; Django wants HOST.
if "host" in DATABASES["default"].get("OPTIONS", {}):
    DATABASES["default"]["HOST"] = DATABASES["default"]["OPTIONS"].pop("host")

REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "redis+socket", "unix"))
if not REDIS_URL:
    REDIS_URL = embedded.redis_url(VAR_DIR)

CACHES = {
    "default": {
        # Falls back to a per-process memory cache while Redis is down, so throttles
        # and the login limiter keep working (per process) instead of answering 500.
        "BACKEND": "ottsite.lib.cache.FallbackRedisCache",
        "LOCATION": REDIS_URL.replace("redis+socket://", "unix://"),
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2},
    }
}

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "ottsite")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker killed mid-task (or its pool child, WorkerLostError) puts the message back.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Publishing must fail fast when Redis is down: the request that enqueues has already
# committed its work, and the watchdog below re-queues anything left pending.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 10}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 10
# Celery's Django fix-up closes the database connection before and after every task
# unless this is set: each build then paid for a new PostgreSQL backend (fork,
# authentication, cold catalogue caches). ottsite/celery.py instead recycles the
# connection the way a web request does (close_old_connections: CONN_MAX_AGE, and a
# connection that saw an error is dropped if it is no longer usable).
CELERY_DB_REUSE_MAX = 1000

# Building one recommendation set: a soft time limit (the task fails the set), a hard
# one (the pool child is killed), and a lease longer than both after which another
# task may take over a `running` set whose worker is gone.
RECOMMENDATION_BUILD_TIMEOUT = env_int("RECOMMENDATION_BUILD_TIMEOUT", 60, minimum=1)
RECOMMENDATION_LEASE_SECONDS = env_int(
    "RECOMMENDATION_LEASE_SECONDS", RECOMMENDATION_BUILD_TIMEOUT + 30, minimum=1
)
RECOMMENDATION_MAX_ATTEMPTS = env_int("RECOMMENDATION_MAX_ATTEMPTS", 3, minimum=1)
# Transient errors (database or Redis away): retries with exponential backoff capped
# at RECOMMENDATION_RETRY_MAX_SECONDS, published to Redis without touching the database.
RECOMMENDATION_RETRIES = env_int("RECOMMENDATION_RETRIES", 8, minimum=0)
RECOMMENDATION_RETRY_MAX_SECONDS = env_int(
    "RECOMMENDATION_RETRY_MAX_SECONDS", 60, minimum=1
)
# The watchdog (beat) runs every RECOMMENDATION_SWEEP_SECONDS: it re-queues sets left
# pending longer than RECOMMENDATION_REQUEUE_SECONDS (a lost enqueue while Redis was
# down) and running sets whose lease expired; it fails those out of attempts.
RECOMMENDATION_SWEEP_SECONDS = env_int("RECOMMENDATION_SWEEP_SECONDS", 30, minimum=1)
RECOMMENDATION_REQUEUE_SECONDS = env_int(
    "RECOMMENDATION_REQUEUE_SECONDS", 60, minimum=1
)
# Hourly: queue TMDB refreshes for the 200 movies checked longest ago (a no-op
# without TMDB_API_KEY); a full 1,682-movie catalogue turns over in ~9 hours.
CELERY_BEAT_SCHEDULE = {
    "recommendation-sets-sweep": {
        "task": "recommender.sweep",
        "schedule": float(RECOMMENDATION_SWEEP_SECONDS),
    },
    "availability-refresh-stale": {
        "task": "catalog.availability_refresh_stale",
        "schedule": 3600.0,
        "kwargs": {"batch_size": 200},
    },
}
# Nightly (04:30 server time by default): the catalogue sync of every region from
# TMDB; an empty CATALOG_SYNC_SCHEDULE turns it off. A no-op without TMDB_API_KEY.
CATALOG_SYNC_SCHEDULE = env_crontab("CATALOG_SYNC_SCHEDULE", "30 4 * * *")
if CATALOG_SYNC_SCHEDULE is not None:
    from celery.schedules import crontab

    CELERY_BEAT_SCHEDULE["catalog-sync"] = {
        "task": "catalog.sync_all",
        "schedule": crontab(**CATALOG_SYNC_SCHEDULE),
    }
# Plan reminders (issue #26): a few days before each planned switch, daily at 09:00
# by default; an empty PLAN_REMINDER_SCHEDULE turns them off.
PLAN_REMINDER_SCHEDULE = env_crontab("PLAN_REMINDER_SCHEDULE", "0 9 * * *")
if PLAN_REMINDER_SCHEDULE is not None:
    from celery.schedules import crontab

    CELERY_BEAT_SCHEDULE["plan-reminders"] = {
        "task": "planner.reminders",
        "schedule": crontab(**PLAN_REMINDER_SCHEDULE),
    }
# Gated retraining on the data set plus consenting product users: nightly at 03:00
# (server time) by default; an empty RETRAIN_SCHEDULE turns it off.
RETRAIN_SCHEDULE = env_crontab("RETRAIN_SCHEDULE", "0 3 * * *")
if RETRAIN_SCHEDULE is not None:
    from celery.schedules import crontab

    CELERY_BEAT_SCHEDULE["recommender-retrain"] = {
        "task": "recommender.train",
        "schedule": crontab(**RETRAIN_SCHEDULE),
    }
# A candidate is activated unless its cold-start NDCG@10 on the held-out users is
# lower than the active version's by more than this (absolute).
RETRAIN_NDCG_TOLERANCE = env_float("RETRAIN_NDCG_TOLERANCE", 0.02, minimum=0.0)
# Maximum epochs when none is given (nightly task, admin "train now", the command);
# 0 = the model's default (early stopping decides).
RETRAIN_EPOCHS = env_int("RETRAIN_EPOCHS", 0, minimum=0)

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Failed logins (page and API share one limiter) allowed in each window, e.g. 5/m:
# per username from one client address, and per address. A client over either waits;
# the owner elsewhere does not. Past the much higher ceiling per username (guessing
# from many addresses) only a browser or address the user logged in from before may
# still try (accounts.limits).
LOGIN_RATE_LIMIT = env_rate("LOGIN_RATE_LIMIT", "5/m")
LOGIN_RATE_LIMIT_ADDRESS = env_rate("LOGIN_RATE_LIMIT_ADDRESS", "20/m")
LOGIN_RATE_LIMIT_USERNAME = env_rate("LOGIN_RATE_LIMIT_USERNAME", "100/h")
# Proxies (IPs or CIDRs) whose X-Forwarded-For and -Proto are believed; empty: use
# REMOTE_ADDR and plain HTTP.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
if env_bool("SECURE_PROXY_SSL_HEADER", False) and not TRUSTED_PROXIES:
    # The old switch: without a trusted proxy every request would now read as plain
    # HTTP, and SECURE_SSL_REDIRECT would redirect forever.
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECURE_PROXY_SSL_HEADER is no longer read: list the TLS proxy's address "
        "in TRUSTED_PROXIES (X-Forwarded-Proto is believed only from there)"
    )
# After log-in: the user's recommendations (an invitation to the survey before the
# first one); a safe ?next= still wins.
LOGIN_REDIRECT_URL = "recommender:latest"
LOGOUT_REDIRECT_URL = "home"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ottsite <noreply@localhost>")

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env_path("STATIC_ROOT", VAR_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names let WhiteNoise send far-future, immutable cache headers (a page
    # view revalidates nothing), gzip- and brotli-compressed ahead of time.
    # `collectstatic` (make run, the Dockerfile) writes the manifest.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ottsite.lib.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["ottsite.lib.api_guards.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "ottsite.lib.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "ottsite.lib.api.api_exception_handler",
    # Keyed on the real client address (ottsite.lib.clientip), not on a header.
    "DEFAULT_THROTTLE_CLASSES": [
        "ottsite.lib.api_guards.AnonThrottle",
        "ottsite.lib.api_guards.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_THROTTLE_ANON", "60/min"),
        "user": env_rate("API_THROTTLE_USER", "600/min"),
        "events": env_rate("API_THROTTLE_EVENTS", "120/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "ottsite.lib.api.Pagination",
    "PAGE_SIZE": 20,
}
# Request bodies of the API are small JSON; bigger ones get a JSON 413.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1_048_576, minimum=1024)
# Longest API URL (path and query) read; longer ones get a JSON 414. Keep it under
# gunicorn's limit_request_line (8190), which answers past it with an HTML 414.
API_MAX_URL_LENGTH = env_int("API_MAX_URL_LENGTH", 4096, minimum=256)
SPECTACULAR_SETTINGS = {
    "TITLE": "ottsite API",
    "DESCRIPTION": "Movie recommendations and where to stream them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    },
    "ENUM_NAME_OVERRIDES": {
        "GenderEnum": "accounts.models.Gender",
        "MovieKindEnum": "catalog.models.Movie.Kind",
        "PlanStatusEnum": "planner.payload.PLAN_STATUSES",
        "RecommendationSetStatusEnum": "recommender.models.RecommendationSet.Status",
        "RegionEnum": "accounts.models.Region",
    },
}

# Data sources and outside services.
MOVIELENS_SOURCE = env_str("MOVIELENS_SOURCE", "")
TMDB_API_KEY = env_str("TMDB_API_KEY", "")
TMDB_API_URL = (
    env_url("TMDB_API_URL", ("http", "https")) or "https://api.themoviedb.org"
)
GOOGLE_CSE_ENABLED = env_bool("GOOGLE_CSE_ENABLED", False)
GOOGLE_CSE_KEY = env_str("GOOGLE_CSE_KEY", "")
GOOGLE_CSE_CX = env_str("GOOGLE_CSE_CX", "")
GOOGLE_CSE_URL = (
    env_url("GOOGLE_CSE_URL", ("http", "https"))
    or "https://www.googleapis.com/customsearch/v1"
)
AVAILABILITY_STALE_DAYS = env_int("AVAILABILITY_STALE_DAYS", 30, minimum=1)
# TMDB allows roughly 40 requests a second; bulk refreshes stay well under.
TMDB_REQUESTS_PER_SECOND = env_float("TMDB_REQUESTS_PER_SECOND", 10.0, minimum=0.1)
GOOGLE_CSE_REQUESTS_PER_SECOND = env_float(
    "GOOGLE_CSE_REQUESTS_PER_SECOND", 1.0, minimum=0.01
)
TMDB_IMAGE_URL = (
    env_url("TMDB_IMAGE_URL", ("http", "https")) or "https://image.tmdb.org/t/p/w185"
)
# How long a queued on-demand look-up shows as "checking", and how soon a failed
# one may be queued again.
AVAILABILITY_PENDING_SECONDS = env_int("AVAILABILITY_PENDING_SECONDS", 120, minimum=5)
AVAILABILITY_ERROR_RETRY_SECONDS = env_int(
    "AVAILABILITY_ERROR_RETRY_SECONDS", 600, minimum=0
)
# Title content (genres, people, countries, dates) and Korean labels from Wikidata
# (CC0, no key): fetched by the catalogue sync (titles it changed, synced ones due) and
# `manage.py fetch_content`; refetched after CONTENT_REFRESH_DAYS. Wikimedia asks
# for a contact in the User-Agent and a few requests a second at most.
WIKIDATA_ENABLED = env_bool("WIKIDATA_ENABLED", True)
WIKIDATA_API_URL = (
    env_url("WIKIDATA_API_URL", ("http", "https"))
    or "https://www.wikidata.org/w/api.php"
)
WIKIDATA_CONTACT = env_str("WIKIDATA_CONTACT", "")
WIKIDATA_REQUESTS_PER_SECOND = env_float(
    "WIKIDATA_REQUESTS_PER_SECOND", 3.0, minimum=0.1
)
CONTENT_REFRESH_DAYS = env_int("CONTENT_REFRESH_DAYS", 30, minimum=1)
# The content model (recommender/ml/content_model.py) trained with every model: it
# places titles nobody has rated (current synced films and series) by their
# MovieLens and Wikidata content. Its taste dimensions are chosen on validation
# titles among RECOMMENDER_CONTENT_DIMS.
RECOMMENDER_CONTENT_MODEL = env_bool("RECOMMENDER_CONTENT_MODEL", True)
RECOMMENDER_CONTENT_DIMS = env_int_list("RECOMMENDER_CONTENT_DIMS", [16, 32, 64, 128])
RECOMMENDER_CONTENT_VALIDATION_USERS = env_int(
    "RECOMMENDER_CONTENT_VALIDATION_USERS", 400, minimum=1
)
# KOBIS, the Korean Film Council's open API (a free key, 3,000 calls a day): Korean
# release titles for films no other source names in Korean. Empty key = not asked.
KOBIS_API_KEY = env_str("KOBIS_API_KEY", "")
KOBIS_API_URL = (
    env_url("KOBIS_API_URL", ("http", "https"))
    or "https://www.kobis.or.kr/kobisopenapi/webservice/rest"
)
RECOMMENDATIONS_K = env_int("RECOMMENDATIONS_K", 20, minimum=1)
# How many of the whole catalogue's best titles a set keeps behind the shown ones
# (filters narrow this list; the service advice counts over it).
RECOMMENDATION_POOL_SIZE = env_int("RECOMMENDATION_POOL_SIZE", 300, minimum=1)
# How many of that longer list (beyond the shown titles) a new set asks TMDB about;
# synced titles are fresh already, so this bounds look-ups of MovieLens films.
AVAILABILITY_POOL_LOOKUPS = env_int("AVAILABILITY_POOL_LOOKUPS", 100, minimum=0)
# training users whose simulated surveys train the learned ranker (0 = no ranker)
RECOMMENDER_RANKER_USERS = env_int("RECOMMENDER_RANKER_USERS", 600, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}},
}
