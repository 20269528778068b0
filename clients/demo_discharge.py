"""A clearly fictional discharged client of the demo: a short course of signed sessions and a
signed discharge summary drafted from them. A second run adds nothing."""

import datetime as dt

from django.utils import timezone

from attachment_app.models import User
from clients.models import Client, DischargeReason, DischargeSummary, Technique, TherapySession
from clients.services.discharge import (
    client_discharge,
    discharge_draft_values,
    discharge_summary_save,
    discharge_summary_sign,
)

COURSE = 5  # weekly sessions before discharge
CLOSING = {
    "referrals": "(Demo) A fictional community group for adults rebuilding close relationships.",
    "recommendations": "(Demo) Keep the evening grounding walk and the safe-space cue word; "
    "come back if the old fear of being left returns.",
}


def _course(client: Client, therapist: User, last: dt.date) -> None:
    """Signed weekly sessions ending on `last`, distress easing week by week."""
    sessions = []
    for n in range(COURSE):
        date = last - dt.timedelta(days=7 * (COURSE - 1 - n))
        sessions.append(
            TherapySession(
                client=client,
                therapist=therapist,
                date=date,
                start_time=dt.time(11, 0),
                techniques=[Technique.INNER_CHILD, Technique.MINDFULNESS],
                distress_before=8 - n,
                distress_after=max(1, 6 - n),
                note_data="(Demo) Client spoke of a fictional week and practised grounding.",
                note_assessment="(Demo) Steadier; links the old fear to the present more easily.",
                note_plan="(Demo) Prepare for ending: review what helped.",
                status=TherapySession.Status.SIGNED,
                signed_at=timezone.make_aware(dt.datetime.combine(date, dt.time(17, 0))),
                signed_by=therapist,
            )
        )
    TherapySession.objects.bulk_create(sessions)


def _candidate(therapist: User) -> Client | None:
    """One of the therapist's clients with no sessions: one already marked discharged, else
    an active one when enough stay active for the rest of the demo."""
    mine = Client.objects.filter(primary_therapist=therapist, sessions__isnull=True)
    closed = mine.filter(status=Client.Status.DISCHARGED).order_by("legal_last_name").first()
    if closed is not None:
        return closed
    active = mine.filter(status=Client.Status.ACTIVE).order_by("-legal_last_name")
    return active.first() if active.count() >= 4 else None


def seed_discharge_demo(*, therapist: User) -> int:
    """Give one of the therapist's clients a closed course of care and a signed summary."""
    if DischargeSummary.objects.filter(client__primary_therapist=therapist).exists():
        return 0
    client = _candidate(therapist)
    if client is None:
        return 0
    today = timezone.localdate()
    if client.status == Client.Status.DISCHARGED:
        # Marked discharged by the demo's bulk records: the summary of that day.
        closed_on = min(timezone.localdate(client.status_changed_at), today)
        _course(client, therapist, closed_on - dt.timedelta(days=3))
        summary = DischargeSummary.objects.create(
            client=client,
            reason=DischargeReason.GOALS_MET,
            discharge_date=closed_on,
            discharged_by=therapist,
            **discharge_draft_values(client),
        )
    else:
        _course(client, therapist, today - dt.timedelta(days=10))
        summary = client_discharge(
            client=client, by=therapist, reason=DischargeReason.GOALS_MET, date=today
        )
    discharge_summary_save(summary=summary, by=therapist, values=CLOSING)
    discharge_summary_sign(summary=summary, by=therapist)
    return 1


def demo_discharged_client() -> Client | None:
    """The demo's client with a signed discharge summary (printed with the demo logins)."""
    return Client.objects.filter(
        clinic__name="Demo Clinic", discharges__status=DischargeSummary.Status.SIGNED
    ).first()
