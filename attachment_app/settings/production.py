"""Production: no default secret, HTTPS only, strict cookies."""

from attachment_app.env import env_bool, env_int, env_list, env_required

from .base import *  # noqa: F403

SECRET_KEY = env_required("SECRET_KEY")
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
# Also read in base.py by the audit chain (HMAC keys, newest first); required here.
AUDIT_HMAC_KEYS = env_list("AUDIT_HMAC_KEYS")
FIELD_ENCRYPTION_DEV_FALLBACK = False
# Without the field and audit keys the app refuses to start (attachment_app.checks).
REQUIRE_ENVIRONMENT_KEYS = True
DEBUG = False
MFA_REQUIRED_BY_DEFAULT = env_bool("MFA_REQUIRED_BY_DEFAULT", True)
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", True)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The compose file's proxy terminates TLS and says so in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken"
