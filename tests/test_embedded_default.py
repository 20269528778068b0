"""`make run` on a fresh machine: every migration and the demo seed on the embedded
default (SQLite, tasks in-process), as a newcomer gets them. The rest of the suite runs
on PostgreSQL, so SQL that only PostgreSQL speaks would otherwise pass unnoticed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, database: Path) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["DATABASE_URL"] = f"sqlite:///{database}"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
def test_the_embedded_default_migrates_and_seeds_the_demo(tmp_path):
    database = tmp_path / "db.sqlite3"
    migrated = manage("migrate", "--noinput", database=database)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    seeded = manage("seed_demo", "--password", "a-long-demo-password", database=database)
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    assert "ana@demo.example" in seeded.stdout and "Discharged:" in seeded.stdout
    checked = manage("makemigrations", "--check", "--dry-run", database=database)
    assert checked.returncode == 0, checked.stdout[-3000:]
