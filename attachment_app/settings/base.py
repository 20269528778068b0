"""Settings shared by every environment, read from the environment.

With nothing configured the app runs on the embedded default: SQLite and
background tasks executed in-process. DATABASE_URL and CELERY_BROKER_URL
switch it to PostgreSQL and a real Celery worker.
"""

from pathlib import Path

import dj_database_url
import font_source_sans_pro
import font_source_serif_pro

from attachment_app.env import env_bool, env_int, env_list, env_networks, env_str
from attachment_app.storage_settings import exports_storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# A development-only key: production.py refuses to start without SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "bootstrap",
]
LOCAL_APPS = [
    "attachment_app",
    "clients",
    "exercises",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# Header middleware comes first, so that responses made from an exception in a
# later middleware (a bad Host header, an oversized body) still carry the headers.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files may be cached; pages never.
    "attachment_app.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "attachment_app.middleware.ClinicLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
    "attachment_app.middleware.SessionPolicyMiddleware",
    # A client's account stays inside its companion (404 elsewhere), before MFA set-up
    # redirects would tell it that a clinician's page exists.
    "clients.middleware.CompanionBoundaryMiddleware",
    "attachment_app.middleware.MfaRequiredMiddleware",
]

ROOT_URLCONF = "attachment_app.urls"
WSGI_APPLICATION = "attachment_app.wsgi.application"

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
                # A client account's shared pages (account, errors) in the companion layout.
                "clients.context_processors.companion_layout",
            ],
            # |clinic_date and |clinic_datetime on every page and PDF, no {% load %} needed.
            "builtins": ["attachment_app.templatetags.clinic_dates"],
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    if DATABASE_URL
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "attachment_app.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's and allauth's backends, loading the session's user with the clinic.
    "attachment_app.backends.ClinicModelBackend",
    "attachment_app.backends.ClinicAuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "attachment_app.validators.MaximumLengthValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "clients:home"
LOGOUT_REDIRECT_URL = "account_login"

# Accounts are created by clinic admins, never by sign-up; email is the login.
ACCOUNT_ADAPTER = "attachment_app.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# A password reset signs nobody in: the next sign-in still asks for the second factor.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
# Wrong passwords: axes locks an account at one address (audited) and allauth limits
# each address (AccountAdapter.pre_authenticate), so nobody can lock a colleague out from
# elsewhere. Wrong codes at the code step (the password is known by then): 5 in 5 minutes
# pause that account's code step from every address ("/key" is the account).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# Passkeys (WebAuthn) beside the authenticator app: phishing-resistant, and with
# PASSKEY_LOGIN a passkey that checks its owner (PIN, fingerprint) signs in by itself.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_USER_VERIFICATION = "preferred"
# The code step says until when it is paused, and audits the pause.
MFA_FORMS = {"authenticate": "attachment_app.forms.SecondFactorForm"}
# Adding or removing a second factor, or seeing recovery codes, asks for the password
# again: neither the sign-in itself nor a code counts, nor a password older than 5 minutes.
MFA_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_METHODS = ["password"]
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
MFA_TOTP_ISSUER = "Attachment Therapy"
MFA_ADAPTER = "attachment_app.adapters.MFAAdapter"
# New clinics require a second factor when this is true (production: true).
MFA_REQUIRED_BY_DEFAULT = env_bool("MFA_REQUIRED_BY_DEFAULT", False)
# Staff accounts (the Django admin) need a second factor whatever their clinic says.
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", MFA_REQUIRED_BY_DEFAULT)
USERSESSIONS_TRACK_ACTIVITY = False

# Proxies in front of the app that append to X-Forwarded-For (the compose file: 1),
# and the addresses or networks they connect from: the header is believed only from
# those, so a client that reaches gunicorn directly cannot choose its own address.
# One reading of the client address for lockout, rate limits and the audit trail.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
ALLAUTH_TRUSTED_PROXY_COUNT = PROXY_COUNT
AXES_CLIENT_IP_CALLABLE = "attachment_app.clientip.client_address"

