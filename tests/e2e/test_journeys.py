"""Journeys through the app in a real browser, each told as the story it is.

The relationship map's journeys live with its editor, in test_map_editor.py.
"""

import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import Client, TherapySession
from tests.e2e.browser import axe_check, sign_in, tab_to
from tests.e2e.records import seed_prompt_bank
from tests.factories import ClientFactory

SAVED = re.compile(r"^Saved \d\d:\d\d$")


def open_client(page: Page, name: str = "Robin Example") -> None:
    page.get_by_role("table", name="My clients").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


# 1. The clinic admin runs the waitlist.


def test_the_clinic_admin_assigns_a_waitlisted_client_to_a_therapist_with_room(
    page: Page, dee, ana, ben, client_record
):
    ana.caseload_capacity = 1  # full with Robin
    ana.save()
    ClientFactory(
        clinic=dee.clinic,
        primary_therapist=None,
        status=Client.Status.WAITLIST,
        legal_first_name="Sky",
        legal_last_name="Waiting",
    )
    sign_in(page, dee)

    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload")
    waitlist = page.get_by_role("region", name=re.compile("^On the waitlist"))
    expect(waitlist.get_by_role("heading")).to_have_text(re.compile(r"On the waitlist\s+1"))
    expect(page.get_by_role("status").filter(has_text="client")).to_have_text("2 clients.")
    waitlist.get_by_role("link", name="Assign Sky Waiting").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Sky Waiting")
    therapist = page.get_by_label("Primary therapist")
    expect(therapist.locator("option", has_text="Ana Therapist")).to_have_text(
        "Ana Therapist (1 of 1 active)"
    )
    therapist.select_option(label="Ben Colleague (0 of 25 active)")
    page.get_by_role("button", name="Assign", exact=True).click()

    expect(page.get_by_text("Sky Waiting is now with Ben Colleague.")).to_be_visible()
    page.get_by_role("link", name="Caseload").click()
    expect(waitlist.get_by_role("heading")).to_have_text(re.compile(r"On the waitlist\s+0"))
    expect(waitlist).to_contain_text("Nobody right now.")
    page.get_by_text("The same figures as a table").click()
    load = page.locator(".load-figure + details table")
    expect(load.get_by_role("row", name=re.compile("Ben Colleague"))).to_contain_text("1")
    assert Client.objects.get(legal_last_name="Waiting").primary_therapist == ben


# 2. The therapist logs a session.


def write_a_session_note_and_close_the_tab_mid_note(page: Page) -> str:
    """Returns the address of the draft the autosave created."""
    page.get_by_role("link", name="Log a session").click()
    page.get_by_label("Inner child work").check()
    page.get_by_label("Mindfulness and body awareness").check()
    page.get_by_label("Distress before").fill("7")
    page.get_by_label("Distress after").fill("4")
    page.get_by_label("Data", exact=True).fill("Spoke of waiting by the window as a child.")
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED)
    page.get_by_label("Assessment", exact=True).fill("Able to stay with the feeling")
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED)
    draft = page.url
    page.close()
    return draft


def test_a_therapist_logs_a_session_closes_the_tab_finds_the_draft_signs_it_adds_an_addendum(
    page: Page, ana, client_record
):
    sign_in(page, ana)
    open_client(page)
    context = page.context
    draft = write_a_session_note_and_close_the_tab_mid_note(page)

    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="Unsigned notes").first.click()
    page.get_by_role("link", name=re.compile("^Continue the note")).click()
    expect(page).to_have_url(draft)
    expect(page.get_by_label("Data", exact=True)).to_have_value(
        "Spoke of waiting by the window as a child."
    )
    expect(page.get_by_label("Assessment", exact=True)).to_have_value(
        "Able to stay with the feeling"
    )
    expect(page.get_by_label("Inner child work")).to_be_checked()
    expect(page.get_by_label("Distress before")).to_have_value("7")

    page.get_by_label("Plan", exact=True).fill("Continue weekly.")
    page.get_by_role("button", name="Save and sign").click()

    expect(page.get_by_text("Signed", exact=True).first).to_be_visible()
    expect(page.get_by_text("Before 7, after 4").first).to_be_visible()
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    page.get_by_label("Reason for the addendum").fill("A detail remembered later")
    page.get_by_label("Addendum*", exact=True).fill("The window faced the street.")
    page.get_by_label("I sign this addendum").check()
    page.get_by_role("button", name="Sign and add").click()

    addendum = page.get_by_role("region", name="Addenda")
    expect(addendum).to_contain_text("The window faced the street.")
    expect(addendum).to_contain_text("Signed by Ana Therapist")
    session = TherapySession.objects.get()
    assert session.status == TherapySession.Status.SIGNED
    assert (session.distress_before, session.distress_after) == (7, 4)
    assert sorted(session.techniques) == ["inner_child", "mindfulness"]


