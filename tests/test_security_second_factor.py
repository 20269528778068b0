"""The second factor: limits per account, re-entering the password to change it, passkeys."""

import pytest
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
