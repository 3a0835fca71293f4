"""Settings, read from the environment (twelve-factor).

``DATABASE_URL``       database (default: SQLite file ``var/motcua.sqlite3``)
``MOTCUA_SECRET_KEY``  secret key (default: generated once into ``var/secret_key``)
``MOTCUA_DEBUG``       ``1``/``true`` to enable debug mode (default off)
``ALLOWED_HOSTS``      comma-separated host names (default: localhost names)
``MOTCUA_VAR_DIR``     where local state lives (default: ``<repo>/var``)
``MOTCUA_PROFILE``     ``production`` behind HTTPS (HSTS, secure cookies, redirect to
                       HTTPS, a strong secret key required); default ``embedded``
                       (one laptop over http://127.0.0.1). See docs/deployment.md.
``DATABASE_REPLICA_URL`` a PostgreSQL streaming replica for reports (docs/deploy.md)
``MOTCUA_X_ACCEL_REDIRECT_PREFIX`` behind nginx: protected files sent by nginx
``MOTCUA_S3_BUCKET`` (and ``MOTCUA_S3_*``) uploaded files in S3-compatible storage
"""

from __future__ import annotations

import importlib.util
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    key = os.environ.get("MOTCUA_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


PROFILE = os.environ.get("MOTCUA_PROFILE", "embedded").strip().lower()
if PROFILE not in {"embedded", "production"}:
    raise ImproperlyConfigured("MOTCUA_PROFILE must be 'embedded' or 'production'.")
PRODUCTION = PROFILE == "production"

SECRET_KEY = _secret_key()
if PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "MOTCUA_SECRET_KEY must be a random string of at least 50 characters in "
        "the production profile (python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))')."
    )
DEBUG = _env_bool("MOTCUA_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    # security: the admin site signs in through allauth with two factors
    "motcua.security.admin_config.MotCuaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # issue 12: citizens sign in with a VNeID-style OpenID Connect provider
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "motcua.core",
    "motcua.security",
    "motcua.privacy",  # issue 8: personal-data read log, retention, backups
    "motcua.agencies",
    "motcua.deadlines",
    "motcua.law",  # issue 10: legal rules by period
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.reports",
    "motcua.notifications",  # issue 11: outbox, channels, delivery worker
    "motcua.webhooks",  # issue 11 item 7: signed webhooks for integration clients
    "motcua.integrations",  # issue 14: integration clients (scopes, credentials)
    "motcua.nationalportal",  # issue 14 item 2: DVCQG synchronisation
    "motcua.exchange",  # issue 14 item 3: liên thông between systems
    "motcua.evaluation",
    "motcua.slips",
    "motcua.signing",
    "motcua.backoffice",
    "motcua.portal",
    "motcua.citizens",  # issue 12: citizen accounts (VNeID-style OIDC, one-time codes)
    "motcua.online",  # issue 12: online submission, drafts, e-forms
    "motcua.payments",  # issue 12: online payment providers
    "motcua.feedback",  # issue 13: phản ánh, kiến nghị
    "motcua.letters",  # issue 13: letters issued with results
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motcua.core.headers.SecurityHeadersMiddleware",
    "motcua.core.guards.InputGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # issue 15: configuration kept between requests while its stamp is unchanged
    "motcua.core.configstamp.ConfigStampMiddleware",
    # issue 15: roles and visible agencies read once in a request that only
    # reads (the two-factor gate below reads them too)
    "motcua.agencies.middleware.RolesReadOnceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # security: no page but sign-in until the second factor where required
    "motcua.security.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # issue 14: the integration clients' request log (no path, no query string)
    "motcua.integrations.middleware.ClientRequestLogMiddleware",
]

