"""Deleting a draft in a real browser: the therapist deletes an exploration after a
confirmation, sees the message with its Undo button, undoes it and finds it whole."""

import re

import pytest
from playwright.sync_api import Page, expect

from exercises.models import Exploration
from tests import factories_exercises as fx
from tests.e2e.browser import axe_check, screens

pytestmark = pytest.mark.browser


def test_delete_an_exploration_then_undo_it(ana_page: Page, client_record):
    page = ana_page
    exploration = fx.first_exploration(client_record)
    exploration.observations = "Leans in, then checks the door."
    exploration.save()

    page.goto(exploration.get_absolute_url())
    page.get_by_role("link", name="Delete", exact=True).click()
    expect(page.get_by_role("heading", name="Delete this draft exploration?")).to_be_visible()
    expect(page.get_by_text("You can undo this for 10 minutes")).to_be_visible()
    axe_check(page)
    screens(page, "draft-delete-confirm")
    page.get_by_role("button", name="Delete the draft").click()

    message = page.get_by_role("status").filter(has_text="deleted")
    expect(message).to_contain_text(re.compile(r"You can undo this until \d\d:\d\d"))
    assert not Exploration.objects.filter(pk=exploration.pk).exists()
    axe_check(page)
    screens(page, "draft-deleted-undo")

    message.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("is back.")).to_be_visible()
    expect(page.get_by_text("Leans in, then checks the door.")).to_be_visible()
    assert Exploration.objects.filter(pk=exploration.pk).exists()
