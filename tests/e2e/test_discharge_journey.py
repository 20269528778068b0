"""Discharge in a real browser: the therapist discharges a client (reason, date), edits the
recommendations of the drafted summary, signs it, finds the record read-only, and reopens it
with a reason."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import Client, ClientReopening, DischargeSummary
from tests.e2e.browser import axe_check
from tests.factories_sessions import signed_session

pytestmark = pytest.mark.browser


def test_discharge_edit_sign_read_only_then_reopen(ana_page: Page, client_record):
    page = ana_page
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    signed_session(client_record, date=yesterday - dt.timedelta(days=30), distress_before=8)
    signed_session(client_record, date=yesterday - dt.timedelta(days=2), distress_before=4)

    page.goto(client_record.get_absolute_url())
    page.get_by_role("link", name="Discharge", exact=True).click()
    page.get_by_label("Reason for discharge").select_option(label="Treatment goals met")
    page.get_by_label("Discharge date").fill(yesterday.isoformat())
    axe_check(page)
    page.get_by_role("button", name=re.compile("^Discharge")).click()

    expect(page.get_by_text("The closing summary is drafted from the record.")).to_be_visible()
    expect(page.get_by_text("2 attended, 0 missed", exact=False)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Distress before sessions"))).to_contain_text(
        "8 / 10"
    )
    page.get_by_label("Recommendations").fill("Keep the evening grounding walk.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Summary draft saved.")).to_be_visible()
    expect(page.get_by_label("Recommendations")).to_have_value("Keep the evening grounding walk.")
    page.get_by_label(re.compile("I sign this discharge summary")).check()
    page.get_by_role("button", name="Sign summary").click()
    expect(page.get_by_text("Discharge summary signed.")).to_be_visible()
    expect(page.get_by_text("Keep the evening grounding walk.")).to_be_visible()
    expect(page.get_by_role("button", name="Sign summary")).to_have_count(0)
    axe_check(page)

    page.get_by_role("link", name="Back to the record").click()
    closed = page.get_by_role("region", name="This record is closed")
    expect(closed).to_contain_text("Treatment goals met".lower())
    for write in ("Log a session", "Edit record", "Edit clinical background", "New exploration"):
        expect(page.get_by_role("link", name=write)).to_have_count(0)
    expect(closed.get_by_role("link", name=re.compile("^Discharge summary"))).to_be_visible()
    axe_check(page)

    closed.get_by_role("link", name="Reopen").click()
    page.get_by_role("button", name=re.compile("^Reopen")).click()  # no reason: refused
    expect(page.get_by_label("Reason for reopening")).to_be_visible()
    page.get_by_label("Reason for reopening").fill("The client asked to resume after a move.")
    page.get_by_role("button", name=re.compile("^Reopen")).click()
    expect(page.get_by_text("The record is open again.")).to_be_visible()
    expect(page.get_by_role("link", name="Log a session")).to_be_visible()
    expect(page.get_by_role("region", name="This record is closed")).to_have_count(0)

    client_record.refresh_from_db()
    assert client_record.status == Client.Status.ACTIVE
    summary = DischargeSummary.objects.get(client=client_record)
    assert (summary.status, summary.recommendations) == (
        "signed",
        "Keep the evening grounding walk.",
    )
    assert summary.discharge_date == yesterday
    assert ClientReopening.objects.get(client=client_record).reason.startswith("The client asked")
