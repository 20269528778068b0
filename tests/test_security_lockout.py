"""Lockout after repeated failed sign-ins per account and address, read behind the proxy."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from attachment_app.audit import client_address
from attachment_app.models import AuditEvent
from tests.factories import TEST_PASSWORD

PROXY = "10.0.0.2"  # the compose file's proxy, as gunicorn sees it
CLIENT_IP = "203.0.113.9"


def attempt(client, password, forwarded=None, remote=PROXY, email="ana@test.example"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_until_locked(client, **kwargs) -> None:
    from django.conf import settings

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "not the password at all", **kwargs)


def test_after_the_limit_even_the_right_password_is_refused(client, ana):
    fail_until_locked(client)
    response = attempt(client, TEST_PASSWORD)
    assert not signed_in(client)
    assert response.status_code in {403, 429}
    assert b"Sign-in paused" in response.content


def test_a_colleague_at_the_same_address_can_still_sign_in(client, ana, ben):
    fail_until_locked(client)
    attempt(client, TEST_PASSWORD, email="ben@test.example")
    assert signed_in(client)


def test_one_failure_less_than_the_limit_still_lets_the_person_in(client, ana):
    from django.conf import settings

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "not the password at all")
    attempt(client, TEST_PASSWORD)
    assert signed_in(client)


def test_failures_and_the_lockout_are_in_the_audit_trail(client, ana):
    fail_until_locked(client, forwarded=CLIENT_IP)
    attempt(client, TEST_PASSWORD, forwarded=CLIENT_IP)
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED, actor=ana)
    assert failed.count() >= 4
    locked = AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED_OUT, actor=ana)
    assert locked.exists()


@override_settings(PROXY_COUNT=1, TRUSTED_PROXIES=[PROXY])
def test_behind_the_proxy_the_lockout_is_per_real_client_address(client, ana):
    fail_until_locked(client, forwarded=CLIENT_IP)
    attempt(client, TEST_PASSWORD, forwarded=CLIENT_IP)
    assert not signed_in(client)
    # Someone else behind the same proxy is not locked out by that.
    attempt(client, TEST_PASSWORD, forwarded="198.51.100.7")
    assert signed_in(client)


@override_settings(PROXY_COUNT=1, TRUSTED_PROXIES=[PROXY])
def test_a_forged_forwarded_header_does_not_escape_the_lockout(client, ana):
    fail_until_locked(client, forwarded=CLIENT_IP)
    # The client writes its own X-Forwarded-For; the proxy appends the real address.
    attempt(client, TEST_PASSWORD, forwarded=f"192.0.2.77, {CLIENT_IP}")
    assert not signed_in(client)


@override_settings(PROXY_COUNT=1, TRUSTED_PROXIES=[PROXY])
def test_the_audit_trail_records_the_real_client_address(client, ana):
    attempt(client, TEST_PASSWORD, forwarded=f"192.0.2.77, {CLIENT_IP}")
    event = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).latest("id")
    assert event.ip_address == CLIENT_IP


@pytest.mark.parametrize(
    ("proxy_count", "forwarded", "remote", "expected"),
    [
        (0, None, PROXY, PROXY),
        (0, CLIENT_IP, PROXY, PROXY),  # no proxy configured: the header is anyone's to write
        (1, CLIENT_IP, PROXY, CLIENT_IP),
        (1, f"192.0.2.77, {CLIENT_IP}", PROXY, CLIENT_IP),
        (2, f"192.0.2.77, {CLIENT_IP}, 10.0.0.9", PROXY, CLIENT_IP),
        (2, CLIENT_IP, PROXY, PROXY),  # fewer hops than proxies: not through our proxies
        (1, "not-an-address", PROXY, PROXY),
        # A connection not from a trusted proxy: its header is the client's own writing.
        (1, CLIENT_IP, "198.51.100.7", "198.51.100.7"),
        (2, f"{CLIENT_IP}, 10.0.0.9", "198.51.100.7", "198.51.100.7"),
        # The inner hop is not one of our proxies: the header was written before them.
        (2, f"192.0.2.77, {CLIENT_IP}", PROXY, PROXY),
    ],
)
def test_one_reading_of_the_client_address_for_lockout_and_audit(
    proxy_count, forwarded, remote, expected
):
    from axes.helpers import get_client_ip_address

    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **extra)
    trusted = [PROXY, "10.0.0.8/30"]
    with override_settings(PROXY_COUNT=proxy_count, TRUSTED_PROXIES=trusted):
        assert client_address(request) == expected
        assert get_client_ip_address(request) == expected
