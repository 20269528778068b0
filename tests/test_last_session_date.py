"""Client.last_session_date: read by every list and alert, kept right by each session write."""

import datetime as dt

import pytest
from django.utils import timezone

from clients.drafts import draft_kind
from clients.models import Client, TherapySession
from clients.selectors.caseload import client_list, with_dates
from clients.services.drafts import draft_delete
from clients.services.sessions import session_draft_save, session_sign
from tests.factories import ClientFactory
from tests.factories_sessions import TherapySessionFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def stored(client: Client) -> dt.date | None:
    return Client.objects.values_list("last_session_date", flat=True).get(pk=client.pk)


def computed(client: Client) -> dt.date | None:
    latest = TherapySession.objects.filter(client=client).order_by("-date").first()
    return latest.date if latest else None


def draft(client: Client, therapist, date: dt.date, session=None) -> TherapySession:
    return session_draft_save(
        session=session,
        client=client,
        therapist=therapist,
        values={"date": date, "start_time": dt.time(10, 0), "note_data": "A fictional hour."},
    )


def test_create_edit_sign_and_delete_keep_the_latest_date(client_record, ana):
    assert stored(client_record) is None

    older = draft(client_record, ana, days_ago(20))
    assert stored(client_record) == days_ago(20)

    newer = draft(client_record, ana, days_ago(5))
    assert stored(client_record) == days_ago(5)

    # Moving the latest session back makes the other one the latest.
    draft(client_record, ana, days_ago(30), session=newer)
    assert stored(client_record) == days_ago(20) == computed(client_record)

    draft(client_record, ana, days_ago(2), session=newer)
    session_sign(session=newer, user=ana)
    assert stored(client_record) == days_ago(2)

    draft_delete(kind=draft_kind("session"), obj=older, by=ana)
    assert stored(client_record) == days_ago(2) == computed(client_record)


def test_deleting_the_only_session_clears_the_date(client_record, ana):
    only = draft(client_record, ana, days_ago(3))
    assert stored(client_record) == days_ago(3)
    draft_delete(kind=draft_kind("session"), obj=only, by=ana)
    assert stored(client_record) is None


def test_a_stale_client_saved_later_does_not_write_back_its_old_date(client_record, ana):
    loaded = Client.objects.get(pk=client_record.pk)  # before any session
    draft(client_record, ana, days_ago(4))
    loaded.pronouns = "they/them"
    loaded.save()
    assert stored(client_record) == days_ago(4)
    assert Client.objects.get(pk=client_record.pk).pronouns == "they/them"


def test_sessions_of_one_client_leave_another_alone(ana):
    first, second = ClientFactory(primary_therapist=ana), ClientFactory(primary_therapist=ana)
    draft(second, ana, days_ago(9))
    draft(first, ana, days_ago(1))
    assert stored(first) == days_ago(1)
    assert stored(second) == days_ago(9)


def test_lists_show_the_stored_date_and_agree_with_the_sessions(ana, clinic):
    clients = [ClientFactory(primary_therapist=ana, clinic=clinic) for _ in range(3)]
    TherapySessionFactory(client=clients[0], therapist=ana, date=days_ago(40))
    TherapySessionFactory(client=clients[0], therapist=ana, date=days_ago(8))
    TherapySessionFactory(client=clients[1], therapist=ana, date=days_ago(15))
    rows = {c.pk: c.last_session for c in with_dates(Client.objects.filter(clinic=clinic))}
    assert rows == {c.pk: computed(c) for c in clients}
    assert rows[clients[2].pk] is None


def test_the_caseload_sorts_by_the_stored_date(dee, ana, clinic):
    from clients.selectors.caseload import attention_for

    dates = [days_ago(30), None, days_ago(3)]
    clients = [ClientFactory(primary_therapist=ana, clinic=clinic) for _ in dates]
    for c, date in zip(clients, dates, strict=True):
        if date:
            TherapySessionFactory(client=c, therapist=ana, date=date)
    found = list(client_list(dee, attention_for(dee), sort="-last_session"))
    assert [c.pk for c in found] == [clients[2].pk, clients[0].pk, clients[1].pk]
