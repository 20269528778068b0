"""Deployment checks (`manage.py check --deploy`) for the security promises settings carry."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


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
