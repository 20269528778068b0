"""A note waiting for the supervisor's co-signature never gets stuck unseen: when its client
is reassigned, or its author's account is deactivated, it stays in the supervisor's queue,
readable on its page and co-signable; it is not returned to someone who can no longer
revise it. A note already returned to someone who then can no longer revise it comes back
to the supervisor, to co-sign as it stands."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients.models import Supervision, TherapySession
from clients.selectors.supervision import review_queue
from clients.services.caseload import client_assign, therapist_deactivate
from clients.services.supervision import session_cosign, session_return, session_send_for_review
from tests.factories import ClientFactory, UserFactory
from tests.factories_sessions import TherapySessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sid(clinic, ana):
    sid = UserFactory(email="sid@test.example", full_name="Sid Supervisor", clinic=clinic)
    Supervision.objects.create(supervisee=ana, supervisor=sid, policy=Supervision.Policy.COSIGN)
    return sid


@pytest.fixture
def waiting(ana, dee, sid):
    """Ana's client (assigned through the service, so the history holds it) with a note
    sent to Sid for review."""
    client = ClientFactory(primary_therapist=None, clinic=ana.clinic, status="waitlist")
    client_assign(client=client, therapist=ana, by=dee, reason="Intake")
    note = TherapySessionFactory(client=client, therapist=ana, note_data="Held under review.")
    return session_send_for_review(session=note, user=ana)


def test_a_reassigned_clients_waiting_note_stays_in_the_queue_and_is_co_signed(
    client, waiting, ben, dee, sid
):
    client_assign(client=waiting.client, therapist=ben, by=dee, reason="Ana's hours changed")
    assert list(review_queue(sid)) == [waiting]
    client.force_login(sid)
    queue = client.get(reverse("clients:review_queue")).content.decode()
    assert waiting.get_absolute_url() in queue
    page = client.get(waiting.get_absolute_url())
    assert page.status_code == 200 and "Held under review." in page.content.decode()
    response = client.post(reverse("clients:note_cosign", args=[waiting.client_id, waiting.pk]))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.status, waiting.cosigned_by) == (TherapySession.Status.SIGNED, sid)
    # Signed, the note no longer opens the client's record to Sid.
    assert list(review_queue(sid)) == []
    assert client.get(waiting.client.get_absolute_url()).status_code == 404


def test_a_deactivated_authors_waiting_note_stays_co_signable(waiting, ana, dee, sid):
    therapist_deactivate(therapist=ana, by=dee, reason="Left the practice")
    waiting.client.refresh_from_db()
    assert waiting.client.primary_therapist is None  # unassigned for reassignment
    assert list(review_queue(sid)) == [waiting]
    signed = session_cosign(session=waiting, user=sid)
    assert signed.status == TherapySession.Status.SIGNED and signed.signed_by == ana


def test_it_is_not_returned_to_an_author_who_can_no_longer_revise_it(waiting, ben, dee, sid):
    client_assign(client=waiting.client, therapist=ben, by=dee, reason="Reassigned")
    with pytest.raises(ValidationError, match="can no longer revise"):
        session_return(session=waiting, user=sid, comment="Say more.")
    waiting.refresh_from_db()
    assert waiting.status == TherapySession.Status.PENDING_REVIEW


def test_while_the_client_is_hers_it_is_returned_as_before(waiting, sid):
    returned = session_return(session=waiting, user=sid, comment="Say more.")
    assert returned.status == TherapySession.Status.RETURNED


def test_a_note_about_a_client_never_the_supervisees_is_not_in_the_queue(ana, ben, sid):
    """The rule still holds: a client of Ben's, never Ana's, is not Sid's to review."""
    other = ClientFactory(primary_therapist=ben)
    note = TherapySessionFactory(client=other, therapist=ana, status="pending")
    assert note not in list(review_queue(sid))


@pytest.mark.parametrize("leaves", ["account closed", "client reassigned"])
def test_a_returned_note_its_author_can_no_longer_revise_comes_back_to_the_supervisor(
    client, waiting, ana, ben, dee, sid, leaves
):
    session_return(session=waiting, user=sid, comment="Please add the risk plan.")
    assert list(review_queue(sid)) == []  # while Ana can revise it, it waits for her
    if leaves == "account closed":
        therapist_deactivate(therapist=ana, by=dee, reason="Left the practice")
    else:
        client_assign(client=waiting.client, therapist=ben, by=dee, reason="Ana's leave")
    assert list(review_queue(sid)) == [waiting]

    client.force_login(sid)
    queue = client.get(reverse("clients:review_queue")).content.decode()
    assert "can no longer revise it" in queue
    page = client.get(waiting.get_absolute_url()).content.decode()
    assert "Co-sign it as it stands" in page
    assert reverse("clients:note_return", args=[waiting.client_id, waiting.pk]) not in page
    response = client.post(reverse("clients:note_cosign", args=[waiting.client_id, waiting.pk]))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.status, waiting.cosigned_by) == (TherapySession.Status.SIGNED, sid)
    assert list(review_queue(sid)) == []


def test_a_returned_note_its_author_can_still_revise_is_not_co_signed(waiting, sid):
    session_return(session=waiting, user=sid, comment="Say more.")
    waiting.refresh_from_db()
    with pytest.raises(ValidationError, match="not waiting for review"):
        session_cosign(session=waiting, user=sid)
    waiting.refresh_from_db()
    assert waiting.status == TherapySession.Status.RETURNED
