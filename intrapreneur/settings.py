"""Intrapreneur's one settings module, configured by environment variables (12-factor).

Every variable is documented in the README. Without any of them the quick start runs on
SQLite with DEBUG on only when DEBUG=1 is given (``make run`` gives it).
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# pytest (>= 8.2) sets PYTEST_VERSION: the test run gets safe defaults without variables.
TESTING = bool(os.environ.get("PYTEST_VERSION"))
DEBUG = env_bool("DEBUG", False)
if TESTING:
    # Fast hashing for the test run only.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "intrapreneur.apps.IntrapreneurAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # django-dsfr before django.forms: its widget and error templates override Django's.
    "widget_tweaks",
    "dsfr",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    # ProConnect (the State's OpenID Connect for civil servants): our own allauth provider.
    "intrapreneur.proconnect",
    "django_htmx",
    "intrapreneur",
    "investigations",
    "products",
    "governance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "intrapreneur.urls"
WSGI_APPLICATION = "intrapreneur.wsgi.application"
# Form templates come from TEMPLATES, so the project can add its own (components/…).
FORM_RENDERER = "intrapreneur.renderers.DsfrRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "intrapreneur.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "intrapreneur.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "intrapreneur.views.csrf_failure"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: sign-in by e-mail, no open sign-up (see intrapreneur.adapters).
ACCOUNT_ADAPTER = "intrapreneur.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_SESSION_REMEMBER = None
# Sign-in by a code sent by e-mail (no password needed), or by password.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Intrapreneur] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "request_login_code": "20/m/ip,3/m/key",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# Behind the PaaS router: how many proxies put the client address in X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Social sign-in: ProConnect only, offered when its variables are set (README). People are
# matched by the verified e-mail ProConnect gives, to an account or a pending invitation.
SOCIALACCOUNT_ADAPTER = "intrapreneur.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = int(os.environ.get("PROCONNECT_TIMEOUT", "10"))


def proconnect_providers() -> dict:
    """SOCIALACCOUNT_PROVIDERS from PROCONNECT_* (empty without them: no button, no URL)."""
    client_id = os.environ.get("PROCONNECT_CLIENT_ID", "")
    secret = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
    domain = os.environ.get("PROCONNECT_DOMAIN", "").strip().rstrip("/")
    if not (client_id and secret and domain):
        return {}
    if "://" not in domain:  # ProConnect's own documents give a bare host name.
        domain = f"https://{domain}/api/v2"
    return {
        "proconnect": {
            "APPS": [
                {
                    "client_id": client_id,
                    "secret": secret,
                    "settings": {
                        "server_url": domain,
                        "acr_values": os.environ.get("PROCONNECT_ACR_VALUES", "eidas1"),
                        "scope": os.environ.get(
                            "PROCONNECT_SCOPES", "openid email given_name usual_name siret uid"
                        ).split(),
                    },
                }
            ]
        }
    }


SOCIALACCOUNT_PROVIDERS = proconnect_providers()
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Intrapreneur"

# Caches: local memory (rate limits keep working when Redis is down).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files on an S3-compatible store (django-storages) when a bucket is named; the local
# disk (MEDIA_ROOT) otherwise. Files stay private: always served through the download view.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
# A startup's archive may weigh this much once uncompressed (manage.py import_startup).
IMPORT_MAX_SIZE = int(os.environ.get("IMPORT_MAX_SIZE", str(5 * 1024**3)))
# Uploads: the file field refuses anything larger (intrapreneur.files).
MAX_UPLOAD_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# E-mail (Django 6.1's MAILERS): console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": EMAIL_PORT,
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST, EMAIL_PORT
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Intrapreneur <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set; otherwise tasks run eagerly in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "intrapreneur")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic tasks: Celery's own beat with the schedule here (see CONVENTIONS.md).
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "intrapreneur.tasks.outbox_sweep_task", "schedule": 300.0},
    "participants-purge": {
        "task": "investigations.tasks.participants_purge_task",
        "schedule": crontab(hour=3, minute=15),
    },
    "metrics-pull": {
        "task": "products.tasks.metrics_pull_daily_task",
        "schedule": crontab(hour=6, minute=30),
    },
    "tests-nudge": {
        "task": "products.tasks.teams_nudge_task",
        "schedule": crontab(day_of_week="mon", hour=9, minute=0),
    },
    "notifications-digest": {
        "task": "intrapreneur.tasks.notifications_digest_task",
        "schedule": crontab(day_of_week="mon", hour=8, minute=30),
    },
    "committee-reminders": {
        "task": "governance.tasks.committee_reminders_task",
        "schedule": crontab(hour=7, minute=45),
    },
    "standard-reminders": {
        "task": "governance.tasks.standard_reminders_task",
        "schedule": crontab(hour=7, minute=50),
    },
    "sponsor-reports-monthly": {
        "task": "governance.tasks.reports_monthly_task",
        # The first days of the month, so that a missed 1st is caught up (once a month).
        "schedule": crontab(day_of_month="1-7", hour=8, minute=0),
    },
}

# Security. Production values come with DEBUG off; `check --deploy` passes with them.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: htmx sends the token rendered in the page (hx-headers).
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# django-dsfr
# Never mark component content as safe: messages and labels carry user text.
DSFR_CONTENT_IS_SAFE = False

SITE_NAME = "Intrapreneur"
# The address of the site in e-mails sent by background tasks (no request to read it from).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
# What the footer and the default accessibility statement say of the site's RGAA
# compliance: "none" until an audit, then "partial" or "full".
ACCESSIBILITY_COMPLIANCE = os.environ.get("ACCESSIBILITY_COMPLIANCE", "none")
if ACCESSIBILITY_COMPLIANCE not in {"none", "partial", "full"}:
    raise ImproperlyConfigured("ACCESSIBILITY_COMPLIANCE is one of none, partial, full.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
