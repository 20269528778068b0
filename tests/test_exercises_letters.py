"""Reparenting letters: encrypted text, versions with differences, autosave, scaffolds."""

import pytest
from django.db import connection
from django.urls import reverse

from clients.word_diff import word_diff
from exercises.models import LetterRevision, ReparentingLetter
from tests.factories_exercises import TherapySessionFactory

pytestmark = pytest.mark.django_db


def letter_data(**extra):
    data = {"kind": "younger_self", "letter": "Dear little me.", "younger_age": "7"}
    data.update(extra)
    return data


def test_a_letter_is_created_linked_to_a_session_and_stored_encrypted(as_ana, client_record):
    session = TherapySessionFactory(client=client_record)
    response = as_ana.post(
        reverse("exercises:letter_new", args=[client_record.pk]),
        letter_data(session=session.pk, experience="The school play."),
    )
    letter = ReparentingLetter.objects.get()
    assert response.status_code == 302
    assert letter.session == session and letter.younger_age == 7
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT letter, experience FROM {ReparentingLetter._meta.db_table}"  # noqa: S608
        )
        raw_letter, raw_experience = cursor.fetchone()
    assert raw_letter.startswith("fernet:") and "little" not in raw_letter
    assert raw_experience.startswith("fernet:")


def test_each_save_keeps_a_version_and_the_difference_is_viewable(as_ana, client_record):
    as_ana.post(reverse("exercises:letter_new", args=[client_record.pk]), letter_data())
    letter = ReparentingLetter.objects.get()
    as_ana.post(letter.get_edit_url(), letter_data(letter="Dear little me. You were brave."))
    first, second = LetterRevision.objects.order_by("number")
    assert (first.letter_text, second.letter_text) == (
        "Dear little me.",
        "Dear little me. You were brave.",
    )
    page = as_ana.get(
        reverse("exercises:letter_revision", args=[client_record.pk, letter.pk, second.pk])
    ).content.decode()
    assert '<ins class="diff-added">' in page and "brave." in page
    assert "[added: </span>" in page  # readable without colour or sight


def test_autosaves_refresh_one_working_version_until_it_is_saved(as_ana, client_record):
    url = reverse("exercises:letter_new", args=[client_record.pk])
    first = as_ana.post(url, letter_data(letter="D"), HTTP_X_AUTOSAVE="1")
    letter = ReparentingLetter.objects.get()
    assert first.json()["url"] == letter.get_edit_url()
    for text in ("De", "Dea", "Dear"):
        as_ana.post(letter.get_edit_url(), letter_data(letter=text), HTTP_X_AUTOSAVE="1")
    assert LetterRevision.objects.count() == 1
    as_ana.post(letter.get_edit_url(), letter_data(letter="Dear you"))
    as_ana.post(letter.get_edit_url(), letter_data(letter="Dear you,"), HTTP_X_AUTOSAVE="1")
    numbers = list(LetterRevision.objects.order_by("number").values_list("number", "is_autosave"))
    assert numbers == [(1, False), (2, True)]


def test_a_rejected_autosave_says_why(as_ana, client_record):
    response = as_ana.post(
        reverse("exercises:letter_new", args=[client_record.pk]),
        letter_data(kind="nonsense"),
        HTTP_X_AUTOSAVE="1",
    )
    assert response.status_code == 400 and "kind" in response.json()["errors"]
    assert not ReparentingLetter.objects.exists()


def test_scaffolds_are_shown_beside_the_letter_and_never_put_into_it(as_ana, client_record):
    response = as_ana.get(
        reverse("exercises:letter_new", args=[client_record.pk]) + "?kind=rewrite"
    )
    page = response.content.decode()
    assert "The caregiver kneels down" in page
    textarea = page[page.index('name="letter"') :]
    textarea = textarea[: textarea.index("</textarea>")]
    assert "kneels" not in textarea


def test_an_impossible_age_is_refused_and_the_letter_kept(as_ana, client_record):
    response = as_ana.post(
        reverse("exercises:letter_new", args=[client_record.pk]),
        letter_data(younger_age="400", letter="Keep this text"),
    )
    assert response.status_code == 200
    assert "Keep this text" in response.content.decode()
    assert not ReparentingLetter.objects.exists()


def test_every_view_and_change_is_audited_without_the_letters_words(as_ana, client_record):
    from attachment_app.models import AuditEvent

    as_ana.post(
        reverse("exercises:letter_new", args=[client_record.pk]),
        letter_data(letter="A very private sentence."),
    )
    letter = ReparentingLetter.objects.get()
    as_ana.get(letter.get_edit_url())
    events = AuditEvent.objects.filter(client_id=client_record.pk, object_id=str(letter.pk))
    assert {e.action for e in events} == {"create", "view"}
    assert not any("private" in e.summary for e in AuditEvent.objects.all())


def test_the_clients_copy_holds_the_letter_but_not_the_therapists_reflection(as_ana, client_record):
    as_ana.post(
        reverse("exercises:letter_new", args=[client_record.pk]),
        letter_data(
            letter="Dear you, you were enough.",
            therapist_reflection="Therapist-only thought.",
            client_reflection="I cried a little.",
        ),
    )
    letter = ReparentingLetter.objects.get()
    page = as_ana.get(
        reverse("exercises:letter_copy", args=[client_record.pk, letter.pk])
    ).content.decode()
    assert "you were enough" in page and "I cried a little." in page
    assert "Therapist-only" not in page


def test_one_word_diff_keeps_a_letters_line_breaks_and_joins_a_plans_words():
    letter = word_diff("Dear me,\n\nYou were", "Dear me,\n\nYou are", keep_spacing=True)
    assert "".join(s.text for s in letter if s.op != "removed") == "Dear me,\n\nYou are"
    plan = word_diff("Feel  steadier\nwhen apart", "Feel steadier when close")
    assert [(s.op, s.text) for s in plan] == [
        ("same", "Feel steadier when"),
        ("removed", "apart"),
        ("added", "close"),
    ]
