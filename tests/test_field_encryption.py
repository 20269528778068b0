import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from attachment_app.fields import decrypt, encrypt, reset_key_cache


@pytest.fixture
def keys(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    reset_key_cache()
    yield settings, old, new
    reset_key_cache()


def test_a_value_is_stored_as_ciphertext(keys):
    stored = encrypt("the client's own words")
    assert "client" not in stored
    assert decrypt(stored) == "the client's own words"


def test_an_old_key_still_decrypts_after_rotation(keys):
    settings, old, new = keys
    stored = encrypt("written under the old key")
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    reset_key_cache()
    assert decrypt(stored) == "written under the old key"
    settings.FIELD_ENCRYPTION_KEYS = [new]
    reset_key_cache()
    with pytest.raises(ImproperlyConfigured):
        decrypt(stored)
