"""Field-level encryption for the most sensitive text (process notes, letters).

Keys come from the environment (FIELD_ENCRYPTION_KEYS, comma-separated Fernet
keys, newest first), never from the database. MultiFernet decrypts with any
listed key and encrypts with the first, so rotation is: put a new key first,
run `manage.py reencrypt_fields`, then drop the old key.
"""

import base64
import hashlib
import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@cache
def _fernet() -> MultiFernet:
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        if not settings.DEBUG and not settings.FIELD_ENCRYPTION_DEV_FALLBACK:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set")
        # Development only: a key derived from SECRET_KEY, so `make run` needs no setup.
        digest = hashlib.sha256(("field-encryption:" + settings.SECRET_KEY).encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(k.encode()) for k in keys])


def reset_key_cache() -> None:
    _fernet.cache_clear()


def encrypt(plaintext: str) -> str:
    return PREFIX + _fernet().encrypt(plaintext.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before encryption was switched on
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("No FIELD_ENCRYPTION_KEYS entry decrypts this value") from exc


class EncryptedTextField(models.TextField):
    """A TextField stored encrypted. It cannot be searched or filtered by content."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


class EncryptedJSONField(EncryptedTextField):
    """A JSON document the app wrote itself (never a request body), stored encrypted.

    Read back as Python data; written from Python data. Not searchable.
    """

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return json.loads(text) if text else {}

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value) if value else {}
        return value

    def get_prep_value(self, value):
        if value is None:
            return value
        return encrypt(json.dumps(value, sort_keys=True))
