"""Signed clinical records are locked: every write path refuses to change them.

Views check first and say so kindly; these guards are the last line, so the
admin, a crafted POST or a stray script cannot change a signed record either.
"""

from django.db import models


class SignedRecordLocked(PermissionError):
    """A signed note, plan revision or addendum was about to be changed."""


class LockedQuerySet(models.QuerySet):
    """Bulk updates and deletes skip save(); refuse them when a signed row is hit."""

    def update(self, **kwargs):
        if self.filter(status="signed").exists():
            raise SignedRecordLocked("Signed records cannot be changed in bulk")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status="signed").exists():
            raise SignedRecordLocked("Signed records cannot be deleted")
        return super().delete()


class SignedLockMixin(models.Model):
    """save() and delete() refuse once the row is signed in the database."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._signed_in_database():
            raise SignedRecordLocked(f"{type(self).__name__} {self.pk} is signed and locked")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == "signed" or self._signed_in_database():
            raise SignedRecordLocked(f"{type(self).__name__} {self.pk} is signed and locked")
        return super().delete(*args, **kwargs)

    def _signed_in_database(self) -> bool:
        if self._state.adding or self.pk is None:
            return False
        return type(self)._base_manager.filter(pk=self.pk, status="signed").exists()
