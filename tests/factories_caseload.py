"""Bulk builders for caseload tests: many clients with sessions and plans, in few queries."""

import datetime as dt

from django.utils import timezone

from attachment_app.models import User
from clients.models import (
    Client,
    ClientAssignment,
    ReleaseRequest,
    TherapySession,
    TreatmentPlan,
)


def make_caseload(*, therapists: list[User], n: int, start: int = 0) -> list[Client]:
    """n clients of the therapists' clinic in every state the caseload reports on.

    Of each ten: waitlisted, unassigned, paused, discharged, and six active; of
    the active, some with a recent session, some with an old one (no session
    for N days), some with none (waiting for a first session); drafts left
    unsigned; plans with reviews overdue, due soon and later.
    """
    clinic_id = therapists[0].clinic_id
    today = timezone.localdate()
    long_ago = timezone.now() - dt.timedelta(days=90)
    clients = []
    for i in range(start, start + n):
        kind = i % 10
        therapist = therapists[i % len(therapists)]
        status = {0: "waitlist", 1: "active", 2: "paused", 3: "discharged"}.get(kind, "active")
        clients.append(
            Client(
                clinic_id=clinic_id,
                legal_first_name=f"Bulk{i}",
                legal_last_name=f"Fictional{i:05d}",
                date_of_birth=dt.date(1985, 1, 1),
                email=f"bulk{i}@fictional.example",
                status=status,
                status_changed_at=long_ago,
                presenting_concerns=f"CLINICAL-SECRET-{i}",
                childhood_history=f"CHILDHOOD-SECRET-{i}",
                primary_therapist=None if kind in (0, 1) else therapist,
            )
        )
    Client.objects.bulk_create(clients)
    ClientAssignment.objects.bulk_create(
        ClientAssignment(client=c, therapist=c.primary_therapist, started_at=long_ago)
        for c in clients
        if c.primary_therapist
    )
    sessions, plans = [], []
    for i, c in enumerate(clients, start=start):
        kind = i % 10
        if kind in (4, 5, 6):  # seen: recently, long ago, recently with an unsigned note
            days = 40 if kind == 5 else 3
            sessions.append(
                TherapySession(
                    client=c,
                    therapist=c.primary_therapist,
                    date=today - dt.timedelta(days=days),
                    status="draft" if kind == 6 else "signed",
                )
            )
        if kind in (4, 5, 7):  # plan reviews: overdue, due soon, later
            offset = {4: -3, 5: 5, 7: 60}[kind]
            plans.append(TreatmentPlan(client=c, review_date=today + dt.timedelta(days=offset)))
    TherapySession.objects.bulk_create(sessions)
    TreatmentPlan.objects.bulk_create(plans)
    # Open release requests on the 30-day clock: one overdue, one due in ten days.
    releases = []
    for i, c in enumerate(clients, start=start):
        if i % 10 in (4, 5):
            received = today - dt.timedelta(days=35 if i % 10 == 4 else 20)
            releases.append(
                ReleaseRequest(
                    client=c,
                    requester="client",
                    parts=["session_notes"],
                    date_from=dt.date(2020, 1, 1),
                    date_to=today,
                    received_on=received,
                    due_on=ReleaseRequest.due_for(received),
                    logged_by=therapists[0],
                )
            )
    ReleaseRequest.objects.bulk_create(releases)
    return clients
