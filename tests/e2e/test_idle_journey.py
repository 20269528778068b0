"""Journey 8: the session idles past the timeout; the next click goes to sign-in and the
draft the therapist was typing is still there afterwards (autosave kept it)."""

import re
import time
from importlib import import_module

from django.conf import settings
from playwright.sync_api import Page, expect

from attachment_app.middleware import LAST_ACTIVE
from clients.models import TherapySession
from tests.e2e.browser import sign_in


def let_the_session_idle_past_the_timeout(page: Page) -> None:
    """Age the server-side session's last activity by the clinic's timeout and a minute."""
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"])
    store[LAST_ACTIVE] = time.time() - 16 * 60
    store.save()


def test_an_idle_session_sends_the_next_click_to_sign_in_and_keeps_the_draft(
    page: Page, ana, client_record
):
    sign_in(page, ana)
    page.goto(f"/clients/{client_record.pk}/sessions/new/")
    page.fill("#id_note_data", "Spoke about the weekend visit; noticed tension in the shoulders.")
    expect(page.locator("[data-autosave-status]")).to_have_text(
        re.compile(r"^Saved \d\d:\d\d$"), timeout=10_000
    )

    let_the_session_idle_past_the_timeout(page)
    page.get_by_role("link", name="My clients").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    sign_in(page, ana)
    draft = TherapySession.objects.get(client=client_record)
    assert draft.status == TherapySession.Status.DRAFT
    page.goto(f"/clients/{client_record.pk}/sessions/{draft.pk}/edit/")
    expect(page.locator("#id_note_data")).to_have_value(
        "Spoke about the weekend visit; noticed tension in the shoulders."
    )