ROOT_URLCONF = "motcua.config.urls"
WSGI_APPLICATION = "motcua.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"),
        conn_max_age=60,
    )
}
# PostgreSQL plans each statement anew unless it is prepared: the dossier page's
# 9-table read took 2.3 ms to plan and 0.1 ms to run (issue 15). Server-side
# binding lets psycopg prepare a statement after its first use on a connection
# (connections live 60 s), so a page's statements are planned once per
# connection. A pooler in transaction mode (PgBouncer < 1.21) cannot keep them:
# set MOTCUA_PG_PREPARED=0 there. ADR 0029.
MOTCUA_PG_PREPARED = os.environ.get("MOTCUA_PG_PREPARED", "1") != "0"
PG_PREPARED_OPTIONS = {
    "server_side_binding": MOTCUA_PG_PREPARED,
    "prepare_threshold": 1 if MOTCUA_PG_PREPARED else None,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(PG_PREPARED_OPTIONS)
# A few small reads of one answer (core.statements.together, ADR 0035) and an
# action's last writes (core.held, ADR 0038) are sent in one pipeline; 0 sends
# them one by one (a pooler that cannot pass them).
MOTCUA_PG_PIPELINE = os.environ.get("MOTCUA_PG_PIPELINE", "1") != "0"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue instead of failing mid-transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# --- issue 15 (scale out): reports and long lists may read a streaming replica
# (motcua.core.replica, docs/deploy.md); without DATABASE_REPLICA_URL every read
# goes to the primary. The router is always installed and cheap when unused.
DATABASE_ROUTERS = ["motcua.config.routers.ReplicaRouter"]
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60
    )
    # a dead replica must not hold a request for long: the reads fall back
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 3
    DATABASES["replica"]["OPTIONS"].update(PG_PREPARED_OPTIONS)
MOTCUA_REPLICA_MAX_LAG_SECONDS = float(
    os.environ.get("MOTCUA_REPLICA_MAX_LAG_SECONDS", 30)
)
MOTCUA_REPLICA_CHECK_SECONDS = float(os.environ.get("MOTCUA_REPLICA_CHECK_SECONDS", 5))
# Apps whose models a replica read may touch (never sessions, users, the cache,
# throttles, the outbox or the task queue).
MOTCUA_REPLICA_APPS = ("reports", "dossiers", "agencies", "catalog", "evaluation")
# --- end issue 15 (scale out)

