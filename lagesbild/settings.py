"""Django settings for Lägesbild, configured from the environment.

LAGESBILD_ENV=production turns on the strict mode: a secret key and allowed hosts must be
given, DEBUG is off, cookies are secure. Anything else is development, with safe defaults
that never leave a secret in the repository (the key is generated into LAGESBILD_HOME).
"""

import json
import os
import secrets
import urllib.parse
from pathlib import Path

import dj_database_url
import django.conf.locale
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
ENV = os.environ.get("LAGESBILD_ENV", "development")
PRODUCTION = ENV == "production"


def default_home():
    """The data folder when LAGESBILD_HOME is not set: the user's data folder (XDG), the same
    whichever folder a command is run from."""
    base = os.environ.get("XDG_DATA_HOME") or "~/.local/share"
    return Path(base).expanduser() / "lagesbild"


# All the installation's own files: the SQLite database, generated reports, uploads.
HOME = Path(os.environ.get("LAGESBILD_HOME") or default_home()).expanduser().resolve()


def _env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _dev_secret_key():
    # A per-installation key, written once with owner-only permissions.
    HOME.mkdir(parents=True, exist_ok=True)
    path = HOME / ".secret_key"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_urlsafe(50))
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text().strip()


DEBUG = _env_bool("LAGESBILD_DEBUG", not PRODUCTION)
SECRET_KEY = os.environ.get("LAGESBILD_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "LAGESBILD_SECRET_KEY must be set when LAGESBILD_ENV=production."
        )
    SECRET_KEY = _dev_secret_key()
# Authenticates backup manifests (HMAC-SHA256); required by `lagesbild backup`/`restore` in
# production, else derived from SECRET_KEY (see lagesbild.ops.backup.backup_key).
BACKUP_KEY = os.environ.get("LAGESBILD_BACKUP_KEY", "")

