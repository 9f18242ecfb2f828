"""Settings shared by every environment; everything deployment-specific comes from the environment.

DATABASE_URL   default: SQLite file var/gongzhi.sqlite3 (WAL mode)
REDIS_URL      optional; the cache falls back to local memory without it
SECRET_KEY     default (dev only): generated once into var/secret_key
GONGZHI_PII_KEY  key for personal data at rest; default (dev only): generated once into var/pii_key
DEBUG          off unless DEBUG=1
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("GONGZHI_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def secret_from_var(name: str, env_name: str, nbytes: int = 32) -> str:
    """The secret from the environment, else one generated once into var/ (development only)."""
    value = os.environ.get(env_name)
    if value:
        return value
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(nbytes))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = secret_from_var("secret_key", "SECRET_KEY", 50)
PII_KEY = secret_from_var("pii_key", "GONGZHI_PII_KEY", 32)
DEBUG = env_flag("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "simple_history",
    "axes",
    "gongzhi.core",
    "gongzhi.org",
    "gongzhi.accounts",
    "gongzhi.people",
    "gongzhi.notices",
    "gongzhi.jobs",
    "gongzhi.partylife",
    "gongzhi.needs",
    "gongzhi.volunteers",
    "gongzhi.decisions",
    "gongzhi.mediation",
    "gongzhi.lectures",
    "gongzhi.culture",
    "gongzhi.points",
    "gongzhi.bank",
    "gongzhi.reports",
    "gongzhi.demo",
    "gongzhi.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongzhi.web.middleware.ChineseFirstLocaleMiddleware",  # Chinese unless the 中文/English switch chose otherwise
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "gongzhi.accounts.middleware.ScopeMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gongzhi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongzhi.accounts.context_processors.scope",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gongzhi.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; the pragmas run on every new connection.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # One process: the figures of a few dashboards (core.figure_cache) fit in local memory.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20000}}}
# Figures are kept between requests until their records change (core.figure_cache). Several web
# or job processes must share the cache for that (REDIS_URL); without it, run one process or
# turn the cache off with GONGZHI_FIGURE_CACHE=0.
GONGZHI_FIGURE_CACHE = env_flag("GONGZHI_FIGURE_CACHE", True)
# The report computes the period before and the child units in a second thread (reports.content).
GONGZHI_REPORT_THREADS = int(os.environ.get("GONGZHI_REPORT_THREADS", "2"))

# Background jobs (gongzhi.jobs): in a thread of the web process, or on Celery workers when
# Redis is there to carry them (start workers with `celery -A config worker`).
GONGZHI_JOBS = os.environ.get("GONGZHI_JOBS", "celery" if REDIS_URL else "thread")
GONGZHI_JOB_DIR = VAR_DIR / "jobs"  # uploads and generated files; private, never served
GONGZHI_IMPORT_MAX_MB = int(os.environ.get("GONGZHI_IMPORT_MAX_MB", "100"))
# Larger .xlsx sheets are streamed with openpyxl (bounded memory) instead of python-calamine
# (ten times faster, but it holds the decoded sheet in memory: about 1.2 KB a row).
GONGZHI_IMPORT_CALAMINE_MAX_ROWS = int(os.environ.get("GONGZHI_IMPORT_CALAMINE_MAX_ROWS", "200000"))
# Organisational life (local rules, DOMAIN.md §3): unexcused absences in a row that call for a
# talk; months without organisational life at which to warn (six means 自行脱党, 党章第九条).
GONGZHI_ABSENCE_WARN = int(os.environ.get("GONGZHI_ABSENCE_WARN", "3"))
GONGZHI_INACTIVITY_WARN_MONTHS = tuple(int(n) for n in os.environ.get("GONGZHI_INACTIVITY_WARN_MONTHS", "3,5").split(","))
# 党员政治生日 counts from the admission vote (joined_on) or from becoming a full member (full_on) [local].
GONGZHI_POLITICAL_BIRTHDAY = os.environ.get("GONGZHI_POLITICAL_BIRTHDAY", "joined_on")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # jobs are long: one at a time per worker process

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Login throttling (django-axes): 5 failures for one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

FORMAT_MODULE_PATH = ["gongzhi.formats"]
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "gongzhi" / "locale"]  # msgids are the Chinese text; only English has a catalogue
# The 中文/English switch (set_language) keeps the choice in this cookie for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

GONGZHI_BRAND = _("共治 · 党建引领基层治理")
