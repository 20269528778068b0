"""Unsigned work may be deleted by its author, undone for a few minutes, then purged.

Each kind is deleted and brought back through the service, and what comes back is
compared row by row with what was there. Signed work, and work part of a signed note, is
refused. The pages: a confirmation, a message with an Undo button, the undo itself.
"""

import datetime as dt
import json

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db.models.deletion import Collector
from django.urls import reverse
from django.utils import timezone

from attachment_app.models import AuditEvent
from clients.drafts import draft_kind
from clients.models import (
    Appointment,
    Client,
    DeletedDraft,
    PlanGoal,
    PlanRevision,
    ProcessNote,
    TherapySession,
)
from clients.services.drafts import deleted_drafts_purge, draft_delete, draft_restore
from exercises.models import Exploration, RelationshipMap, ReparentingLetter
from tests import factories_exercises as fx
from tests.factories_appointments import AppointmentFactory
from tests.factories_sessions import TherapySessionFactory, plan_with_revision, signed_session

pytestmark = pytest.mark.django_db


def snapshot(obj) -> list[dict]:
    """Every row the deletion of `obj` would take, serialized, in a stable order."""
    collector = Collector(using="default")
    collector.collect([obj])
    rows = [o for objs in collector.data.values() for o in objs]
    rows += [o for qs in collector.fast_deletes for o in qs]
    data = json.loads(serializers.serialize("json", rows))
    return sorted(data, key=lambda row: (row["model"], str(row["pk"])))


def draft_session(client_record, **kwargs) -> TherapySession:
    session = TherapySessionFactory(client=client_record, **kwargs)
    ProcessNote.objects.create(session=session, author=session.therapist, text="Private hunch.")
    return session


def each_kind(client_record):
    """(kind, a fresh draft of it with children) for every kind there is."""
    _plan, revision = plan_with_revision(client_record, signed=False)
    a_map = fx.first_map(client_record)
    fx.tie_of(client_record)
    return [
        ("session", draft_session(client_record)),
        ("plan_revision", revision),
        ("exploration", fx.first_exploration(client_record)),
        ("map", a_map),
        ("letter", fx.first_letter(client_record)),
    ]


def test_every_kind_comes_back_exactly_as_it_was(client_record, ana):
    for key, draft in each_kind(client_record):
        before = snapshot(draft)
        deleted = draft_delete(kind=draft_kind(key), obj=draft, by=ana)
        assert not type(draft).objects.filter(pk=draft.pk).exists(), key
        restored = draft_restore(deleted=deleted, by=ana)
        assert restored.pk == draft.pk
        assert snapshot(restored) == before, key
        assert not DeletedDraft.objects.filter(pk=deleted.pk).exists()


def test_the_undo_copy_is_encrypted_at_rest(client_record, ana):
    from django.db import connection

    session = draft_session(client_record)
    deleted = draft_delete(kind=draft_kind("session"), obj=session, by=ana)
    with connection.cursor() as cursor:
        pk = DeletedDraft._meta.pk.get_db_prep_value(deleted.pk, connection)  # SQLite: hex text
        cursor.execute("SELECT rows FROM clients_deleteddraft WHERE id = %s", [pk])
        (stored,) = cursor.fetchone()
    assert "Private hunch" not in stored and "fictional week" not in stored


def test_undo_puts_back_the_links_the_deletion_cut(client_record, ana):
    session = draft_session(client_record)
    appointment = AppointmentFactory(client=client_record, session=session)
    exploration = fx.first_exploration(client_record)
    exploration.session = session
    exploration.save()
    _plan, revision = plan_with_revision(client_record)
    session.goals_addressed.set(revision.goals.all())
    client_record.refresh_from_db()
    assert client_record.last_session_date == session.date

    deleted = draft_delete(kind=draft_kind("session"), obj=session, by=ana)
    exploration.refresh_from_db()
    assert exploration.session_id is None
    assert Client.objects.get(pk=client_record.pk).last_session_date is None

    draft_restore(deleted=deleted, by=ana)
    exploration.refresh_from_db()
    appointment.refresh_from_db()
    assert exploration.session_id == session.pk
    assert appointment.session_id == session.pk
    assert set(TherapySession.objects.get(pk=session.pk).goals_addressed.all()) == set(
        revision.goals.all()
    )
    assert Client.objects.get(pk=client_record.pk).last_session_date == session.date


