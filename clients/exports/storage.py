"""The storage exported files go through: Django's storage API, alias "exports".

STORAGES["exports"] is a local folder (one host) or an S3-compatible bucket (several);
see attachment_app/storage_settings.py. Writing, reading and deleting a file all go
through `export_storage`, so no code here knows which one it is.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

EXPORTS = "exports"


class ExportStorage(LazyObject):
    """storages["exports"], looked up when first used (and again if STORAGES changes)."""

    def _setup(self) -> None:
        self._wrapped = storages[EXPORTS]


export_storage = ExportStorage()


def exports_storage() -> ExportStorage:
    """For ExportJob.file (a callable, so migrations name it instead of a backend)."""
    return export_storage


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        export_storage._wrapped = empty
