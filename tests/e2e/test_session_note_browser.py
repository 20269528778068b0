"""The session note in a real browser: autosave, the moving URL, format switching, axe."""

import re

import pytest
from django.conf import settings
from django.test import Client as DjangoClient

from clients.models import TherapySession

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page(browser, app, ana):
    """A tab of the shared Chromium (tests/e2e/conftest.py), already signed in as Ana."""
    login = DjangoClient()
    login.force_login(ana)
    cookie = login.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": app.url}])
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda m: page.problems.append(m.text) if m.type in {"error", "warning"} else None,
    )
    yield page
    context.close()


@pytest.mark.django_db(transaction=True)
def test_a_new_note_autosaves_moves_to_its_edit_page_and_keeps_switched_sections(
    browser_page, live_server, client_record
):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/clients/{client_record.pk}/sessions/new/")
    assert page.locator("#id_note_subjective").is_hidden()  # DAP by default
    status = page.locator("[data-autosave-status]")
    page.fill("#id_note_data", "Typed in the browser")
    expect(status).to_have_text(re.compile(r"^Saved \d\d:\d\d$"), timeout=10_000)
    session = TherapySession.objects.get()
    assert session.note_data == "Typed in the browser"
    assert page.url.endswith(f"/sessions/{session.pk}/edit/")

    page.check("input[name=note_format][value=soap]")
    assert page.locator("#id_note_subjective").is_visible()
    assert page.locator("#id_note_data").is_hidden()
    expect(status).not_to_have_text(re.compile("^Saved"))  # switching format is a change too
    page.fill("#id_note_subjective", "In their words")
    expect(status).to_have_text(re.compile(r"^Saved \d\d:\d\d$"), timeout=10_000)
    session.refresh_from_db()
    assert (session.note_format, session.note_subjective) == ("soap", "In their words")
    assert session.note_data == "Typed in the browser"
    assert TherapySession.objects.count() == 1
    assert not [p for p in page.problems if "Content Security Policy" in p], page.problems


@pytest.mark.django_db(transaction=True)
def test_the_session_and_plan_pages_pass_axe(browser_page, live_server, client_record):
    from axe_playwright_python.sync_playwright import Axe

    from clients.services.plans import plan_revise
    from tests.factories_sessions import signed_session

    session = signed_session(client_record)
    axe = Axe()
    from tests.factories_sessions import plan_with_revision

    plan, _ = plan_with_revision(client_record)
    draft = plan_revise(plan=plan, author=client_record.primary_therapist)
    paths = [
        "sessions/new/",
        "sessions/distress/",
        "sessions/",
        f"sessions/{session.pk}/",
        "plan/",
        f"plan/revisions/{draft.pk}/edit/",
        f"plan/goals/{draft.goals.first().pk}/",
        "timeline/",
    ]
    for path in paths:
        browser_page.goto(f"{live_server.url}/clients/{client_record.pk}/{path}")
        results = axe.run(
            browser_page,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}
            },
        )
        assert results.violations_count == 0, (path, results.generate_report())
