import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# Throwaway keys, as .ci/run makes them: production refuses to start without them.
PRODUCTION_KEYS = {
    "FIELD_ENCRYPTION_KEYS": "Dp3uZ7w5QF0cB0fH8z1nPq2m4yT6rVxKjLsWbNcE9aA=",
    "AUDIT_HMAC_KEYS": "test-only-audit-key-0123456789abcdef0123456789abcdef",
}


def production_env(**extra: str) -> dict[str, str]:
    secrets = {"SECRET_KEY", "DEBUG", *PRODUCTION_KEYS}
    env = {k: v for k, v in os.environ.items() if k not in secrets}
    env.update(PRODUCTION_KEYS)
    # Production has Redis (compose); the checks only read the setting, never connect.
    env.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
    return {**env, "DJANGO_SETTINGS_MODULE": "attachment_app.settings.production", **extra}


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env=production_env())
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_passes_the_deployment_checklist():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(SECRET_KEY="x" * 64 + "-a-long-random-production-secret"),
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", sorted(PRODUCTION_KEYS))
def test_production_refuses_to_start_without_the_field_and_audit_keys(missing):
    env = production_env(SECRET_KEY="x" * 64 + "-a-long-random-production-secret")
    env.pop(missing)
    for command in (["check", "--deploy"], ["migrate", "--plan"]):
        result = run_manage(*command, env=env)
        assert result.returncode != 0, command
        assert f"{missing} is not set" in result.stdout + result.stderr


def test_production_refuses_a_field_key_that_is_not_a_fernet_key():
    env = production_env(
        SECRET_KEY="x" * 64 + "-a-long-random-production-secret",
        FIELD_ENCRYPTION_KEYS="not-a-key",
    )
    result = run_manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "attachment_app.E002" in result.stdout + result.stderr


def test_a_misspelt_boolean_stops_the_app():
    result = run_manage("check", env={**os.environ, "DEBUG": "ture"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_the_deployment_checklist_wants_a_shared_cache_for_mfa():
    env = production_env(SECRET_KEY="x" * 64 + "-a-long-random-production-secret")
    env.pop("CELERY_BROKER_URL")
    env.pop("CACHE_URL", None)
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "attachment_app.W001" in result.stdout + result.stderr
