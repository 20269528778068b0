"""The record must not say something false: journeys in a real browser.

A session dated in the future is refused beside its date, with what was typed kept;
signing a plan revision shows what changes and asks about agreement; on a signed note
the private process note is apart from the addendum, collapsed, with its own save.
"""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import PlanRevision, ProcessNote, SessionAddendum, TherapySession
from clients.services import plans as plan_services
from tests.e2e.browser import axe_check, sign_in
from tests.factories_sessions import plan_with_revision, signed_session


def open_client(page: Page, name: str = "Robin Example") -> None:
    page.get_by_role("table", name="My clients").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_a_session_dated_six_months_ahead_is_refused_and_nothing_typed_is_lost(
    page: Page, ana, client_record
):
    sign_in(page, ana)
    open_client(page)
    page.get_by_role("link", name="Log a session").click()
    ahead = timezone.localdate() + dt.timedelta(days=182)
    page.locator("#id_date").fill(ahead.isoformat())
    page.get_by_label("Data", exact=True).fill("Spoke of a fictional long weekend.")
    # The autosave is refused too, and says so.
    expect(page.locator("[data-autosave-status]")).to_contain_text("Not saved")
    page.get_by_role("button", name="Save and sign").click()

    date_field = page.locator("#id_date")
    expect(date_field).to_have_value(ahead.isoformat())
    expect(page.locator("#error_1_id_date")).to_contain_text("in the future")
    expect(page.get_by_label("Data", exact=True)).to_have_value(
        "Spoke of a fictional long weekend."
    )
    axe_check(page)
    assert not TherapySession.objects.exists()

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    date_field.fill(yesterday.isoformat())
    page.get_by_role("button", name="Save and sign").click()
    expect(page.get_by_text("Signed", exact=True).first).to_be_visible()
    session = TherapySession.objects.get()
    assert session.is_signed and session.date == yesterday


def test_signing_a_revision_shows_what_changes_and_asks_about_agreement(
    page: Page, ana, client_record
):
    plan, first = plan_with_revision(client_record, signed=False)
    first.client_participated = True
    first.participation_date = timezone.localdate() - dt.timedelta(days=40)
    first.save()
    plan_services.revision_sign(revision=first, user=ana)

    sign_in(page, ana)
    open_client(page)
    page.goto(f"/clients/{client_record.pk}/plan/")
    page.get_by_role("button", name="Revise the plan").click()
    page.get_by_role("link", name="Edit goal, objectives and interventions").click()
    page.get_by_label("Goal*", exact=True).fill("Feel steadier when a partner is away")
    page.get_by_role("button", name="Save goal").click()

    # A review date already past is refused beside the field.
    page.get_by_label("Review date").fill((timezone.localdate() - dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Save and review before signing").click()
    expect(page.get_by_text("This review date has already passed")).to_be_visible()
    page.get_by_label("Review date").fill(
        (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    )
    page.get_by_role("button", name="Save and review before signing").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sign revision 2 of the treatment plan?"
    )
    changes = page.get_by_role("region", name="Goal: Feel steadier when a partner is away")
    expect(changes.locator("ins")).to_contain_text("a partner is away")
    expect(page.get_by_text("so that agreement does not cover this revision")).to_be_visible()
    axe_check(page)
    assert PlanRevision.objects.get(number=2).status == PlanRevision.Status.DRAFT

    page.get_by_role("button", name="Sign and lock revision 2").click()
    expect(page.get_by_text("Say whether the client has agreed")).to_be_visible()
    page.get_by_label("Not yet: sign it as not yet agreed with the client").check()
    page.get_by_role("button", name="Sign and lock revision 2").click()
    expect(page.get_by_text("Plan revision signed. It is now locked.")).to_be_visible()
    second = PlanRevision.objects.get(number=2)
    assert second.is_signed and not second.client_participated


def test_on_a_signed_note_the_private_note_is_apart_collapsed_and_saved_by_its_own_button(
    page: Page, ana, client_record
):
    session = signed_session(client_record, note_data="As signed")
    sign_in(page, ana)
    page.goto(f"/clients/{client_record.pk}/sessions/{session.pk}/")

    addendum = page.locator("form", has=page.get_by_role("button", name="Sign and add"))
    expect(addendum).to_contain_text("Addendum: becomes part of the signed record.")
    private = page.locator("details#private-process-note")
    expect(private).to_contain_text("Private process note (only you can see this)")
    private_box = page.get_by_label("Private process note", exact=True)
    expect(private_box).to_be_hidden()  # collapsed until opened
    axe_check(page)

    # Typing a correction into the addendum never touches the private note.
    page.get_by_label("Reason for the addendum").fill("A detail remembered later")
    page.get_by_label("Addendum*", exact=True).fill("The window faced the street.")
    page.get_by_label("I sign this addendum").check()
    page.get_by_role("button", name="Sign and add").click()
    expect(page.get_by_text("Addendum signed and added.")).to_be_visible()
    assert SessionAddendum.objects.get().text == "The window faced the street."
    assert not ProcessNote.objects.exists()

    # The private note: opened, typed, and nothing is saved until its button is pressed.
    page.locator("details#private-process-note summary").click()
    expect(private).to_contain_text(
        "Private process note: only you can see this; never in the record, documents or releases."
    )
    posted = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    private_box = page.get_by_label("Private process note", exact=True)
    private_box.fill("My own reaction to the silence.")
    # No autosave is wired to it: typing posts nothing.
    expect(page.locator("details#private-process-note form[data-autosave]")).to_have_count(0)
    assert not [u for u in posted if "process-note" in u]
    page.get_by_role("button", name="Save private note").click()
    expect(page.get_by_text("Private note saved.")).to_be_visible()
    assert ProcessNote.objects.get(session=session).text == "My own reaction to the silence."
    assert "reaction" not in SessionAddendum.objects.get().text
