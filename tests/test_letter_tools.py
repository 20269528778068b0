"""Working on a reparenting letter: scaffold openings inserted on request, an earlier
version restored as a new one, and a client's copy offered only when the client keeps one."""

import re

import pytest
from django.urls import reverse

from attachment_app.models import AuditEvent
from exercises.models import LetterRevision, ReparentingLetter
from exercises.services import letter_save
from tests.factories_exercises import ReparentingLetterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(client_record, ana):
    letter = ReparentingLetterFactory(client=client_record, letter="Dear little me.")
    letter_save(letter=letter, author=ana, autosave=False)
    return letter


def test_each_scaffold_opening_has_its_own_insert_button_and_questions_do_not(as_ana, letter):
    page = as_ana.get(letter.get_edit_url()).content.decode()
    inserts = re.findall(r'data-insert-scaffold="([^"]+)"', page)
    assert "Dear little me, I want you to know…" in inserts
    assert "I am here now, and I will keep looking after you by…" in inserts
    assert not any(line.endswith("?") for line in inserts)  # questions are only offered
    # Plain JavaScript from static/js, no inline script (the CSP allows none).
    assert "js/letter_scaffolds.js" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", page)


def test_an_earlier_version_is_restored_as_a_new_version_and_audited(as_ana, ana, letter):
    first = letter.revisions.get()
    as_ana.post(
        letter.get_edit_url(),
        {"kind": "younger_self", "letter": "Dear little me. A second try."},
    )
    # A working draft still being typed is kept in the history, not overwritten.
    as_ana.post(
        letter.get_edit_url(),
        {"kind": "younger_self", "letter": "Half a thought"},
        headers={"X-Autosave": "1"},
    )
    assert letter.revisions.count() == 3
    page = as_ana.get(
        reverse("exercises:letter_revision", args=[letter.client_id, letter.pk, first.pk])
    ).content.decode()
    assert "Restore this version" in page
    response = as_ana.post(
        reverse("exercises:letter_restore", args=[letter.client_id, letter.pk, first.pk])
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.letter == "Dear little me."
    numbers = list(LetterRevision.objects.filter(letter=letter).order_by("number"))
    assert [r.number for r in numbers] == [1, 2, 3, 4]
    assert numbers[2].letter_text == "Half a thought" and not numbers[2].is_autosave
    assert numbers[3].letter_text == "Dear little me." and not numbers[3].is_autosave
    assert AuditEvent.objects.filter(
        client_id=letter.client_id, action="change", summary__contains="version 1 restored"
    ).exists()


def test_the_newest_version_offers_no_restore(as_ana, letter):
    latest = letter.revisions.get()
    page = as_ana.get(
        reverse("exercises:letter_revision", args=[letter.client_id, letter.pk, latest.pk])
    ).content.decode()
    assert "Restore this version" not in page


def test_restoring_a_version_of_another_letter_is_not_found(as_ana, ana, client_record, letter):
    other = ReparentingLetterFactory(client=client_record, letter="Another.")
    foreign = letter_save(letter=other, author=ana, autosave=False)
    response = as_ana.post(
        reverse("exercises:letter_restore", args=[letter.client_id, letter.pk, foreign.pk])
    )
    assert response.status_code == 404


def test_the_pdf_button_is_offered_only_when_the_client_keeps_a_copy(as_ana, letter):
    for url in (
        letter.get_edit_url(),
        reverse("exercises:letter_copy", args=[letter.client_id, letter.pk]),
    ):
        page = as_ana.get(url).content.decode()
        assert 'name="kind" value="reparenting_letter"' not in page
        assert "Client keeps a copy" in page or "client keeps a copy" in page
    ReparentingLetter.objects.filter(pk=letter.pk).update(client_keeps_copy=True)
    for url in (
        letter.get_edit_url(),
        reverse("exercises:letter_copy", args=[letter.client_id, letter.pk]),
    ):
        page = as_ana.get(url).content.decode()
        assert 'name="kind" value="reparenting_letter"' in page
