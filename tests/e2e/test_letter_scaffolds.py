"""A reparenting letter in a real browser: a scaffold opening goes into the letter with
one click, and the autosave keeps it like anything typed."""

import pytest
from playwright.sync_api import expect

from exercises.models import LetterRevision
from exercises.services import letter_save
from tests.conftest import wait_until
from tests.factories_exercises import ReparentingLetterFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def page(ana_page):
    """The shared tab of tests/e2e/conftest.py, signed in as Ana."""
    return ana_page


def test_a_scaffold_opening_is_inserted_with_one_click_and_autosaved(page, ana, client_record):
    letter = ReparentingLetterFactory(client=client_record, letter="Hello you.")
    letter_save(letter=letter, author=ana, autosave=False)
    page.goto(letter.get_edit_url())
    box = page.locator("#id_letter")
    box.click()
    box.press("End")
    page.get_by_role(
        "button", name="Insert “Dear little me, I want you to know…” into the letter"
    ).click()
    expect(box).to_have_value("Hello you.\n\nDear little me, I want you to know ")
    expect(box).to_be_focused()
    page.keyboard.type("that it was not your fault.")
    # The letter's text is encrypted in the database: read the versions back in Python.
    saved = wait_until(
        lambda: next(
            (
                r
                for r in LetterRevision.objects.filter(letter=letter)
                if "not your fault" in r.letter_text
            ),
            None,
        ),
        15,
    )
    assert saved.letter_text.replace("\r\n", "\n").startswith(
        "Hello you.\n\nDear little me, I want you to know that"
    )
    assert not page.errors, page.errors
