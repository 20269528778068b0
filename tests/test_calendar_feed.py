"""The clinician's private calendar feed: a secret link, initials only, revocable."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from clients.models import CalendarFeed
from tests.factories import ClientFactory
from tests.factories_appointments import AppointmentFactory, RoomFactory

UTC = dt.UTC


def link_from(page: bytes) -> str:
    html = page.decode()
    return html.split('id="calendar-link"')[1].split('value="')[1].split('"')[0]


@pytest.mark.django_db
def test_the_feed_has_initials_time_and_place_and_nothing_more(
    client, as_ana, ana, ben, client_record, clinic
):
    client_record.preferred_name = "Bobbie"
    client_record.save()
    room = RoomFactory(clinic=clinic, name="Garden room")
    mine = AppointmentFactory(
        client=client_record, starts_at=dt.datetime(2030, 1, 7, 10, tzinfo=UTC), room=room
    )
    AppointmentFactory(
        client=client_record,
        starts_at=dt.datetime(2030, 1, 8, 10, tzinfo=UTC),
        status="client_cancel",
    )
    AppointmentFactory(client=ClientFactory(primary_therapist=ben, legal_first_name="Sam"))
    page = as_ana.post(reverse("clients:calendar_link"), {"action": "new"})
    link = link_from(page.content)
    assert CalendarFeed.objects.get(user=ana).token_hash not in link  # only the hash is kept
    client.logout()
    response = client.get(link)  # a calendar app: no session
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [(str(e["summary"]), str(e["location"])) for e in events] == [
        ("Appointment · B.E.", "Garden room")
    ]
    assert events[0].decoded("dtstart") == mine.starts_at
    for word in ("Bobbie", "Robin", "Example", "Sam", "Session", "session"):
        assert word not in body


@pytest.mark.django_db
def test_a_new_link_or_turning_it_off_revokes_the_old_one(client, as_ana, ana):
    first = link_from(as_ana.post(reverse("clients:calendar_link"), {"action": "new"}).content)
    second = link_from(as_ana.post(reverse("clients:calendar_link"), {"action": "new"}).content)
    page = as_ana.get(reverse("clients:calendar_link")).content
    assert b"not shown again" in page and second.encode() not in page
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    client.force_login(ana)
    client.post(reverse("clients:calendar_link"), {"action": "off"})
    client.logout()
    assert client.get(second).status_code == 404
    assert client.get(reverse("clients:calendar_feed", args=["x" * 500])).status_code == 404
