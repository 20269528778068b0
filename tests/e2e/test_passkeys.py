"""Passkeys in Chromium, with its virtual authenticator standing in for a device.

WebAuthn needs a secure context and a domain name (never an IP address) as the
relying party, so these pages are opened at http://localhost, not 127.0.0.1:
browsers and python-fido2 both treat http://localhost as secure, so the origin
is still checked for real.
"""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from tests.e2e.browser import axe_check, screens
from tests.factories import TEST_PASSWORD

VIRTUAL_DEVICE = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


@pytest.fixture
def tab(browser, app):
    """A tab on http://localhost with a virtual passkey device; CSP errors fail the test."""
    context = browser.new_context(
        base_url=app.url.replace("127.0.0.1", "localhost"), viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    device = context.new_cdp_session(page)
    device.send("WebAuthn.enable")
    device.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_DEVICE})
    yield page
    context.close()
    assert not problems, "the browser reported:\n" + "\n".join(problems)


@pytest.fixture
def mfa_clinic(clinic):
    clinic.mfa_required = True
    clinic.save()
    return clinic


def sign_in_with_password(page: Page, person) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def sign_out(page: Page, person) -> None:
    page.get_by_role("button", name=person.full_name).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def add_a_passkey(page: Page, name: str) -> None:
    page.goto("/accounts/2fa/webauthn/add/")
    # Adding a second factor asks for the password again.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    screens(page, "mfa-reauthenticate")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/webauthn/add/"))
    page.get_by_label("Name").fill(name)
    page.get_by_label("Passwordless").check()
    axe_check(page)
    screens(page, "mfa-passkey-add")
    page.get_by_role("button", name="Add").click()
    expect(page).not_to_have_url(re.compile(r"/webauthn/add/"))


def test_a_passkey_is_registered_and_then_signs_in_as_second_factor_and_by_itself(
    tab: Page, ana, mfa_clinic, client_record
):
    sign_in_with_password(tab, ana)
    # The clinic requires a second factor: nothing but its set-up is reachable yet.
    expect(tab).to_have_url(re.compile(r"/accounts/"))
    add_a_passkey(tab, "Clinic laptop")
    assert Authenticator.objects.filter(user=ana, type=Authenticator.Type.WEBAUTHN).count() == 1
    tab.goto(f"/clients/{client_record.pk}/")
    expect(tab.get_by_role("heading", name="Robin Example")).to_be_visible()
    tab.goto("/accounts/2fa/")
    screens(tab, "mfa-index-with-passkey")
    sign_out(tab, ana)

    # As the second factor after the password.
    sign_in_with_password(tab, ana)
    expect(tab).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    axe_check(tab)
    screens(tab, "mfa-authenticate-passkey")
    tab.get_by_role("button", name="Use a security key").click()
    expect(tab.get_by_role("button", name=ana.full_name)).to_be_visible()
    tab.goto(f"/clients/{client_record.pk}/")
    expect(tab.get_by_role("heading", name="Robin Example")).to_be_visible()
    sign_out(tab, ana)

    # By itself: the passkey checked its owner (user verification), no password typed.
    screens(tab, "sign-in-with-passkey")
    tab.get_by_role("button", name="Sign in with a passkey").click()
    expect(tab.get_by_role("button", name=ana.full_name)).to_be_visible()
    tab.goto(f"/clients/{client_record.pk}/")
    expect(tab.get_by_role("heading", name="Robin Example")).to_be_visible()


def test_removing_a_passkey_asks_for_the_password_again(tab: Page, ana, client_record):
    sign_in_with_password(tab, ana)
    expect(tab.get_by_role("button", name=ana.full_name)).to_be_visible()
    add_a_passkey(tab, "Old phone")
    passkey = Authenticator.objects.get(user=ana, type=Authenticator.Type.WEBAUTHN)
    # Five minutes later the password entered to add it no longer counts.
    from importlib import import_module

    from django.conf import settings

    cookie = next(c for c in tab.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"])
    records = store["account_authentication_methods"]
    for record in records:
        record["at"] -= 5 * 60 + 1
    store["account_authentication_methods"] = records
    store.save()

    tab.goto("/accounts/2fa/webauthn/")
    screens(tab, "mfa-passkey-list")
    tab.goto(f"/accounts/2fa/webauthn/keys/{passkey.pk}/remove/")
    expect(tab).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    tab.get_by_label("Password").fill(TEST_PASSWORD)
    tab.get_by_role("button", name="Confirm").click()
    expect(tab).to_have_url(re.compile(r"/webauthn/keys/\d+/remove/"))
    tab.get_by_role("button", name=re.compile("Remove|Confirm|Delete", re.I)).click()
    expect(tab).not_to_have_url(re.compile(r"/remove/"))
    assert not Authenticator.objects.filter(pk=passkey.pk).exists()
