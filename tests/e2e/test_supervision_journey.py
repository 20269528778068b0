"""The supervision loop in a real browser: a supervised clinician sends a note for review,
the supervisor returns it with a comment, the clinician revises and sends again, the
supervisor co-signs; both signatures are on the note."""

import re

import pytest
from playwright.sync_api import Page, expect

from clients.models import SessionReview, Supervision, TherapySession
from tests.e2e.browser import axe_check, sign_in
from tests.factories import UserFactory
from tests.factories_sessions import TherapySessionFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def sam(clinic, ana):
    sam = UserFactory(email="sam@test.example", full_name="Sam Supervisor", clinic=clinic)
    Supervision.objects.create(supervisee=ana, supervisor=sam, policy=Supervision.Policy.COSIGN)
    return sam


def switch_to(page: Page, person) -> None:
    page.context.clear_cookies()
    sign_in(page, person)


def test_send_for_review_return_with_comment_revise_send_again_cosign(
    page: Page, ana, sam, client_record
):
    note = TherapySessionFactory(client=client_record, note_data="Spoke of the long drive home.")

    sign_in(page, ana)
    page.get_by_role("link", name="Unsigned notes").first.click()
    page.get_by_role("link", name=re.compile("^Continue the note")).click()
    expect(page.get_by_role("button", name="Save and sign")).to_have_count(0)
    page.get_by_role("button", name="Save and send for review").click()
    expect(page.get_by_text("Pending review", exact=True).first).to_be_visible()
    expect(page.get_by_role("button", name="Co-sign the note")).to_have_count(0)

    switch_to(page, sam)
    page.get_by_role("link", name="Reviews").click()
    axe_check(page)
    page.get_by_role("link", name=re.compile("^Read and review")).click()
    expect(page.get_by_text("Spoke of the long drive home.")).to_be_visible()
    axe_check(page)
    page.get_by_label("Comment for the clinician").fill("Say how the client responded.")
    page.get_by_role("button", name="Return with comment").click()
    expect(page.get_by_text("No notes are waiting for your review.")).to_be_visible()

    switch_to(page, ana)
    page.get_by_role("link", name="Unsigned notes").first.click()
    expect(page.get_by_text("Returned by your supervisor")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Continue the note")).click()
    expect(page.locator("#supervisor-comment")).to_contain_text("Say how the client responded.")
    page.get_by_label("Data", exact=True).fill("Spoke of the long drive home; calmer by the end.")
    page.get_by_role("button", name="Save and send for review").click()
    expect(page.get_by_text("Pending review", exact=True).first).to_be_visible()

    switch_to(page, sam)
    page.get_by_role("link", name="Reviews").click()
    page.get_by_role("link", name=re.compile("^Read and review")).click()
    expect(page.get_by_text("calmer by the end")).to_be_visible()
    page.get_by_role("button", name="Co-sign the note").click()
    expect(page.get_by_text("Co-signed. The note is final and locked.")).to_be_visible()
    page.goto(f"/clients/{client_record.pk}/sessions/{note.pk}/")
    expect(page.get_by_text(re.compile("Co-signed by Sam Supervisor, supervisor"))).to_be_visible()
    expect(page.get_by_text(re.compile("Signed by Ana Therapist"))).to_be_visible()
    axe_check(page)

    note.refresh_from_db()
    assert note.status == TherapySession.Status.SIGNED
    assert (note.signed_by, note.cosigned_by) == (ana, sam)
    assert list(SessionReview.objects.filter(session=note).values_list("action", flat=True)) == [
        "sent",
        "returned",
        "sent",
        "cosigned",
    ]
