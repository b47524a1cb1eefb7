"""Settings shared by every environment. Every environment variable the platform reads is read here.

`local` (the default of manage.py), `test` and `production` adjust these; they read nothing of their own
except what production must refuse to run without.
"""

import datetime as dt
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A `.env` beside manage.py is optional; real environment variables win over it.
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    # Only for accounts' migration that carried its tokens over to knox (0005_api_tokens_to_knox): its table stays
    # empty and nothing else uses it. Drop it once every deployment has run that migration (with a squash).
    "rest_framework.authtoken",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "notifications",
    "accounts",
    "programs",
    "mentorship",
    "matching",
    "evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
]

# Everything from our own origin; no inline script or style anywhere (the API docs load their own script file).
CONTENT_SECURITY_POLICY = {
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
# Swagger UI (third-party) sets inline styles; its page alone may.
CONTENT_SECURITY_POLICY_RELAXED = {"/api/v1/docs/": {"style-src": ["'self'", "'unsafe-inline'"]}}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "programs.context_processors.navigation",
                "notifications.context_processors.inbox",
                "mentorship.context_processors.unread_messages",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any plan its cost model rates expensive: the directory's per-mentor counts made
    # it spend ~40 ms compiling to save microseconds. Web requests never win that trade (bench/load.py).
    # The directory's search finds misspelt words by trigram word similarity (mentorship.search) through the `<%`
    # operator, which its GIN index answers: pg_trgm's default threshold (0.6) misses a swap of two letters
    # ("pyhton" is 0.29 of "Python"); 0.25 finds it, and ranking puts the exact matches first.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c pg_trgm.word_similarity_threshold=0.25"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Broker, tasks and cache ----------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Embedded default: no broker, so tasks run in-process at the moment they are sent.
    CELERY_BROKER_URL = "memory://localhost/"  # a host named: kombu warns of each send without one
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_EAGER_PROPAGATES = True
# Workers consume this queue and tasks sent without a queue go to it (a deployment may run several programs).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Task modules besides the apps' tasks.py (which autodiscovery finds): the skills part keeps its own.
CELERY_IMPORTS = ("evaluation.skill_tasks",)

CELERY_BEAT_SCHEDULE = {
    "expire-pending-requests": {"task": "mentorship.tasks.expire_requests", "schedule": 15 * 60},
    "send-meeting-reminders": {"task": "mentorship.tasks.send_meeting_reminders", "schedule": 5 * 60},
    "nudge-quiet-mentorships": {"task": "mentorship.tasks.send_quiet_nudges", "schedule": 60 * 60},
    "remind-unanswered-requests": {"task": "mentorship.tasks.send_request_reminders", "schedule": 60 * 60},
    "send-survey-invitations": {"task": "evaluation.tasks.send_survey_invitations", "schedule": 15 * 60},
    "requeue-waiting-rounds": {"task": "matching.tasks.requeue_waiting_rounds", "schedule": 60},
    "purge-expired-sign-ups": {"task": "accounts.tasks.purge_expired_signups", "schedule": 60 * 60},
    "purge-expired-api-tokens": {"task": "accounts.tasks.purge_expired_api_tokens", "schedule": 60 * 60},
    "purge-expired-sessions": {"task": "accounts.tasks.purge_expired_sessions", "schedule": 60 * 60},
    # Ask people to rate their skills at a mentorship's start and completion (evaluation.skill_prompts).
    "prompt-skill-ratings": {"task": "evaluation.skill_tasks.skill_rating_prompts_send", "schedule": 60 * 60},
    # Digests of the notices people chose to get daily or weekly (notifications.digests).
    "daily-digest": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(minute=0, hour=7),
        "args": ("daily",),
    },
    "weekly-digest": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
        "args": ("weekly",),
    },
}

# --- Email ----------------------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-emails"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Mentorship Platform <noreply@localhost>")

# --- Accounts -------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Every page reads its session: from the cache first (Redis in production), the database only on a miss, so a page
# costs no database round trip for it (bench/load.py). Signing everyone out stays the database's and the session
# hash's job (accounts.services.sessions_end_all), whatever the cache holds.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "landing"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# How long the emailed link that finishes a self-registration works; older pending sign-ups are purged hourly.
SIGNUP_CONFIRM_HOURS = env.int("SIGNUP_CONFIRM_HOURS", default=48)
# How long the link sent to the old address after a change of address can undo it.
EMAIL_REVERT_DAYS = env.int("EMAIL_REVERT_DAYS", default=7)

# `seed_demo` creates accounts with a published password; production refuses it unless told --force.
DEMO_DATA_ALLOWED = True

# How long an API token works after it is issued (`POST /api/v1/auth/token/`); never prolonged by use.
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=720)
REST_KNOX = {"TOKEN_TTL": dt.timedelta(hours=API_TOKEN_TTL_HOURS), "AUTO_REFRESH": False}

