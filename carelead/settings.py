"""carelead settings: one file; what differs between machines comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()


def _secret_key() -> str:
    """A fixed key from the environment in production; a per-machine key kept in var/ otherwise."""
    key = env.str("DJANGO_SECRET_KEY", default="")
    if key:
        return key
    path = VAR_DIR / "secret-key"
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


# --- Core -------------------------------------------------------------------------------------
SECRET_KEY = _secret_key()
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
ROOT_URLCONF = "carelead.urls"
WSGI_APPLICATION = "carelead.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "template_partials.apps.SimpleAppConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "carelead.core",
    "carelead.accounts",
    "carelead.organisations",
    "carelead.people",
    "carelead.assessments",
    "carelead.careplans",
    "carelead.reports",
    "carelead.apprenticeships",
    "carelead.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "OPTIONS": {
            # django-template-partials' loader lets a view render one named partial of a page
            # ("people/person_list.html#results"); Django 6 does this itself, then this goes.
            "loaders": [(
                "template_partials.loader.Loader",
                [("django.template.loaders.cached.Loader", ["django.template.loaders.app_directories.Loader"])],
            )],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carelead.core.context_processors.navigation",
            ],
            # Loaded everywhere so no template needs {% load %}; Django 6 has partials built in.
            "builtins": ["template_partials.templatetags.partials", "carelead.core.templatetags.nhsuk"],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'carelead.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"].setdefault("TEST", {"NAME": env.str("DJANGO_TEST_DATABASE", default="test_carelead")})
else:
    # WAL lets the page server read while a long seed or import writes.
    DATABASES["default"].setdefault("OPTIONS", {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20})

# --- Sign-in, MFA and lockout ---------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, so a locked account is refused before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
OTP_TOTP_ISSUER = "carelead"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env.int("CARELEAD_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]  # lock the account, whichever machine the attempts come from
# Not by IP address as well: a care home's staff share one address, and one person's mistakes
# must not lock out the whole shift. Rotating IPs cannot get round an account lock.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Sessions end after inactivity: each request pushes the expiry on.
SESSION_COOKIE_AGE = env.int("CARELEAD_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Transport and browser security -------------------------------------------------------------
SECURE_COOKIES = env.bool("CARELEAD_SECURE_COOKIES", default=True)  # browsers treat 127.0.0.1 as secure
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from <body hx-headers>; no script reads the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_PROXY", default=False) else None
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

from csp.constants import NONE, SELF  # noqa: E402

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

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %b %Y", "%d %B %Y"]
FORMAT_MODULE_PATH = ["carelead.formats"]

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on a missing root before the first collectstatic
# Uploaded files (OTJ evidence): outside the database and never served directly; a view checks who
# may see each one. Any Django storage backend (S3-compatible via django-storages) can replace this.
MEDIA_ROOT = env.path("CARELEAD_MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"  # not routed: files are streamed by permission-checked views
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the apps in tests and a fresh checkout

# --- Background jobs (core.jobs): a daemon thread of the web process; inline when this is on (tests) ---
JOBS_RUN_INLINE = env.bool("CARELEAD_JOBS_RUN_INLINE", default=False)

# --- Email: printed to the console unless a real backend is configured -------------------------
EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="carelead <no-reply@carelead.invalid>")
SITE_URL = env.str("CARELEAD_SITE_URL", default="http://127.0.0.1:8000")
INVITATION_VALID_DAYS = 7

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "carelead.accounts.api_auth.HashedTokenAuthentication",
        "carelead.accounts.api_auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["carelead.core.drf.HasRequiredPerm"],
    "DEFAULT_PAGINATION_CLASS": "carelead.core.drf.StablePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "carelead.core.api.ApiSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "carelead.core.drf.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "carelead API",
    "DESCRIPTION": "People supported, their records and the organisation around them. "
    "Sign in with a personal API token: `Authorization: Token <key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models share a field name (status, kind) with different choices, and a risk's residual
    # scores reuse the likelihood and severity scales: name each enum by its domain, so clients get
    # stable names instead of hash suffixes (StatusC2dEnum) and one enum per scale.
    "ENUM_NAME_OVERRIDES": {
        "PersonStatusEnum": "carelead.people.models.PersonStatus",
        "ContactKindEnum": "carelead.people.models.ContactKind",
        "NeedsAssessmentStatusEnum": "carelead.assessments.models.NeedsAssessment.Status",
        "DolsKindEnum": "carelead.assessments.models.DolsApplication.Kind",
        "DolsStatusEnum": "carelead.assessments.models.DolsApplication.Status",
        "RiskStatusEnum": "carelead.careplans.models.RiskStatus",
        "CarePlanStatusEnum": "carelead.careplans.models.PlanStatus",
        "LikelihoodEnum": "carelead.careplans.models.LIKELIHOOD_CHOICES",
        "SeverityEnum": "carelead.careplans.models.SEVERITY_CHOICES",
        "AreaEnum": "carelead.assessments.models.NeedsArea",  # a section's area, and the areas a plan is built from
        "ApprenticeshipStatusEnum": "carelead.apprenticeships.models.ApprenticeshipStatus",
    },
}

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}
STATICFILES_DIRS = [BASE_DIR / "carelead" / "static"]  # vendor/ is built from npm by `make assets`
