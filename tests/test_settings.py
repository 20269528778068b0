import os
import subprocess
import sys
from pathlib import Path

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


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
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
