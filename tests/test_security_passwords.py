"""Passwords: Argon2 first, at least 12 characters, long ones kept whole, common ones refused."""

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import CommonPasswordValidator, validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

import attachment_app.settings.base as base_settings
from tests.factories import TEST_PASSWORD

ARGON2_ONLY = ["django.contrib.auth.hashers.Argon2PasswordHasher"]


def messages_for(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


def test_argon2_is_the_first_hasher():
    assert base_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_eleven_characters_are_too_few_and_twelve_are_enough():
    assert any("at least 12" in m for m in messages_for("tulip-river"))  # 11
    assert messages_for("tulip-rivers") == []  # 12


def test_a_long_passphrase_up_to_128_characters_is_accepted():
    assert messages_for("a quiet morning by the lake " * 4) == []  # 112
    assert messages_for("x7" * 64) == []  # 128
    assert messages_for("x7" * 64 + "y") != []  # 129


@override_settings(PASSWORD_HASHERS=ARGON2_ONLY)
def test_a_long_password_is_not_truncated():
    password = "v" * 97 + "abc"  # 100 characters
    encoded = make_password(password)
    assert encoded.startswith("argon2")
    assert check_password(password, encoded)
    assert not check_password("v" * 97 + "abd", encoded)  # differs only in its last character
    assert not check_password(password[:72], encoded)


def test_common_passwords_are_refused():
    long_common = sorted(p for p in CommonPasswordValidator().passwords if len(p) >= 12)[0]
    assert any("too common" in m for m in messages_for(long_common))


@pytest.mark.django_db
def test_changing_to_a_short_password_re_renders_the_form_with_the_reason(as_ana):
    response = as_ana.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": "short-pw", "password2": "short-pw"},
    )
    assert response.status_code == 200
    assert b"at least 12 characters" in response.content