def follow(page: Page) -> None:
    """Enter on the focused link or button, and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page: Page, label: str, text: str) -> None:
    tab_to(page, label, limit=80)
    page.keyboard.type(text)


def test_with_the_keyboard_alone_a_therapist_logs_a_session_finds_the_draft_and_signs_it(
    page: Page, ana, client_record
):
    sign_in(page, ana)
    tab_to(page, "Robin Example")
    follow(page)
    tab_to(page, "Log a session", limit=60)
    follow(page)
    tab_to(page, "Inner child work")
    page.keyboard.press("Space")
    type_into(page, "Distress before (0–10)", "7")
    type_into(page, "Distress after (0–10)", "4")
    type_into(page, "Data", "Spoke of waiting by the window as a child.")
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED)
    context = page.context
    page.close()

    page = context.new_page()
    page.goto("/")
    tab_to(page, "Unsigned notes")
    follow(page)
    today = timezone.localdate()
    tab_to(page, f"Continue the note for {today.day} {today:%b %Y}")
    follow(page)
    expect(page.get_by_label("Data", exact=True)).to_have_value(
        "Spoke of waiting by the window as a child."
    )
    expect(page.get_by_label("Inner child work")).to_be_checked()
    type_into(page, "Plan", "Continue weekly.")
    tab_to(page, "Save and sign", limit=80)
    follow(page)

    expect(page.get_by_text("Before 7, after 4")).to_be_visible()
    type_into(page, "Reason for the addendum", "A detail remembered later")
    type_into(page, "Addendum", "The window faced the street.")
    tab_to(page, "I sign this addendum. It cannot be changed afterwards.")
    page.keyboard.press("Space")
    tab_to(page, "Sign and add")
    follow(page)

    expect(page.get_by_role("region", name="Addenda")).to_contain_text(
        "The window faced the street."
    )
    assert TherapySession.objects.get().status == TherapySession.Status.SIGNED


# 3. The therapist runs an attachment style exploration.


def test_a_therapist_runs_an_exploration_with_three_prompts_and_sees_the_point_on_the_chart(
    page: Page, ana, client_record
):
    seed_prompt_bank()
    sign_in(page, ana)
    open_client(page)

    page.get_by_role("link", name="New exploration").click()
    page.get_by_label("The prompts I pick").check()
    for stem in ["When I'm upset, I usually…", "I worry that others will…", "After an argument"]:
        page.get_by_label(stem).check()
    page.get_by_role("button", name="Start the exploration").click()

    page.get_by_label("When I'm upset, I usually…").fill("Go quiet and wait.")
    page.get_by_label("I worry that others will…").fill("Leave without saying why.")
    page.get_by_label("After an argument, I…").fill("Replay it all night.")
    page.get_by_label("Working style hypothesis").select_option(label="Anxious")
    page.get_by_label("Anxiety").fill("6")
    page.get_by_label("Avoidance").fill("2")
    page.get_by_role("button", name="Save exploration").click()
    # The record has no hypothesis yet: saving says it will record "Anxious", and asks.
    confirm = page.get_by_role("alert").filter(has_text="This changes the working hypothesis")
    expect(confirm).to_contain_text("Anxious")
    confirm.get_by_role("button", name="Save and change the record").click()
    expect(page.get_by_text("The working hypothesis is now Anxious.")).to_be_visible()

    page.get_by_role("link", name="Explorations").first.click()
    chart = page.locator("svg[aria-labelledby^='plane-title']")
    point = chart.locator("g", has=page.locator("title", has_text="anxiety 6, avoidance 2"))
    expect(point.locator("circle")).to_be_visible()
    # High anxiety, low avoidance: the upper left of the plane.
    box, plane = point.locator("circle").bounding_box(), chart.bounding_box()
    assert box["x"] < plane["x"] + plane["width"] / 2
    assert box["y"] < plane["y"] + plane["height"] / 2
    table = page.get_by_role("table").filter(has_text="The same ratings as a table")
    expect(table.get_by_role("row").nth(1)).to_contain_text("6")


def test_a_therapist_signs_in_and_opens_her_client(page: Page, ana, client_record):
    sign_in(page, ana)

    expect(page.get_by_role("heading", name="My clients")).to_be_visible()
    page.get_by_role("table", name="My clients").get_by_role("link", name="Robin Example").click()

    expect(page).to_have_url(re.compile(rf"/clients/{client_record.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Robin Example")
    expect(page.get_by_role("heading", name="Record")).to_be_visible()


def test_with_the_keyboard_alone_a_therapist_skips_to_the_content_and_opens_her_client(
    page: Page, ana, client_record
):
    sign_in(page, ana)

    tab_to(page, "Skip to main content")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    # Past the "signed in" message's Dismiss and the caseload's own links.
    tab_to(page, "Robin Example", limit=10)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Robin Example")


def test_a_therapist_of_another_clinic_pasting_the_client_address_sees_not_found(
    page: Page, olivia, client_record
):
    sign_in(page, olivia)

    response = page.goto(f"/clients/{client_record.pk}/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.get_by_text("Robin")).to_have_count(0)
    # Still inside the app: the navigation and a way back are there.
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("link", name="Back to the start page")).to_be_visible()
    axe_check(page)
