"""Kefir Tracker settings: every knob is an environment variable (see README).

The defaults are production's: DEBUG off, a secret key made once in DATA_DIR.
run.py names the addresses it prints in ALLOWED_HOSTS; `run.py --dev` (or
DEBUG=true) is the development mode.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kefir_tracker.env import env_bool, env_int, env_list, env_str, env_time_zone, secret_key

# What the app writes (the database and its WAL, backups, the secret key) holds
# password hashes and session keys: every file it makes is its owner's only
# (0600, folders 0700), whatever umask the shell or service manager gave it.
os.umask(0o077)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key(DATA_DIR)
# In development the app is opened from a phone by the computer's LAN address,
# which we cannot know in advance; in production the hosts must be named (run.py
# names every address it prints).
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["*"] if DEBUG else ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SIGNUP_ENABLED = env_bool("SIGNUP_ENABLED", True)
# Whether the first-run page offers to fill the owner's account with a demo year.
OFFER_DEMO = env_bool("OFFER_DEMO", True)

INSTALLED_APPS = [
    "kefir_tracker.accounts",
    "kefir_tracker.kitchens",
    "kefir_tracker.grains",
    "kefir_tracker.batches",
    "kefir_tracker.archive",
    "kefir_tracker.submissions",
    "kefir_tracker.reminders",
    "kefir_tracker.push",
    "kefir_tracker.sharing",
    "kefir_tracker.forecast",
    "kefir_tracker.insights",
    "kefir_tracker.labels",
    "kefir_tracker.gifts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kefir_tracker.security.ContentSecurityPolicyMiddleware",
    "kefir_tracker.security.PrivatePagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are gzipped by the app, so a phone on a slow line gets a third of
    # the bytes with or without a proxy in front. Listed after WhiteNoise,
    # which answers static files itself, pre-compressed at collectstatic.
    # BREACH (guessing a secret in a compressed page from the size of many
    # responses to requests the attacker shapes) finds nothing to guess here:
    # the only secret in our pages is the CSRF token, which Django masks with
    # fresh random bytes in every response; the session id travels in a
    # header, which is never compressed; and since Django 4.2 GZipMiddleware
    # also pads every response by a random length ("Heal the BREACH"). A
    # person's own notes are private too, and History reflects a search; but
    # the session cookie is SameSite=Lax, so another site cannot make the
    # thousands of signed-in background requests such guessing needs.
    "django.middleware.gzip.GZipMiddleware",
    # Django's, except that a session save failing after the view (a full disk)
    # does not turn a committed write's answer into a 400 (see durability.py).
    "kefir_tracker.durability.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kefir_tracker.accounts.middleware.LoginRequiredMiddleware",  # htmx: a client redirect
    "kefir_tracker.accounts.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A link to another of the person's kitchens: "switch there?" instead of a bare 404.
    "kefir_tracker.kitchens.middleware.AnotherKitchenMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that it is the first to see a view's error: "the disk is full".
    "kefir_tracker.durability.DiskFullMiddleware",
]

ROOT_URLCONF = "kefir_tracker.urls"
CSRF_FAILURE_VIEW = "kefir_tracker.errors.csrf_failure"
# DATABASE_URL holds the database's password: hidden in every error report, as
# Django already hides settings named like KEY, SECRET or PASSWORD.
DEFAULT_EXCEPTION_REPORTER_FILTER = "kefir_tracker.security.SecretsHiddenReporterFilter"
FORM_RENDERER = "kefir_tracker.forms.FormRenderer"
WSGI_APPLICATION = "kefir_tracker.wsgi.application"

CONTEXT_PROCESSORS = [
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "kefir_tracker.accounts.context_processors.site",
]
# The app's pages are Jinja2 (kefir_tracker/templating.py): rendering is most of
# what a page costs, and Jinja2 renders them several times faster. The Django
# engine is there for the admin; forms render through Django's Jinja2 widgets.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,  # django/forms/jinja2/: the form widgets
        "OPTIONS": {
            "environment": "kefir_tracker.templating.environment",
            "context_processors": [*CONTEXT_PROCESSORS, "kefir_tracker.templating.csrf"],
            "trim_blocks": True,
            "lstrip_blocks": True,
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                *CONTEXT_PROCESSORS,
            ]
        },
    },
]


def database_config(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Tuned for a web server with several workers writing now and then:
        # WAL lets readers go on while one writes, IMMEDIATE takes the write
        # lock at BEGIN (no deadlocked upgrades), and a writer waits up to
        # 20 s for the lock instead of failing with "database is locked".
        # synchronous=FULL syncs the WAL at every commit, so a write the person
        # was told is saved survives a power cut (NORMAL may lose the last
        # ones); it cost under a millisecond per post when measured.
        config["CONN_MAX_AGE"] = 0 if DEBUG else 600
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;"
            ),
        }
    return config


def owner_only(path: Path) -> None:
    """A file of ours made before the umask above (readable by everyone): now only ours."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return
    if stat.st_mode & 0o077 and stat.st_uid == os.geteuid():
        path.chmod(0o600)


DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'kefir.sqlite3'}")
if DATABASE_URL.startswith("sqlite:///"):
    database_file = Path(DATABASE_URL.removeprefix("sqlite:///"))
    database_file.parent.mkdir(parents=True, exist_ok=True)
    for end in ("", "-wal", "-shm"):
        owner_only(Path(f"{database_file}{end}"))
try:
    DATABASES = {"default": database_config(DATABASE_URL)}
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not usable: {error}") from None

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while locked out
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # accounts made before Argon2
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "batches:today"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en"
TIME_ZONE = env_time_zone("TIME_ZONE", "UTC")
# The app speaks English only: with translation off, reverse(), form labels and
# every gettext() skip their per-call language lookups.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 90  # a kitchen phone stays signed in for a season

# Sign-in throttling (django-axes, kept in the database so every worker sees
# it): five failures for one username from one address lock that pair out for
# 15 minutes; the rest of the household on the same address can still sign in.
# Behind a proxy on this machine, the address is the one the proxy saw
# (accounts/throttling.py).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "kefir_tracker.accounts.forms.username_any_case"
AXES_CLIENT_IP_CALLABLE = "kefir_tracker.accounts.throttling.client_address"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# HTTPS=true when the app is reached over TLS (directly or through a proxy):
# redirect plain HTTP, secure cookies, HSTS. Off by default because a home
# server on a LAN often has no certificate; the app then serves plain HTTP.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Web Push: who runs this installation, for the push services (the "sub" of the VAPID
# token): a mailto: or https: address. Apple's refuses one it cannot resolve
# (mailto:…@localhost). Push endpoints are https:// (plain http only in the tests).
PUSH_CONTACT = env_str("PUSH_CONTACT", "mailto:kefir-tracker@example.org")
PUSH_ALLOW_PLAIN_HTTP = False

# Rows per page of batch lists (History, a culture's batches).
PAGE_SIZE = env_int("PAGE_SIZE", 25, minimum=1)