# Proxies (nginx) whose X-Forwarded-For names the real client address.
MOTCUA_TRUSTED_PROXIES = tuple(
    h.strip()
    for h in os.environ.get("MOTCUA_TRUSTED_PROXIES", "").split(",")
    if h.strip()
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The figure buckets' covering index (INCLUDE) serves PostgreSQL; SQLite, which
# ignores non-key columns, is fast enough for a ward without it.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Hardening (issue 8): headers in every profile, HTTPS in production --------
# Content-Security-Policy (core/headers.py): no inline script or style anywhere;
# the Swagger UI styles its widgets inline, so its path allows inline styles.
MOTCUA_CSP = os.environ.get(
    "MOTCUA_CSP",
    "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'; form-action 'self'",
)
MOTCUA_CSP_PATHS = {
    "/api/docs/": MOTCUA_CSP + "; style-src 'self' 'unsafe-inline'",
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Django's database sessions, read with a statement compiled once (ADR 0033).
SESSION_ENGINE = "motcua.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("MOTCUA_SSL_REDIRECT", True)
    # a balancer probes each web machine directly over HTTP (ADR 0039)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("MOTCUA_HSTS_SECONDS", 31_536_000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("MOTCUA_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _env_bool("MOTCUA_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds every sub-domain of the agency's domain to HTTPS for
        # years; it is the operator's decision (MOTCUA_HSTS_PRELOAD=1), not ours.
        SILENCED_SYSTEM_CHECKS.append("security.W021")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # nginx terminates TLS and sets X-Forwarded-Proto (and strips the client's).
    if MOTCUA_TRUSTED_PROXIES or _env_bool("MOTCUA_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# --- end hardening ------------------------------------------------------------

# A database cache is shared by every web process (the tracking page's rate limit
# must hold across gunicorn workers); `motcua createcachetable` creates it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "motcua_cache",
    }
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Staff sign in with a username; accounts are made by administrators (no signup).
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "motcua.core.accounts.StaffAccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/can-bo/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "MotCua"
# A code typed in the last seconds of its 30-second period reaches the server
# in the next one: accept the code of one period before, as RFC 6238 §5.2
# recommends for transmission delay (never more). A code is still accepted
# once only (allauth keeps it as used for the whole window).
MFA_TOTP_TOLERANCE = 1
# --- issue 12 (citizens): the VNeID-style OpenID Connect sign-in -----------
# Citizens only (motcua.core.accounts.CitizenSocialAccountAdapter): a provider
# account never signs in to, connects to or creates a staff account; no e-mail
# matching. The provider is a SocialApp (admin) or, when MOTCUA_OIDC_SERVER_URL
# is set, the app below (docs/admin-identity.md).
SOCIALACCOUNT_ADAPTER = "motcua.core.accounts.CitizenSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_REQUIRED = False
SOCIALACCOUNT_QUERY_EMAIL = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
MOTCUA_OIDC_CLAIMS = {
    key: os.environ.get(f"MOTCUA_OIDC_CLAIM_{key.upper()}", default)
    for key, default in (
        ("identity_number", "identity_number"),
        ("full_name", "name"),
        ("birth_date", "birthdate"),
        ("phone", "phone_number"),
        ("email", "email"),
    )
}
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {
    "openid_connect": {"OAUTH_PKCE_ENABLED": True}
}
if os.environ.get("MOTCUA_OIDC_SERVER_URL"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] = [
        {
            "provider_id": os.environ.get("MOTCUA_OIDC_PROVIDER_ID", "vneid"),
            "name": os.environ.get("MOTCUA_OIDC_NAME", "VNeID"),
            "client_id": os.environ.get("MOTCUA_OIDC_CLIENT_ID", ""),
            "secret": os.environ.get("MOTCUA_OIDC_CLIENT_SECRET", ""),
            "settings": {
                "server_url": os.environ["MOTCUA_OIDC_SERVER_URL"],
                "scope": os.environ.get(
                    "MOTCUA_OIDC_SCOPE", "openid profile phone"
                ).split(),
                "oauth_pkce_enabled": True,
            },
        }
    ]
# One-time codes of the local citizen account (motcua.citizens.codes).
MOTCUA_CITIZEN_CODE_MINUTES = int(os.environ.get("MOTCUA_CITIZEN_CODE_MINUTES", 10))
MOTCUA_CITIZEN_CODE_TRIES = int(os.environ.get("MOTCUA_CITIZEN_CODE_TRIES", 5))
# --- end issue 12 (citizens) ------------------------------------------------
# --- security (issue 8): sign-in throttling and API keys -------------------
# Failed passwords and codes are counted in a table (motcua.security.throttle),
# per account and per address; allauth's cache-based counters are replaced.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
MFA_FORMS = {
    "authenticate": "motcua.security.forms.ThrottledAuthenticateForm",
    "reauthenticate": "motcua.security.forms.ThrottledReauthenticateForm",
    "activate_totp": "motcua.security.forms.RecordingActivateTOTPForm",
}
MOTCUA_API_TOKEN_DAYS = int(os.environ.get("MOTCUA_API_TOKEN_DAYS", 90))
MOTCUA_API_TOKEN_MAX_LIVE = 20
# --- end security -----------------------------------------------------------

_PASSWORD_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_PASSWORD_VALIDATION}.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["motcua.config.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request otherwise
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded files live under MEDIA_ROOT (one volume shared by every web machine),
# or, when MOTCUA_S3_BUCKET is set, in a private bucket of S3-compatible object
# storage through django-storages (docs/deploy.md, ADR 0030). Names are random
# (uuid) under the dossier's agency and id: no personal data in a key or a URL.
MOTCUA_S3_BUCKET = os.environ.get("MOTCUA_S3_BUCKET", "")
# 0: Django streams a protected file from the bucket after the permission check;
# N > 0: it answers with a redirect to a URL signed for N seconds instead.
MOTCUA_S3_SIGNED_URL_SECONDS = int(os.environ.get("MOTCUA_S3_SIGNED_URL_SECONDS", 0))


def s3_storage(env: Mapping[str, str]) -> dict[str, Any]:
    """The default storage for a bucket named by ``env`` (``MOTCUA_S3_*``)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env["MOTCUA_S3_BUCKET"],
            "endpoint_url": env.get("MOTCUA_S3_ENDPOINT_URL") or None,
            "region_name": env.get("MOTCUA_S3_REGION") or None,
            # unset: boto3's own chain (instance role, ~/.aws, AWS_* variables)
            "access_key": env.get("MOTCUA_S3_ACCESS_KEY_ID") or None,
            "secret_key": env.get("MOTCUA_S3_SECRET_ACCESS_KEY") or None,
            "location": env.get("MOTCUA_S3_PREFIX", "media"),
            "addressing_style": env.get("MOTCUA_S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own policy: private
            "file_overwrite": False,  # never replace a stored file
            "querystring_auth": True,
        },
    }


if MOTCUA_S3_BUCKET:
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            "MOTCUA_S3_BUCKET needs django-storages: pip install 'motcua[s3]'."
        )
    STORAGES["default"] = s3_storage(os.environ)
# Behind nginx, protected files (dossier scans, results, feedback attachments)
# are sent by nginx after Django's permission check: the view answers with
# X-Accel-Redirect: <prefix>/<stored name> (motcua.core.downloads). Empty: Django
# streams the file itself (embedded profile, make demo).
MOTCUA_X_ACCEL_REDIRECT_PREFIX = os.environ.get("MOTCUA_X_ACCEL_REDIRECT_PREFIX", "")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MOTCUA_MAX_UPLOAD_BYTES = int(
    os.environ.get("MOTCUA_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
)

# --- issue 8 (privacy): personal data retention and backups (docs/privacy.md)
# Years an applicant's personal data is kept after a dossier closes, unless its
# procedure sets its own period; then `motcua purge_personal_data` anonymises
# it. 10 is a cautious default, not a legal figure: each procedure's period is
# the administrator's decision under the archive rules (chưa đối chiếu).
MOTCUA_RETENTION_YEARS = int(os.environ.get("MOTCUA_RETENTION_YEARS", 10))
MOTCUA_BACKUP_DIR = Path(os.environ.get("MOTCUA_BACKUP_DIR", VAR_DIR / "backups"))
# --- end issue 8 (privacy)

# --- issue 11 (notifications): the mail backend from the environment; the demo
# writes e-mails as files under var/mail (docs/notifications.md).
EMAIL_BACKEND = os.environ.get(
    "MOTCUA_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("MOTCUA_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "motcua.core.api.exception_handler",
    # JSON bodies with a size and nesting limit (400 request.invalid_json).
    "DEFAULT_PARSER_CLASSES": [
        "motcua.core.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Public endpoints (calendar, agency list) set their own empty classes.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "motcua.core.auth.BearerTokenAuthentication",
        "motcua.core.auth.TwoFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "MotCua API",
    "DESCRIPTION": (
        "API của hệ thống một cửa điện tử MotCua. "
        "Lịch làm việc và hạn xử lý hồ sơ là công khai, không cần đăng nhập."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Integer bounds that only give the column width differ between SQLite and
    # PostgreSQL; dropped so docs/openapi.json is the same on both.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "motcua.core.schema.neutral_integer_bounds",
        "motcua.dossiers.schema_links.dossier_links",
    ],
    # Several models name a choice set "level": one schema name each.
    "ENUM_NAME_OVERRIDES": {
        "AgencyLevelEnum": "motcua.agencies.models.Agency.Level",
        "ProcedureLevelEnum": "motcua.catalog.models.ProcedureVersion.Level",
        "RatingLevelEnum": "motcua.evaluation.models.Rating.Level",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "kv": {"format": "level=%(levelname)s logger=%(name)s msg=%(message)s"}
    },
    # No personal data in logs (core/logscrub.py): the filter sits on the handler,
    # so it also sees records propagated from every logger below the root.
    "filters": {"scrub": {"()": "motcua.core.logscrub.ScrubPersonalData"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "kv",
            "filters": ["scrub"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # Django's own handlers (runserver's access lines, mail to admins with the
        # full request) give way to the scrubbed console; the filter also sits on
        # these loggers so that every other handler (tests' caplog) sees it too.
        "django": {"level": "INFO", "filters": ["scrub"]},
        "django.server": {"level": "INFO", "filters": ["scrub"]},
        "django.request": {"level": "INFO", "filters": ["scrub"]},
        # pyHanko logs a traceback for every signature whose root is not trusted;
        # the verification report already says so in Vietnamese.
        "pyhanko": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
