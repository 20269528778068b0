"""The second factor: limits per account, re-entering the password to change it, passkeys."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp_auth
from django.test import Client
from django.urls import reverse

from attachment_app.models import AuditEvent
from tests.factories import TEST_PASSWORD
from tests.test_security_mfa import COUNTER, client_url, code_for

ADDRESSES = [f"198.51.100.{n}" for n in range(1, 8)]


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def sign_in(client, email="ana@test.example", password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def wrong_code(secret: str) -> str:
    right = code_for(secret)
    return "000000" if right != "000000" else "111111"


@pytest.fixture
def mfa_clinic(clinic):
    clinic.mfa_required = True
    clinic.save()
    return clinic


def totp_for(user) -> str:
    secret = totp_auth.generate_totp_secret()
    totp_auth.TOTP.activate(user, secret)
    return secret


@pytest.fixture
def ana_totp(ana):
    return totp_for(ana)


@pytest.fixture
def ben_totp(ben):
    return totp_for(ben)


@pytest.fixture
def frozen_totp_clock(monkeypatch):
    monkeypatch.setattr(totp_auth, "yield_hotp_counters_from_time", lambda: iter([COUNTER]))


def test_wrong_codes_from_many_addresses_pause_the_accounts_code_step_everywhere(
    ana, mfa_clinic, client_record, ana_totp, frozen_totp_clock
):
    # Five addresses each guess once, as a botnet holding the password would.
    for address in ADDRESSES[:5]:
        attacker = from_address(address)
        assert sign_in(attacker)["Location"] == reverse("mfa_authenticate")
        page = attacker.post(reverse("mfa_authenticate"), {"code": wrong_code(ana_totp)})
        assert page.status_code == 200
        assert attacker.get(client_url(client_record)).status_code == 302

    # From a sixth address, even the right code is refused for now, and the page says why.
    person = from_address(ADDRESSES[5])
    sign_in(person)
    page = person.post(reverse("mfa_authenticate"), {"code": code_for(ana_totp)})
    assert page.status_code == 200
    html = page.content.decode()
    assert "paused on every device until" in html
    assert "about 5 minutes" in html
    assert person.get(client_url(client_record)).status_code == 302


def test_the_paused_code_step_is_audited_once_with_each_wrong_code_before_it(
    ana, mfa_clinic, ana_totp, frozen_totp_clock
):
    for address in ADDRESSES[:6]:
        attacker = from_address(address)
        sign_in(attacker)
        attacker.post(reverse("mfa_authenticate"), {"code": wrong_code(ana_totp)})
    wrong = AuditEvent.objects.filter(
        actor=ana, action=AuditEvent.Action.LOGIN_FAILED, summary="Wrong sign-in code"
    )
    assert sorted(wrong.values_list("ip_address", flat=True)) == sorted(ADDRESSES[:5])
    paused = AuditEvent.objects.filter(actor=ana, action=AuditEvent.Action.LOCKED_OUT)
    assert paused.count() == 1
    assert paused.get().ip_address == ADDRESSES[4]  # the fifth wrong code paused it


def test_a_colleagues_code_step_stays_open_while_one_account_is_paused(
    ana, ben, mfa_clinic, ana_totp, ben_totp, frozen_totp_clock
):
    for address in ADDRESSES[:5]:
        attacker = from_address(address)
        sign_in(attacker)
        attacker.post(reverse("mfa_authenticate"), {"code": wrong_code(ana_totp)})
    colleague = from_address(ADDRESSES[6])
    sign_in(colleague, email="ben@test.example")
    colleague.post(reverse("mfa_authenticate"), {"code": code_for(ben_totp)})
    assert colleague.get(reverse("clients:home")).status_code == 200


def test_fewer_wrong_codes_than_the_limit_still_let_the_person_in(
    ana, mfa_clinic, client_record, ana_totp, frozen_totp_clock
):
    for address in ADDRESSES[:4]:
        attacker = from_address(address)
        sign_in(attacker)
        attacker.post(reverse("mfa_authenticate"), {"code": wrong_code(ana_totp)})
    person = from_address(ADDRESSES[5])
    sign_in(person)
    person.post(reverse("mfa_authenticate"), {"code": code_for(ana_totp)})
    assert person.get(client_url(client_record)).status_code == 200


def test_wrong_passwords_stay_limited_per_address_so_nobody_locks_a_colleague_out(
    ana, client_record
):
    for address in ADDRESSES[:5]:
        assert sign_in(from_address(address), password="not the password").status_code == 200
    person = from_address(ADDRESSES[5])
    assert sign_in(person).status_code == 302
    assert person.get(client_url(client_record)).status_code == 200


@pytest.fixture
def ana_recovery_codes(ana):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    return RecoveryCodes.activate(ana)


@pytest.fixture
def ana_passkey(ana, ana_recovery_codes):
    """A passkey row: these tests never get past the password question to use it."""
    return Authenticator.objects.create(
        user=ana, type=Authenticator.Type.WEBAUTHN, data={"name": "Laptop", "credential": {}}
    )


def second_factor_changes(passkey) -> list[tuple[str, str]]:
    """(method, url) of every page that adds, removes or reveals a second factor."""
    return [
        ("get", reverse("mfa_activate_totp")),
        ("post", reverse("mfa_deactivate_totp")),
        ("post", reverse("mfa_generate_recovery_codes")),
        ("get", reverse("mfa_view_recovery_codes")),
        ("get", reverse("mfa_add_webauthn")),
        ("post", reverse("mfa_remove_webauthn", args=[passkey.pk])),
    ]


def asks_for_the_password(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("account_reauthenticate")
    )


def age_the_password_entry(client, seconds: int) -> None:
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] -= seconds
    session.save()


def sign_in_with_code(client, secret: str) -> None:
    sign_in(client)
    client.post(reverse("mfa_authenticate"), {"code": code_for(secret)})
    assert client.get(reverse("clients:home")).status_code == 200


def test_changing_a_second_factor_asks_for_the_password_even_just_after_signing_in(
    client, ana, ana_totp, ana_passkey, frozen_totp_clock
):
    sign_in_with_code(client, ana_totp)
    for method, url in second_factor_changes(ana_passkey):
        assert asks_for_the_password(getattr(client, method)(url)), url


def test_after_re_entering_the_password_the_change_goes_ahead(
    client, ana, ana_totp, ana_recovery_codes, frozen_totp_clock
):
    sign_in_with_code(client, ana_totp)
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200
    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=ana, type="totp").exists()


def test_a_password_re_entered_more_than_five_minutes_ago_no_longer_counts(
    client, ana, ana_totp, ana_passkey, frozen_totp_clock
):
    sign_in_with_code(client, ana_totp)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    age_the_password_entry(client, 5 * 60 + 1)
    for method, url in second_factor_changes(ana_passkey):
        assert asks_for_the_password(getattr(client, method)(url)), url


def test_a_wrong_password_changes_nothing(client, ana, ana_totp, ana_passkey, frozen_totp_clock):
    sign_in_with_code(client, ana_totp)
    page = client.post(reverse("account_reauthenticate"), {"password": "not it at all"})
    assert page.status_code == 200
    assert asks_for_the_password(client.get(reverse("mfa_add_webauthn")))


def test_a_code_cannot_stand_in_for_the_password(
    client, ana, ana_totp, ana_recovery_codes, frozen_totp_clock
):
    sign_in_with_code(client, ana_totp)
    unused = ana_recovery_codes.get_unused_codes()[0]
    response = client.post(reverse("mfa_reauthenticate"), {"code": unused})
    assert response.status_code in {302, 403}
    assert asks_for_the_password(client.get(reverse("mfa_add_webauthn")))


def test_where_the_clinic_requires_it_a_passkey_is_a_second_factor(
    client, ana, mfa_clinic, ana_passkey
):
    client.force_login(ana)  # a password alone, as any path around the code step would
    response = client.get(reverse("clients:home"))
    # Not sent to set up an authenticator app: asked to sign in again with the passkey.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_where_the_clinic_requires_it_the_last_app_or_passkey_cannot_be_removed(
    ana, mfa_clinic, ana_passkey
):
    from attachment_app.adapters import MFAAdapter

    assert MFAAdapter().can_delete_authenticator(ana_passkey) is False
    totp_for(ana)
    assert MFAAdapter().can_delete_authenticator(ana_passkey) is True


def test_the_sign_in_page_offers_a_passkey_without_inline_script(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert 'id="passkey_login"' in html
    assert f'action="{reverse("mfa_login_webauthn")}"' in html
    assert "mfa/js/webauthn.js" in html
    for script in re.findall(r"<script[^>]*>", html):
        assert "src=" in script or 'type="application/json"' in script, script
