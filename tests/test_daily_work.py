"""Smaller things a therapist and a clinic admin notice: whole lists one click away,
attendance and length in plain words, waitlist matching, assignment notices, and
the capacity chart's text."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clients.forms.sessions import TherapySessionForm
from clients.models import Client, TherapySession
from clients.services.caseload import client_assign
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

HOME = reverse("clients:home")
CASELOAD = reverse("clients:caseload")


@pytest.fixture
def as_dee(client, dee):
    client.force_login(dee)
    return client


def _never_seen(ana, n: int) -> list[Client]:
    long_ago = timezone.now() - dt.timedelta(days=60)
    return [
        ClientFactory(
            primary_therapist=ana,
            status="active",
            status_changed_at=long_ago,
            legal_first_name=f"New{i}",
        )
        for i in range(n)
    ]


def test_waiting_for_a_first_session_links_to_everyone_waiting(as_ana, ana):
    waiting = _never_seen(ana, 7)
    html = as_ana.get(HOME).content.decode()
    assert "Waiting for a first session (7)" in html
    assert 'href="?show=first_session#mine-heading">Show all 7</a>' in html
    listed = as_ana.get(HOME, {"show": "first_session"}).context["page"].object_list
    assert {c.pk for c in listed} == {c.pk for c in waiting}


def test_no_recent_session_lists_only_clients_seen_before(as_ana, ana, as_dee_too):
    never = _never_seen(ana, 1)[0]
    seen = _never_seen(ana, 1)[0]
    TherapySession.objects.create(
        client=seen, therapist=ana, date=timezone.localdate() - dt.timedelta(days=40)
    )
    needs = as_ana.get(HOME).context["needs"]
    assert needs.no_session == [seen]
    assert never in needs.first_session and never not in needs.no_session
    panels = {p.name: p for p in as_dee_too.get(CASELOAD).context["panels"]}
    assert [c.pk for c in panels["no_session"].clients] == [seen.pk]
    assert [c.pk for c in panels["first_session"].clients] == [never.pk]


@pytest.fixture
def as_dee_too(dee):
    from django.test import Client as Browser

    browser = Browser()
    browser.force_login(dee)
    return browser


def test_the_alert_window_link_says_what_it_changes(as_dee, ana):
    html = as_dee.get(CASELOAD).content.decode()
    assert ">Change the alert window</a>" in html
    assert ">Change</a>" not in html


def test_attendance_offers_cancellations_by_either_side_and_length_reads_plainly(client_record):
    form = TherapySessionForm(client=client_record)
    attendance = dict(form.fields["attendance"].choices)
    assert attendance["client_cancel"] == "Cancelled by client"
    assert attendance["clinician_cancel"] == "Cancelled by clinician"
    assert form.fields["duration_minutes"].label == "Length (minutes)"


def test_the_waitlist_records_what_matching_needs_and_the_admin_edits_it(as_dee, clinic):
    waiting = ClientFactory(
        clinic=clinic, primary_therapist=None, status="waitlist", legal_first_name="Wren"
    )
    response = as_dee.post(
        reverse("clients:client_edit", args=[waiting.pk]),
        {
            "legal_first_name": "Wren",
            "legal_last_name": waiting.legal_last_name,
            "intake_date": waiting.intake_date.isoformat(),
            "waitlist_priority": "1",
            "availability": "Weekday evenings",
            "preferred_modality": "telehealth",
            "presenting_need": "relationships",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    waiting.refresh_from_db()
    assert waiting.waitlist_priority == 1
    assert waiting.preferred_modality == "telehealth"
    record = as_dee.get(waiting.get_absolute_url()).content.decode()
    for shown in ["Urgent", "Weekday evenings", "Telehealth", "Difficulties in relationships"]:
        assert shown in record
    panel = as_dee.get(CASELOAD).content.decode()
    assert "urgent" in panel and "Weekday evenings" in panel


def test_the_waitlist_panel_puts_the_most_urgent_first(as_dee, clinic):
    long_ago = timezone.now() - dt.timedelta(days=90)
    ClientFactory(
        clinic=clinic, primary_therapist=None, status="waitlist", status_changed_at=long_ago
    )
    urgent = ClientFactory(
        clinic=clinic, primary_therapist=None, status="waitlist", waitlist_priority=1
    )
    panels = {p.name: p for p in as_dee.get(CASELOAD).context["panels"]}
    assert panels["waitlist"].clients[0].pk == urgent.pk


def test_reassigning_a_client_tells_both_clinicians_without_naming_the_client(
    dee, ana, ben, client_record, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_assign(client=client_record, therapist=ben, by=dee, reason="Hours changed")
    assert sorted(m.to[0] for m in mail.outbox) == [ana.email, ben.email]
    for message in mail.outbox:
        text = message.subject + message.body
        assert "Robin" not in text and "Example" not in text
        assert "Dee Admin" in text
    to_ana = next(m for m in mail.outbox if m.to == [ana.email])
    assert "Ben Colleague" in to_ana.body


def test_no_notice_is_sent_when_the_assignment_does_not_commit(dee, ben, client_record):
    client_assign(client=client_record, therapist=ben, by=dee, reason="Hours changed")
    assert mail.outbox == []  # the test's transaction never commits


def test_the_capacity_chart_text_is_large_enough_to_read(as_dee, ana):
    html = as_dee.get(CASELOAD).content.decode()
    chart = html[html.index('<svg xmlns="http://www.w3.org/2000/svg" class="load-chart"') :]
    chart = chart[: chart.index("</svg>")]
    sizes = [int(s) for s in re.findall(r'font-size="(\d+)"', chart)]
    assert sizes and min(sizes) >= 16
