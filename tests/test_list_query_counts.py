"""Every list page makes the same number of queries for a few rows and for fifty times more.

A page listing N rows with one query per row would pass every other test and
still fall over at a group practice's size. 10,000 clients is too slow for the
suite, so each page is read at SMALL and at LARGE (50x) rows of what it lists;
the bench (`make bench`) measures the time at full size. The caseload view and
the therapist home, grown by whole caseloads, are in tests/test_query_counts.py.
A new list page adds a case to LIST_PAGES: who reads it, its URL, and how to
add n rows of what it lists.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from attachment_app.models import AuditEvent, User
from clients.models import Appointment, ExportJob, TherapySession
from exercises.models import Exploration, Prompt, RatingScale

SMALL, LARGE = 10, 500


@dataclass
class ListPage:
    who: str  # a persona of tests/conftest.py
    path: Callable[[object], str]  # from Ana's client
    grow: Callable[[object, int, int], None]  # (client_record, start, n): add n listed rows


def sessions(client, start: int, n: int, status: str = "signed") -> None:
    signed = status == "signed"
    TherapySession.objects.bulk_create(
        TherapySession(
            client=client,
            therapist=client.primary_therapist,
            date=dt.date(2020, 1, 1) + dt.timedelta(days=i),
            status=status,
            signed_at=timezone.now() if signed else None,
            signed_by=client.primary_therapist if signed else None,
            distress_before=i % 10,
            distress_after=(i + 3) % 10,
        )
        for i in range(start, start + n)
    )


def audit_events(client, start: int, n: int) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(
            clinic_id=client.clinic_id,
            actor=client.primary_therapist,
            actor_label=client.primary_therapist.email,
            action=AuditEvent.Action.VIEW,
            client_id=client.pk,
            object_type="client",
            object_id=str(client.pk),
            summary=f"Viewed the record ({i})",
            hash=uuid.uuid4().hex,
        )
        for i in range(start, start + n)
    )


def therapists(client, start: int, n: int) -> None:
    User.objects.bulk_create(
        User(
            email=f"therapist{i}@fictional.example",
            full_name=f"Therapist {i} (fictional)",
            clinic_id=client.clinic_id,
            is_therapist=True,
        )
        for i in range(start, start + n)
    )


def export_jobs(client, start: int, n: int, kind: str = "treatment_plan") -> None:
    ExportJob.objects.bulk_create(
        ExportJob(
            clinic_id=client.clinic_id,
            client=client if kind == "treatment_plan" else None,
            kind=kind,
            requested_by=client.primary_therapist,
        )
        for _ in range(n)
    )


def explorations(client, start: int, n: int) -> None:
    Exploration.objects.bulk_create(
        Exploration(client=client, therapist=client.primary_therapist) for _ in range(n)
    )


def prompts(client, start: int, n: int) -> None:
    Prompt.objects.bulk_create(
        Prompt(
            clinic_id=client.clinic_id,
            text=f"When someone I love is late, I… ({i})",
            theme="closeness",
            dimension="anxiety",
        )
        for i in range(start, start + n)
    )


def scales(client, start: int, n: int) -> None:
    RatingScale.objects.bulk_create(
        RatingScale(
            clinic_id=client.clinic_id, name=f"Scale {i}", created_by=client.primary_therapist
        )
        for i in range(start, start + n)
    )


WEEK = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)


def appointments(client, start: int, n: int) -> None:
    """Five-minute appointments six minutes apart through one week: no two overlap."""
    Appointment.objects.bulk_create(
        Appointment(
            client=client,
            clinician=client.primary_therapist,
            created_by=client.primary_therapist,
            starts_at=WEEK + dt.timedelta(minutes=6 * i),
            ends_at=WEEK + dt.timedelta(minutes=6 * i + 5),
            length_minutes=5,
            status=["scheduled", "attended", "no_show", "late_cancel"][i % 4],
        )
        for i in range(start, start + n)
    )


def client_url(suffix: str) -> Callable[[object], str]:
    return lambda c: f"/clients/{c.pk}/{suffix}"


LIST_PAGES = {
    "session list": ListPage("ana", client_url("sessions/"), sessions),
    "client timeline": ListPage("ana", client_url("timeline/"), sessions),
    "distress chart": ListPage("ana", client_url("sessions/distress/"), sessions),
    "client detail": ListPage("ana", client_url(""), sessions),
    "unsigned notes": ListPage(
        "ana", lambda c: "/sessions/unsigned/", lambda c, s, n: sessions(c, s, n, "draft")
    ),
    "audit search": ListPage("dee", lambda c: "/audit/", audit_events),
    "therapists list": ListPage("dee", lambda c: "/therapists/", therapists),
    "clinic exports list": ListPage(
        "dee", lambda c: "/exports/caseload/", lambda c, s, n: export_jobs(c, s, n, "caseload_pdf")
    ),
    "client exports list": ListPage("ana", client_url("exports/"), export_jobs),
    "exercises for a client": ListPage(
        "ana", lambda c: f"/exercises/clients/{c.pk}/", explorations
    ),
    "explorations list": ListPage(
        "ana", lambda c: f"/exercises/clients/{c.pk}/explorations/", explorations
    ),
    "week view": ListPage("ana", lambda c: "/schedule/?week=2027-01-04", appointments),
    "week view as a list": ListPage(
        "ana", lambda c: "/schedule/?week=2027-01-04&view=list", appointments
    ),
    "every clinician's week": ListPage(
        "dee", lambda c: "/schedule/?week=2027-01-04&who=all", appointments
    ),
    "rooms' week": ListPage("dee", lambda c: "/schedule/?week=2027-01-04&who=rooms", appointments),
    "client detail with appointments": ListPage("ana", client_url(""), appointments),
    "prompt bank": ListPage("ana", lambda c: "/exercises/prompts/", prompts),
    "rating scales": ListPage("ana", lambda c: "/exercises/scales/", scales),
}


def query_count(browser, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", LIST_PAGES.values(), ids=LIST_PAGES.keys())
def test_a_list_page_makes_as_many_queries_for_500_rows_as_for_10(
    client, request, client_record, page, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(page.who))
    url = page.path(client_record)
    page.grow(client_record, 0, SMALL)
    client.get(url)  # the session, per-process caches and the like, once
    few = query_count(client, url)

    page.grow(client_record, SMALL, LARGE - SMALL)
    with django_assert_num_queries(few):
        assert client.get(url).status_code == 200