ALLOWED_HOSTS = [h for h in os.environ.get("LAGESBILD_ALLOWED_HOSTS", "").split(",") if h]
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "LAGESBILD_ALLOWED_HOSTS must be set when LAGESBILD_ENV=production."
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("LAGESBILD_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]
# A host that serves one municipality's public pages only: "host=slug,host=slug" (e.g.
# "integration.karlshamn.se=karlshamn"). Each host must also be in LAGESBILD_ALLOWED_HOSTS;
# `lagesbild check` names a slug that is no municipality (lagesbild.public.checks).
PUBLIC_HOSTS = {
    host.strip().lower(): slug.strip()
    for host, _sep, slug in (
        pair.partition("=")
        for pair in os.environ.get("LAGESBILD_PUBLIC_HOSTS", "").split(",")
        if pair.strip()
    )
}

# Statistics sources; the clients read these (tests point them at a local server).
KOLADA_URL = os.environ.get("LAGESBILD_KOLADA_URL", "https://api.kolada.se/v3").rstrip("/")
SCB_URL = os.environ.get("LAGESBILD_SCB_URL", "https://statistikdatabasen.scb.se/api/v2").rstrip(
    "/"
)

INSTALLED_APPS = [
    "modeltranslation",  # must come before admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "csp",
    "django_htmx",
    "django_q",
    "lagesbild.core",
    "lagesbild.accounts",
    "lagesbild.policy",
    "lagesbild.stats",
    "lagesbild.geodata",
    "lagesbild.reports",
    "lagesbild.plan",
    "lagesbild.public",
    "lagesbild.civic",
    "lagesbild.offers",
    "lagesbild.meetings",
    "lagesbild.agreements",
    "lagesbild.ops",
    "lagesbild.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff pages and exports: Cache-Control private, no-store (needs request.user).
    "lagesbild.core.middleware.PrivateCacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lagesbild.urls"
WSGI_APPLICATION = "lagesbild.wsgi.application"

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
                "lagesbild.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{HOME / 'lagesbild.sqlite3'}",
        conn_max_age=int(os.environ.get("LAGESBILD_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "lagesbild.ops.oidc.Backend",  # does nothing unless LAGESBILD_OIDC_ISSUER is set
]

# Single sign-on (OpenID Connect), off unless an issuer is given; see docs/deployment.md.
OIDC_ISSUER = os.environ.get("LAGESBILD_OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("LAGESBILD_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("LAGESBILD_OIDC_CLIENT_SECRET", "")
if OIDC_ISSUER and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "LAGESBILD_OIDC_ISSUER needs LAGESBILD_OIDC_CLIENT_ID and LAGESBILD_OIDC_CLIENT_SECRET."
    )
OIDC_RP_SIGN_ALGO = os.environ.get("LAGESBILD_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("LAGESBILD_OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATE_CLASS = "lagesbild.ops.oidc.AuthenticateView"
OIDC_CALLBACK_CLASS = "lagesbild.ops.oidc.CallbackView"
OIDC_GROUPS_CLAIM = os.environ.get("LAGESBILD_OIDC_GROUPS_CLAIM", "groups")
# JSON: {"<group>": {"role": "coordinator|department|partner|reader", "municipality": "1082",
#        "department": "<name>", "staff": false}, ...}; "municipality": "all" for every one.
try:
    OIDC_GROUP_ROLES = json.loads(os.environ.get("LAGESBILD_OIDC_GROUPS", "{}"))
except ValueError as e:
    raise ImproperlyConfigured(f"LAGESBILD_OIDC_GROUPS is not valid JSON: {e}") from e
for _group, _mapping in OIDC_GROUP_ROLES.items():
    if _mapping.get("role") not in ("coordinator", "department", "partner", "reader"):
        raise ImproperlyConfigured(f"LAGESBILD_OIDC_GROUPS[{_group!r}]: unknown role")
    # A missing municipality used to mean every municipality: now that must be said ("all").
    _kommun = str(_mapping.get("municipality", ""))
    if not (_kommun == "all" or (len(_kommun) == 4 and _kommun.isdigit())):
        raise ImproperlyConfigured(
            f"LAGESBILD_OIDC_GROUPS[{_group!r}]: municipality must be a kommunkod "
            f'(e.g. "1082") or "all", not {_mapping.get("municipality")!r}'
        )
    if _kommun == "all" and _mapping.get("department"):
        raise ImproperlyConfigured(
            f"LAGESBILD_OIDC_GROUPS[{_group!r}]: a department needs one municipality, not all"
        )
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Login throttling: five failures lock for 15 minutes the user name (whatever the addresses the
# guesses come from) and, separately, the address (whatever the user names it tries). Only the
# pair would let a guess spread over many addresses, or over many accounts, go on for ever.
AXES_FAILURE_LIMIT = int(os.environ.get("LAGESBILD_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# Behind a reverse proxy every request comes from the proxy: name the header it sets
# (e.g. HTTP_X_REAL_IP) so throttling and rate limits see the real client.
CLIENT_IP_HEADER = os.environ.get("LAGESBILD_CLIENT_IP_HEADER", "")
AXES_CLIENT_IP_CALLABLE = "lagesbild.core.ratelimit.client_ip"

# Rate limits (lagesbild.core.ratelimit): name -> (requests, seconds) per client and window.
# On by default in production only, so test runs that post a form many times are not limited.
RATELIMIT_ENABLED = _env_bool("LAGESBILD_RATELIMIT", PRODUCTION)
# Counts must agree across worker processes and servers: in this cache if it is Redis, else in
# the database (lagesbild.core.ratelimit says why).
RATELIMIT_CACHE = "shared"


def _rate(name, default):
    requests, _, seconds = os.environ.get(name, default).partition("/")
    return int(requests), int(seconds)


RATELIMITS = {
    # Public forms (proposals etc.): 5 an hour per address, the number docs/public.md promises;
    # more from one address in an hour is not a resident proposing events.
    "form": _rate("LAGESBILD_RATELIMIT_FORM", "5/3600"),
    "api": _rate("LAGESBILD_RATELIMIT_API", "600/60"),  # the JSON API
}
LAGESBILD_MAX_UPLOAD_BYTES = int(os.environ.get("LAGESBILD_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
# Lines of a CSV file, rows of an Excel sheet, counted before an import reads the file.
LAGESBILD_MAX_UPLOAD_ROWS = int(os.environ.get("LAGESBILD_MAX_UPLOAD_ROWS", 100_000))
# Public proposals still pending, or rejected, are deleted after this many days
# (lagesbild.public.retention, run by `lagesbild personal-data purge-senders`).
PUBLIC_PROPOSAL_RETENTION_DAYS = os.environ.get("LAGESBILD_PROPOSAL_RETENTION_DAYS", "90")
# Offers to take part (lagesbild.offers, "Bidra"): the contact details are kept this many days
# after sign-up, as the form tells the person, then deleted by `personal-data purge-senders`.
OFFER_RETENTION_DAYS = int(os.environ.get("LAGESBILD_OFFER_RETENTION_DAYS", "180"))

LANGUAGE_CODE = "sv"
# Staff pages use Swedish and English; the public pages (lagesbild.public) offer all nine.
# Dari is `fa-af` (Persian as written in Afghanistan): RTL through its base code `fa`.
# Lättläst svenska is the private-use tag `sv-x-ll` (catalog folder `sv_X-ll`).
LANGUAGES = [
    ("sv", "Svenska"),
    ("sv-x-ll", "Lättläst svenska"),
    ("en", "English"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("fa-af", "دری"),
    ("so", "Soomaali"),
    ("ti", "ትግርኛ"),
    ("uk", "Українська"),
]
# Django has no locale entries for these; each also ships a compiled catalog (else a 404).
EXTRA_LANG_INFO = {
    "sv-x-ll": {
        "bidi": False,
        "code": "sv-x-ll",
        "name": "Easy Swedish",
        "name_local": "Lättläst svenska",
    },
    "fa-af": {"bidi": True, "code": "fa-af", "name": "Dari", "name_local": "دری"},
    "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
    "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
}
django.conf.locale.LANG_INFO.update(EXTRA_LANG_INFO)
# Content fields (events, places, …) are translated per language with django-modeltranslation;
# an empty translation falls back to Swedish (the public pages mark it, see lagesbild.public).
MODELTRANSLATION_DEFAULT_LANGUAGE = "sv"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("sv",)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The project-wide files (site.css) live outside any app: without this, collectstatic leaves
# them out and every production page fails on the missing manifest entry.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = HOME / "static"
WHITENOISE_USE_FINDERS = DEBUG  # development serves straight from the apps' static folders
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
MEDIA_URL = "media/"
MEDIA_ROOT = HOME / "media"


def _storage(url):
    """settings.STORAGES["default"] from LAGESBILD_STORAGE_URL: empty, the data folder's media/;
    file:///path, a folder every app server mounts; s3://bucket?endpoint_url=…&region_name=…
    &location=prefix, S3-compatible storage through django-storages (`pip install
    lagesbild[s3]`; keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, as boto3 reads them)."""
    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}, None
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "file" and parts.path.startswith("/") and not parts.query:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}, Path(parts.path)
    if parts.scheme == "s3" and parts.netloc:
        options = {"bucket_name": parts.netloc, "default_acl": "private"}
        for name, values in urllib.parse.parse_qs(parts.query, strict_parsing=False).items():
            if name not in ("endpoint_url", "region_name", "location"):
                raise ImproperlyConfigured(
                    f"LAGESBILD_STORAGE_URL: unknown option {name!r} "
                    "(use endpoint_url, region_name, location)"
                )
            options[name] = values[-1]
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, None
    raise ImproperlyConfigured(
        f"LAGESBILD_STORAGE_URL={url!r}: use file:///absolute/path or s3://bucket?endpoint_url=…"
    )


# Uploads waiting for confirmation and generated documents go through this storage, so with
# several app servers it must be one they all share (docs/deployment.md, "Several app servers").
_default_storage, _shared_media = _storage(os.environ.get("LAGESBILD_STORAGE_URL", ""))
if _shared_media:
    MEDIA_ROOT = _shared_media  # FileSystemStorage and the backups read it
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploads (CSV/Excel imports) are small; anything larger is refused by Django.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security headers and cookies.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = _env_bool("LAGESBILD_SSL_REDIRECT", PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = int(
    os.environ.get("LAGESBILD_HSTS_SECONDS", "31536000" if PRODUCTION else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
# Preloading binds the municipality's whole domain to HTTPS in every browser: its IT decides
# that, not this application, so the check that asks for it is silenced.
SECURE_HSTS_PRELOAD = _env_bool("LAGESBILD_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The site's address for links in e-mails (invitations, password resets), e.g.
# https://lagesbild.kommun.se; empty: taken from the request.
BASE_URL = os.environ.get("LAGESBILD_BASE_URL", "")
EMAIL_BACKEND = os.environ.get(
    "LAGESBILD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("LAGESBILD_FROM_EMAIL", "lagesbild@localhost")
# The SMTP relay for the smtp backend (Django's defaults: localhost:25, no login).
EMAIL_HOST = os.environ.get("LAGESBILD_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("LAGESBILD_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("LAGESBILD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("LAGESBILD_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("LAGESBILD_EMAIL_STARTTLS", False)
EMAIL_TIMEOUT = 30

# Several app servers share a Redis, LAGESBILD_CACHE_URL (redis://host:6379/1; rediss:// with
# TLS); without it one host's file cache serves as the shared one.
CACHE_URL = os.environ.get("LAGESBILD_CACHE_URL", "")
if CACHE_URL and urllib.parse.urlsplit(CACHE_URL).scheme not in ("redis", "rediss", "unix"):
    raise ImproperlyConfigured(
        f"LAGESBILD_CACHE_URL={CACHE_URL!r}: use redis://host:port/db (rediss:// with TLS)"
    )
CACHES = {
    # What one process may keep for itself: rendered public pages (their keys carry the shared
    # content version, so an edit through any server retires them everywhere) and rendered
    # published reports (never change). Kept local even with Redis: a hit costs no round trip,
    # and nothing depends on another server seeing these entries.
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "lagesbild",
    },
    # Small values every server process must agree on at once (the public pages' content
    # version, lagesbild.public.caching; the rate limit counts, lagesbild.core.ratelimit).
    "shared": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "lagesbild",
            "TIMEOUT": None,
        }
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(HOME / "cache" / "shared"),
            "TIMEOUT": None,
        }
    ),
}
# Sessions live in the database (Django's default, named here on purpose): every app server
# reads the same ones, so a login through one server is valid on all.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background jobs (statistics refreshes, report builds) live in the database: no extra server,
# and every app server queues into the one queue the worker reads. LAGESBILD_Q_BROKER=redis
# queues in LAGESBILD_CACHE_URL's Redis instead (faster pickup; a job in the queue is lost if
# Redis restarts without persistence, which the database queue never loses).
Q_BROKER = os.environ.get("LAGESBILD_Q_BROKER", "orm")
if Q_BROKER not in ("orm", "redis"):
    raise ImproperlyConfigured(f"LAGESBILD_Q_BROKER={Q_BROKER!r}: use orm or redis")
if Q_BROKER == "redis" and not CACHE_URL:
    raise ImproperlyConfigured("LAGESBILD_Q_BROKER=redis needs LAGESBILD_CACHE_URL (the Redis).")
Q_CLUSTER = {
    "name": "lagesbild",
    **({"redis": CACHE_URL} if Q_BROKER == "redis" else {"orm": "default"}),
    "workers": int(os.environ.get("LAGESBILD_WORKERS", "1")),
    "timeout": 1800,
    "retry": 3600,
    "max_attempts": 1,
    "catch_up": False,
}
# Where a statistics refresh started from the web page runs: "thread" (a thread of the web
# process; the demo needs no other process) or "queue" (django-q2's queue in the database,
# run by `lagesbild qcluster`, the worker of docs/deployment.md, so a web worker's restart
# cannot cut a fetch short).
LAGESBILD_JOBS = os.environ.get("LAGESBILD_JOBS", "thread")
if LAGESBILD_JOBS not in ("thread", "queue"):
    raise ImproperlyConfigured(f"LAGESBILD_JOBS={LAGESBILD_JOBS!r}: use thread or queue")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LAGESBILD_LOG_LEVEL", "WARNING")},
    # Every single sign-on link (who, which claim, which account) is logged, also at INFO.
    "loggers": {"lagesbild.oidc": {"level": "INFO"}},
}
