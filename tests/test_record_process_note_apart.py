"""On a signed note, the private process note and the addendum are clearly apart.

The process note sits behind its own collapsed, labelled section, saved only by its own
button (never autosaved); each box says what it is and who can ever see it.
"""

import re

import pytest
from django.urls import reverse

from clients.models import ProcessNote, SessionAddendum
from tests.factories_sessions import signed_session

PRIVATE = "Private process note: only you can see this; never in the record, documents or releases."
ADDENDUM = "Addendum: becomes part of the signed record."


@pytest.fixture
def signed(client_record):
    return signed_session(client_record, note_data="As signed")


def detail(session) -> str:
    return reverse("clients:session_detail", args=[session.client_id, session.pk])


def test_the_private_note_is_a_collapsed_section_of_its_own_after_the_addendum_form(as_ana, signed):
    page = as_ana.get(detail(signed)).content.decode()
    assert PRIVATE in page and ADDENDUM in page
    details = re.search(r'<details[^>]*id="private-process-note"[^>]*>', page).group(0)
    assert " open" not in details  # collapsed until opened
    # The addendum form comes first and ends before the private section starts.
    addendum_form_end = page.index("Sign and add")
    assert addendum_form_end < page.index('id="private-process-note"')
    private = page[page.index('id="private-process-note"') :]
    assert "Save private note" in private and "Sign and add" not in private


def test_the_private_note_form_has_no_autosave(as_ana, signed):
    page = as_ana.get(detail(signed)).content.decode()
    private = page[page.index('id="private-process-note"') : page.index("</details>")]
    assert "<form" in private and "data-autosave" not in private


def test_an_autosave_post_never_reaches_the_private_note(as_ana, signed):
    url = reverse("clients:process_note_save", args=[signed.client_id, signed.pk])
    response = as_ana.post(url, {"text": "typed as a correction"}, HTTP_X_AUTOSAVE="1")
    assert response.status_code == 400
    assert not ProcessNote.objects.filter(session=signed).exists()
    assert as_ana.post(url, {"text": "Meant for me"}).status_code == 302
    assert ProcessNote.objects.get(session=signed).text == "Meant for me"


def test_a_refused_addendum_keeps_the_private_note_section_as_it_was(as_ana, signed):
    url = reverse("clients:addendum_new", args=[signed.client_id, signed.pk])
    response = as_ana.post(url, {"reason": "", "text": "Kept words"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kept words" in page and PRIVATE in page and "Save private note" in page
    assert not SessionAddendum.objects.exists()


def test_a_colleague_sees_the_addendum_form_but_no_private_section(client, ben, signed):
    signed.client.primary_therapist = ben
    signed.client.save()
    client.force_login(ben)
    page = client.get(detail(signed)).content.decode()
    assert ADDENDUM in page
    assert "private-process-note" not in page
