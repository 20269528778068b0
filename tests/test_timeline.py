"""The client timeline: every registered source, filters by kind, constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients import timeline
from clients.models import ClientAssignment, TherapySession
from clients.timeline import TimelineEntry, register_timeline_source
from tests.factories_sessions import TherapySessionFactory, plan_with_revision


def timeline_url(client_record, *kinds) -> str:
    url = reverse("clients:timeline", args=[client_record.pk])
    return url + ("?" + "&".join(f"kind={k}" for k in kinds) if kinds else "")


@pytest.fixture
def history(client_record, ana):
    ClientAssignment.objects.create(client=client_record, therapist=ana, reason="Intake")
    TherapySessionFactory(client=client_record)
    plan_with_revision(client_record)


def test_the_timeline_shows_sessions_plans_and_assignments(as_ana, client_record, history):
    page = as_ana.get(timeline_url(client_record)).content.decode()
    assert "Session (draft)" in page
    assert "Treatment plan revision 1 (signed)" in page
    assert "Assigned to Ana Therapist" in page


def test_the_timeline_filters_by_kind(as_ana, client_record, history):
    page = as_ana.get(timeline_url(client_record, "plan")).content.decode()
    assert "Treatment plan revision 1" in page
    assert "Session (draft)" not in page and "Assigned to" not in page
    page = as_ana.get(timeline_url(client_record, "sessions", "assignments")).content.decode()
    assert "Session (draft)" in page and "Assigned to" in page
    assert "Treatment plan revision" not in page


def test_the_timeline_is_newest_first(as_ana, client_record):
    today = timezone.localdate()
    for days in (30, 2, 10):
        TherapySessionFactory(client=client_record, date=today - dt.timedelta(days=days))
    entries = as_ana.get(timeline_url(client_record, "sessions")).context["page"].object_list
    whens = [e.when for e in entries]
    assert whens == sorted(whens, reverse=True) and len(whens) == 3


def test_another_app_can_register_a_source(as_ana, client_record, monkeypatch):
    monkeypatch.setitem(timeline._SOURCES, "exercises", None)
    register_timeline_source(
        kind="exercises",
        label="Exercises",
        entries=lambda client: [
            TimelineEntry(kind="exercises", when=timezone.now(), title="Safe-space plan")
        ],
    )
    page = as_ana.get(timeline_url(client_record)).content.decode()
    assert "Safe-space plan" in page and 'value="exercises"' in page


def test_the_timeline_uses_the_same_number_of_queries_for_3_and_300_sessions(
    as_ana, client_record, ana
):
    plan_with_revision(client_record)
    ClientAssignment.objects.create(client=client_record, therapist=ana)
    url = timeline_url(client_record)

    def sessions(days: range) -> None:
        TherapySession.objects.bulk_create(
            TherapySession(
                client=client_record, therapist=ana, date=timezone.localdate() - dt.timedelta(n)
            )
            for n in days
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert as_ana.get(url).status_code == 200
        return len(ctx.captured_queries)

    sessions(range(3))
    as_ana.get(url)
    few = queries()
    sessions(range(3, 300))
    assert queries() == few