# Lockout after repeated failed sign-ins, per account and address together.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "attachment_app.lockout.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"

SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The idle timeout is each clinic's (Clinic.idle_timeout_minutes); the browser warns a
# minute before (data-idle-warning-seconds in base.html).
# Activity is written to the session at most this often (not a write per request).
SESSION_ACTIVITY_WRITE_SECONDS = 10
# "Break the glass": how long an emergency access grant lasts.
EMERGENCY_ACCESS_MINUTES = env_int("EMERGENCY_ACCESS_MINUTES", 60)

# Oversized input is refused before it is read (a 413 page), so no worker is stuck on it.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# Stored files (exports) are psychotherapy records: readable by the app's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Shared cache: TOTP codes are marked used here, so a code cannot be replayed on
# another worker. Redis when configured; a per-process cache only for `make run`.
# While Redis is unreachable the database table `cache_fallback` stands in
# (attachment_app.cache; `manage.py createcachetable` makes it), so sign-in and
# its rate limits keep working through a Redis outage.
CACHE_URL = env_str("CACHE_URL", env_str("CELERY_BROKER_URL"))
FALLBACK_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "cache_fallback",
}
CACHES = (
    {
        "default": {
            "BACKEND": "attachment_app.cache.RedisWithDatabaseFallback",
            "LOCATION": CACHE_URL,
        },
        "fallback": FALLBACK_CACHE,
    }
    if CACHE_URL
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)
# Rendered fragments that hold clinical content (a relationship map's drawing, tables
# and forms) are kept only in the process that rendered them, never in Redis; each is
# keyed by a digest of what it shows, so a change is a new key, never a stale page.
PROCESS_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "rendered-fragments",
    "OPTIONS": {"MAX_ENTRIES": 300},
}
CACHES["process"] = PROCESS_CACHE

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Print fonts for exported PDFs, shipped by PyPI packages (SIL OFL), never fetched.
    ("fonts/source-serif", font_source_serif_pro.font_directory),
    ("fonts/source-sans", font_source_sans_pro.font_directory),
]
PRIVATE_MEDIA_ROOT = env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    # Exported documents: the local folder above by default (one host), or an
    # S3-compatible bucket shared by every host (EXPORT_STORAGE=s3 and EXPORT_S3_*;
    # attachment_app/storage_settings.py). Half-set configuration refuses to start.
    "exports": exports_storage_from_env(PRIVATE_MEDIA_ROOT),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Exported documents are served only through views that check access.
MEDIA_URL = None

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@attachment.invalid")

# Celery. With no broker configured, tasks run in-process (the embedded demo).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
# The soft limit fails the job in plain words; the hard limit kills a render that ignores it.
CELERY_TASK_SOFT_TIME_LIMIT = env_int(
    "CELERY_TASK_SOFT_TIME_LIMIT", max(1, CELERY_TASK_TIME_LIMIT - 30)
)
# A pool process that grew past this (KiB) is replaced after its task: one huge
# render cannot keep a worker's memory for good.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 600_000)
# Must exceed every task's time limit, or a long task is delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT * 4}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# With the broker down, asking for an export must still answer at once: the job
# row stays queued and the sweeper sends it when the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BEAT_SCHEDULE = {
    "sweep-exports": {"task": "clients.sweep_exports", "schedule": 60.0},
    "expire-exports": {"task": "clients.expire_exports", "schedule": 60.0 * 60},
    "extend-appointment-series": {
        "task": "clients.extend_appointment_series",
        "schedule": 60.0 * 60,
    },
}
CELERY_BEAT_SCHEDULE["send-appointment-reminders"] = {
    "task": "clients.send_appointment_reminders",
    "schedule": 60.0 * 10,
}
# Beat runs it hourly; the (clinician, day) marker lets it send once a day.
CELERY_BEAT_SCHEDULE["send-unsigned-digest"] = {
    "task": "clients.send_unsigned_digest",
    "schedule": 60.0 * 60,
}
# Clients who opted in get a reminder this many hours before an appointment.
APPOINTMENT_REMINDER_HOURS = env_int("APPOINTMENT_REMINDER_HOURS", 24)
# Occurrences of a repeating appointment exist as rows this many weeks ahead.
APPOINTMENT_HORIZON_WEEKS = env_int("APPOINTMENT_HORIZON_WEEKS", 12)
# A deleted draft can be brought back by its author for this long, then it is purged.
DRAFT_UNDO_MINUTES = env_int("DRAFT_UNDO_MINUTES", 10)
CELERY_BEAT_SCHEDULE["purge-deleted-drafts"] = {
    "task": "clients.purge_deleted_drafts",
    "schedule": 60.0 * 5,
}

