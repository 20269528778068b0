"""Fixtures for the export tests (import them into a test module)."""

import pytest


@pytest.fixture
def private_media(settings, tmp_path):
    """Exported files go to a fresh private folder for the test (and its worker)."""
    root = tmp_path / "private_media"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(root)}},
    }
    return root


def files_of(root, job) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file() and str(job.pk) in p.name)