def test_a_link_taken_by_something_new_meanwhile_is_left_to_it(client_record, ana):
    session = draft_session(client_record)
    appointment = AppointmentFactory(client=client_record, session=session)
    deleted = draft_delete(kind=draft_kind("session"), obj=session, by=ana)
    newer = TherapySessionFactory(client=client_record)
    Appointment.objects.filter(pk=appointment.pk).update(session=newer)

    draft_restore(deleted=deleted, by=ana)
    appointment.refresh_from_db()
    assert appointment.session_id == newer.pk
    assert TherapySession.objects.filter(pk=session.pk).exists()


@pytest.mark.parametrize(
    "make, refusal",
    [
        (lambda c: signed_session(c), "never deleted"),
        (
            lambda c: TherapySessionFactory(client=c, status=TherapySession.Status.PENDING_REVIEW),
            "waiting for your supervisor",
        ),
    ],
)
def test_signed_or_pending_notes_are_refused(client_record, ana, make, refusal):
    session = make(client_record)
    with pytest.raises(ValidationError, match=refusal):
        draft_delete(kind=draft_kind("session"), obj=session, by=ana)
    assert TherapySession.objects.filter(pk=session.pk).exists()
    assert not DeletedDraft.objects.exists()


def test_a_signed_revision_and_a_draft_a_signed_note_names_are_refused(client_record, ana):
    _plan, signed = plan_with_revision(client_record)
    with pytest.raises(ValidationError, match="never deleted"):
        draft_delete(kind=draft_kind("plan_revision"), obj=signed, by=ana)

    draft = PlanRevision.objects.create(plan=signed.plan, number=2, author=ana)
    goal = PlanGoal.objects.create(revision=draft, order=0, text="Ask for help")
    note = TherapySessionFactory(client=client_record)
    note.goals_addressed.add(goal)
    TherapySession.objects.filter(pk=note.pk).update(status=TherapySession.Status.SIGNED)
    with pytest.raises(ValidationError, match="signed note names goals"):
        draft_delete(kind=draft_kind("plan_revision"), obj=draft, by=ana)
    assert PlanGoal.objects.filter(pk=goal.pk).exists()


def test_an_exercise_done_in_a_signed_session_is_refused(client_record, ana):
    exploration = fx.first_exploration(client_record)
    exploration.session = signed_session(client_record)
    exploration.save()
    with pytest.raises(ValidationError, match="part of that record"):
        draft_delete(kind=draft_kind("exploration"), obj=exploration, by=ana)
    assert Exploration.objects.filter(pk=exploration.pk).exists()


def test_only_the_author_deletes_and_only_the_deleter_undoes(client_record, ana, ben):
    letter = fx.first_letter(client_record)
    with pytest.raises(ValidationError, match="Only the author"):
        draft_delete(kind=draft_kind("letter"), obj=letter, by=ben)
    deleted = draft_delete(kind=draft_kind("letter"), obj=letter, by=ana)
    with pytest.raises(ValidationError, match="Only the person who deleted"):
        draft_restore(deleted=deleted, by=ben)
    assert not ReparentingLetter.objects.filter(pk=letter.pk).exists()


def test_undo_is_refused_after_the_window_and_twice(client_record, ana, settings):
    a_map = fx.first_map(client_record)
    deleted = draft_delete(kind=draft_kind("map"), obj=a_map, by=ana)
    DeletedDraft.objects.filter(pk=deleted.pk).update(
        deleted_at=timezone.now() - dt.timedelta(minutes=settings.DRAFT_UNDO_MINUTES, seconds=1)
    )
    with pytest.raises(ValidationError, match="time to undo this has passed"):
        draft_restore(deleted=DeletedDraft.objects.get(pk=deleted.pk), by=ana)
    assert not RelationshipMap.objects.filter(pk=a_map.pk).exists()

    second = fx.RelationshipMapFactory(client=client_record, title="Second map")
    other = draft_delete(kind=draft_kind("map"), obj=second, by=ana)
    draft_restore(deleted=other, by=ana)
    with pytest.raises(ValidationError, match="already been restored"):
        draft_restore(deleted=other, by=ana)