# Exports: a job queued this long without starting is sent again. After this many
# attempts that never finished, a job is failed with a plain explanation.
EXPORT_QUEUED_RESEND_SECONDS = env_int("EXPORT_QUEUED_RESEND_SECONDS", 120)
EXPORT_MAX_ATTEMPTS = env_int("EXPORT_MAX_ATTEMPTS", 3)
# A running job's worker writes a heartbeat this often; a job whose heartbeat is older
# than EXPORT_WORKER_GONE_SECONDS has lost its worker and is retried by the sweeper.
EXPORT_HEARTBEAT_SECONDS = env_int("EXPORT_HEARTBEAT_SECONDS", 10)
EXPORT_WORKER_GONE_SECONDS = env_int("EXPORT_WORKER_GONE_SECONDS", 40)
# Limits asked for up front: a session summary over more sessions is refused (narrow
# the dates), and one person has at most this many exports waiting or running.
EXPORT_MAX_SESSIONS_PER_SUMMARY = env_int("EXPORT_MAX_SESSIONS_PER_SUMMARY", 100)
EXPORT_MAX_ACTIVE_PER_PERSON = env_int("EXPORT_MAX_ACTIVE_PER_PERSON", 3)
# Only the test settings let a job ask to be slowed down (to kill a worker mid-render).
EXPORT_ALLOW_TEST_DELAY = False

# Content-Security-Policy: every asset comes from the app itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Powerful browser features the app never uses are off for every page.
PERMISSIONS_POLICY = {"camera": [], "microphone": [], "geolocation": [], "payment": []}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Clinic defaults; each clinic can override its own.
NO_SESSION_ALERT_DAYS = env_int("NO_SESSION_ALERT_DAYS", 21)

# Field-level encryption keys (Fernet, newest first). Production requires them.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
FIELD_ENCRYPTION_DEV_FALLBACK = not FIELD_ENCRYPTION_KEYS

# Audit chain: each row's hash is an HMAC under a key from the environment (never the
# database), comma-separated, newest first; rows record the id of the key that signed
# them, so an old key stays listed until no row needs it. Development/test default only:
# production.py has no default.
AUDIT_HMAC_KEYS = env_list("AUDIT_HMAC_KEYS", "dev-only-audit-hmac-key-do-not-use-in-production")
# The chain's head is copied here (append-only, one JSON line per anchor) and to the log
# (logger attachment_app.audit.anchor): outside the database, so a trimmed tail shows.
AUDIT_ANCHOR_PATH = env_str("AUDIT_ANCHOR_PATH", str(BASE_DIR / "audit_anchors" / "anchors.jsonl"))
AUDIT_ANCHOR_SECONDS = env_int("AUDIT_ANCHOR_SECONDS", 300)
CELERY_BEAT_SCHEDULE["anchor-audit-head"] = {
    "task": "attachment_app.audit_anchor",
    "schedule": float(AUDIT_ANCHOR_SECONDS),
}
# Production sets this: no start without FIELD_ENCRYPTION_KEYS and AUDIT_HMAC_KEYS.
REQUIRE_ENVIRONMENT_KEYS = False
