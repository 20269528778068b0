"""Deployment checks (`manage.py check --deploy`) for the security promises settings carry."""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def shared_cache_for_mfa(app_configs, **kwargs) -> list[Warning]:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "The cache is per process: a used TOTP code is remembered by one worker only, "
                "so it could be replayed on another.",
                hint="Set CACHE_URL (or CELERY_BROKER_URL) to a Redis shared by all workers.",
                id="attachment_app.W001",
            )
        ]
    return []


@register(Tags.security)
def keys_from_the_environment(app_configs, **kwargs) -> list[Error]:
    """Production refuses to start (migrate, check) without the keys that protect records."""
    if not getattr(settings, "REQUIRE_ENVIRONMENT_KEYS", False):
        return []
    errors = []
    field_keys = list(getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or [])
    if not field_keys:
        errors.append(
            Error(
                "FIELD_ENCRYPTION_KEYS is not set: process notes and letters cannot be encrypted.",
                hint="Set FIELD_ENCRYPTION_KEYS to one or more Fernet keys, newest first "
                "(python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())').",
                id="attachment_app.E001",
            )
        )
    for position, key in enumerate(field_keys, start=1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            errors.append(
                Error(
                    f"FIELD_ENCRYPTION_KEYS entry {position} is not a Fernet key.",
                    hint="Each entry is 32 url-safe base64-encoded bytes (44 characters).",
                    id="attachment_app.E002",
                )
            )
    if not getattr(settings, "AUDIT_HMAC_KEYS", None):
        errors.append(
            Error(
                "AUDIT_HMAC_KEYS is not set: the audit trail cannot be made tamper-evident.",
                hint="Set AUDIT_HMAC_KEYS to one or more long random secrets, newest first "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))'); keep them "
                "outside the database.",
                id="attachment_app.E003",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def proxy_addresses_named(app_configs, **kwargs) -> list[Warning]:
    if getattr(settings, "PROXY_COUNT", 0) and not getattr(settings, "TRUSTED_PROXIES", None):
        return [
            Warning(
                "PROXY_COUNT is set but TRUSTED_PROXIES is empty: X-Forwarded-For is ignored "
                "and every request seems to come from the proxy (one lockout for everyone).",
                hint="Set TRUSTED_PROXIES to the proxy's address (the compose file: 172.30.0.10).",
                id="attachment_app.W002",
            )
        ]
    return []