def test_a_draft_whose_place_was_taken_does_not_come_back_half(client_record, ana):
    plan, revision = plan_with_revision(client_record, signed=False)
    deleted = draft_delete(kind=draft_kind("plan_revision"), obj=revision, by=ana)
    PlanRevision.objects.create(plan=plan, number=revision.number, author=ana)
    with pytest.raises(ValidationError, match="cannot come back"):
        draft_restore(deleted=deleted, by=ana)
    assert not PlanRevision.objects.filter(pk=revision.pk).exists()
    assert not PlanGoal.objects.filter(revision_id=revision.pk).exists()
    assert DeletedDraft.objects.filter(pk=deleted.pk).exists()


def test_the_purge_drops_only_copies_past_their_window(client_record, ana, settings):
    old = draft_delete(kind=draft_kind("session"), obj=draft_session(client_record), by=ana)
    fresh = draft_delete(kind=draft_kind("session"), obj=draft_session(client_record), by=ana)
    DeletedDraft.objects.filter(pk=old.pk).update(
        deleted_at=timezone.now() - dt.timedelta(minutes=settings.DRAFT_UNDO_MINUTES + 1)
    )
    assert deleted_drafts_purge() == 1
    assert deleted_drafts_purge() == 0
    assert list(DeletedDraft.objects.values_list("pk", flat=True)) == [fresh.pk]


# The pages


def test_the_confirmation_names_the_draft_and_the_undo_time(as_ana, client_record):
    exploration = fx.first_exploration(client_record)
    url = reverse("exercises:exploration_delete", args=[client_record.pk, exploration.pk])
    response = as_ana.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Delete this draft exploration?" in body
    assert "undo this for 10 minutes" in body


def test_deleting_offers_undo_and_undo_brings_it_back(as_ana, client_record):
    a_map = fx.first_map(client_record)
    url = reverse("exercises:map_delete", args=[client_record.pk, a_map.pk])
    response = as_ana.post(url, follow=True)
    deleted = DeletedDraft.objects.get()
    undo = reverse("clients:draft_undo", args=[client_record.pk, deleted.pk])
    body = response.content.decode()
    assert "deleted. You can undo this until" in body
    assert f'action="{undo}"' in body
    assert not RelationshipMap.objects.filter(pk=a_map.pk).exists()

    response = as_ana.post(undo)
    assert response.status_code == 302
    assert response["Location"] == a_map.get_absolute_url()
    assert RelationshipMap.objects.filter(pk=a_map.pk).exists()
    actions = list(
        AuditEvent.objects.filter(client_id=client_record.pk, object_id=str(a_map.pk))
        .order_by("id")
        .values_list("action", "summary")
    )
    assert [a for a, _ in actions[-2:]] == [AuditEvent.Action.DELETE, AuditEvent.Action.CHANGE]
    assert "restored" in actions[-1][1]


def test_a_refused_delete_says_why_on_the_draft(as_ana, client_record):
    session = signed_session(client_record)
    url = reverse("clients:session_delete", args=[client_record.pk, session.pk])
    response = as_ana.post(url, follow=True)
    assert "never deleted" in response.content.decode()
    assert TherapySession.objects.filter(pk=session.pk).exists()


def test_a_draft_of_someone_else_is_not_found(client, ana, ben, client_record):
    session = TherapySessionFactory(client=client_record, therapist=ana)
    client_record.primary_therapist = ben  # reassigned: Ben has the record, not Ana's draft
    client_record.save()
    client.force_login(ben)
    url = reverse("clients:session_delete", args=[client_record.pk, session.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert TherapySession.objects.filter(pk=session.pk).exists()