# Failed sign-ins (the sign-in page, the Django admin's, `auth/token/`) and password-reset requests share one
# counter per username and one per client address (django-axes, in the cache: Redis when set). At the limit, that
# username, or anyone from that address, is refused for the lockout time after the last failure, in exactly the
# words of a wrong password; a successful sign-in clears both counters. accounts/lockout.py has the rest.
AUTHENTICATION_BACKENDS = ["accounts.lockout.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("SIGN_IN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = "accounts.lockout.lockout_parameters"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_address"
AXES_RESET_ON_SUCCESS = True
# An attempt while locked out is not counted: the lockout ends on time even for someone who keeps retrying.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The database tables of axes stay empty with the cache handler: no admin pages for them.
AXES_ENABLE_ADMIN = False
# Failures are still logged (a warning each); not axes' banner at every start of every process.
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = [
    # AxesMiddleware only turns a lockout into an answer of its own (429 and a message). Ours answer a lockout as
    # a wrong password, so that nobody learns that an account is locked: the middleware would have nothing to do.
    "axes.W002",
]
if not REDIS_URL:
    # The embedded default serves from one process, whose memory is then the one counter. (Axes warns of a local
    # cache because several processes would each count alone: production has Redis.)
    SILENCED_SYSTEM_CHECKS.append("axes.W001")

# How many new skill names one person may have waiting for an admin's review at once.
SKILL_SUGGESTIONS_PER_PERSON = env.int("SKILL_SUGGESTIONS_PER_PERSON", default=10)

# Where links in emails sent outside a web request (the import command's invitations) point.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

# --- Program rules ------------------------------------------------------------------------------------
# Each program sets its own mentee limit and request expiry (programs.Program); these two are read once, by the
# migration that made the default program `main`, so that a deployment that had set them keeps its rules there.
MAX_ACTIVE_MENTORSHIPS_PER_MENTEE = env.int("MAX_ACTIVE_MENTORSHIPS_PER_MENTEE", default=1)
REQUEST_EXPIRY_DAYS = env.int("REQUEST_EXPIRY_DAYS", default=14)
# After withdrawing a request, a mentee may ask the same mentor again only this many hours later.
REQUEST_COOLDOWN_HOURS = env.int("REQUEST_COOLDOWN_HOURS", default=24)
# The mentor directory keeps its answers until a mentor, a mentorship or an offer changes, and at most this long.
DIRECTORY_CACHE_SECONDS = env.int("DIRECTORY_CACHE_SECONDS", default=30)
# A round with this many waiting mentees splits its candidate search into tasks of MATCH_SLICE_MENTEES each.
MATCH_SCALE_OUT_MENTEES = env.int("MATCH_SCALE_OUT_MENTEES", default=20_000)
MATCH_SLICE_MENTEES = env.int("MATCH_SLICE_MENTEES", default=10_000)

# --- API ------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an anonymous API call then gets 401 with `WWW-Authenticate: Token`, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies only (the participants import adds multipart for its file); any other type is a 415.
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "config.api.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    # Guessing passwords and mass sign-ups are slowed per client address (counted in the cache: Redis when set).
    "DEFAULT_THROTTLE_RATES": {
        "sign_in": env("THROTTLE_SIGN_IN", default="10/minute"),
        "register": env("THROTTLE_REGISTER", default="20/hour"),
        # Mentorship requests a mentee may send (each one emails a mentor).
        "request": env("THROTTLE_REQUESTS", default="20/day"),
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mentorship Platform API",
    "DESCRIPTION": "The one write path of the platform: the pages use it too.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # `<id:…>` in paths (config.inputs.IdConverter).
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "format": "int64", "minimum": 1}},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "config.schema.add_links"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several components have a `status`; a skill's is named for what it is.
    "ENUM_NAME_OVERRIDES": {
        "SkillStatusEnum": "accounts.models.Skill.Status",
        "MembershipRoleEnum": "programs.models.Membership.Role",
        "MembershipStatusEnum": "programs.models.Membership.Status",
        "ParticipantRoleEnum": ["mentor", "mentee", "peer"],
        "MemberDecisionEnum": ["active", "removed"],
        "LeaveStatusEnum": ["left"],
        "NotificationDeliveryEnum": "notifications.models.Delivery",
        "SurveyQuestionKindEnum": "evaluation.models.SurveyQuestion.Kind",
        "ProgramKindEnum": "programs.models.Program.Kind",
    },
}

# --- Internationalisation, static files -----------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Django's own console handler would print each of its records a second time.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint tells each step of each PDF at INFO, and warns of every rule of the site's stylesheet it does not
        # support (screen-width media queries, custom properties) at each PDF: only its errors are news.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}
