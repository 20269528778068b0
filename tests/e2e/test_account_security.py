"""The signed-in devices page and the paused code step, as a person sees them."""

import re

from allauth.mfa.totp.internal import auth as totp_auth
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.e2e.browser import axe_check, screens, sign_in
from tests.factories import TEST_PASSWORD


def test_sign_out_everywhere_ends_the_sign_in_in_the_other_browser_too(
    page: Page, browser, app, ana
):
    other = browser.new_context(base_url=app.url)
    phone = other.new_page()
    sign_in(phone, ana)
    sign_in(page, ana)
    page.get_by_role("button", name=ana.full_name).click()
    page.get_by_role("link", name="Signed-in devices").click()
    expect(page.get_by_role("heading", name="Signed-in devices")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(2)
    axe_check(page)
    screens(page, "signed-in-devices")

    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_text("You were signed out on every device.")).to_be_visible()
    phone.goto("/")
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    other.close()


def test_the_paused_code_step_tells_the_person_until_when(page: Page, ana, clinic):
    clinic.mfa_required = True
    clinic.save()
    totp_auth.TOTP.activate(ana, totp_auth.generate_totp_secret())
    for n in range(4):  # four wrong codes from four other addresses
        attacker = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        attacker.post(reverse("account_login"), {"login": ana.email, "password": TEST_PASSWORD})
        attacker.post(reverse("mfa_authenticate"), {"code": "000000"})

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(ana.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_text(re.compile(r"paused on every device until \d\d:\d\d"))).to_be_visible()
    axe_check(page)
    screens(page, "mfa-code-step-paused")
