"""Careful reads for sessions and plans: scoped, and a constant number of queries."""

from collections import defaultdict

from django.db.models import Prefetch, QuerySet

from attachment_app.models import User
from clients.access import clients_in_care_of
from clients.models import (
    Client,
    PlanGoal,
    PlanObjective,
    PlanRevision,
    ProcessNote,
    TherapySession,
    TreatmentPlan,
)

# Columns a session list shows. The note itself is not needed to list sessions.
LIST_FIELDS = [
    "id",
    "client_id",
    "therapist_id",
    "date",
    "start_time",
    "duration_minutes",
    "modality",
    "attendance",
    "status",
    "signed_at",
    "late_entry",
    "risk_level",
    "distress_before",
    "distress_after",
    "note_format",
]


def sessions_of(client: Client) -> QuerySet[TherapySession]:
    """A client's sessions, newest first."""
    return (
        TherapySession.objects.filter(client=client)
        .only(*LIST_FIELDS)
        .order_by("-date", "-start_time", "-created_at")
    )


def unsigned_notes_of(user: User) -> QuerySet[TherapySession]:
    """The user's own draft notes, for clients still in their care."""
    return (
        TherapySession.objects.filter(
            therapist=user,
            status=TherapySession.Status.DRAFT,
            client__in=clients_in_care_of(user),
        )
        .select_related("client__clinic")
        .only(
            *LIST_FIELDS,
            "updated_at",
            "client__clinic__late_entry_hours",
            "client__legal_first_name",
            "client__legal_last_name",
            "client__preferred_name",
        )
        .order_by("date", "start_time")
    )


def previous_session(
    client: Client, *, before: TherapySession | None = None
) -> TherapySession | None:
    """The latest signed session before this one (or before now), for context while writing."""
    sessions = TherapySession.objects.filter(client=client, status=TherapySession.Status.SIGNED)
    if before is not None:
        sessions = sessions.filter(date__lte=before.date).exclude(pk=before.pk)
    return (
        sessions.only("id", "client_id", "date", "homework", "note_plan")
        .order_by("-date", "-start_time")
        .first()
    )


def process_note_for(session: TherapySession, user: User) -> ProcessNote | None:
    """The private process note, for its author only; anyone else gets None."""
    if session.therapist_id != user.pk:
        return None
    return ProcessNote.objects.filter(session=session, author=user).first()


def distress_series(client: Client) -> list[TherapySession]:
    """Sessions with any distress rating, oldest first."""
    return list(
        TherapySession.objects.filter(client=client)
        .exclude(distress_before=None, distress_after=None)
        .only("id", "date", "start_time", "distress_before", "distress_after", "status")
        .order_by("date", "start_time")
    )


def plan_of(client: Client) -> TreatmentPlan | None:
    return TreatmentPlan.objects.filter(client=client).first()


def _full_revisions() -> QuerySet[PlanRevision]:
    return PlanRevision.objects.select_related("author", "signed_by").prefetch_related(
        Prefetch(
            "goals",
            queryset=PlanGoal.objects.prefetch_related("objectives", "interventions"),
        )
    )


def full_revision(revision_pk) -> PlanRevision:
    return _full_revisions().get(pk=revision_pk)


def current_revision(plan: TreatmentPlan) -> PlanRevision | None:
    """The newest signed revision: the plan in force."""
    return (
        _full_revisions()
        .filter(plan=plan, status=PlanRevision.Status.SIGNED)
        .order_by("-number")
        .first()
    )


def open_draft(plan: TreatmentPlan) -> PlanRevision | None:
    return plan.revisions.filter(status=PlanRevision.Status.DRAFT).first()


def goals_for_session_form(client: Client) -> QuerySet[PlanGoal]:
    """Goals a session can name: those of the plan in force (the newest signed revision)."""
    newest = (
        PlanRevision.objects.filter(plan__client=client, status=PlanRevision.Status.SIGNED)
        .order_by("-number")
        .values("pk")[:1]
    )
    return PlanGoal.objects.filter(revision__in=newest)


def sessions_by_goal_key(client: Client) -> dict:
    """goal key -> sessions (newest first) that named that goal, across revisions."""
    rows = (
        TherapySession.goals_addressed.through.objects.filter(therapysession__client=client)
        .select_related("therapysession", "plangoal")
        .only(
            "therapysession__id",
            "therapysession__date",
            "therapysession__status",
            "therapysession__client_id",
            "plangoal__key",
        )
        .order_by("-therapysession__date")
    )
    grouped: dict = defaultdict(list)
    for row in rows:
        grouped[row.plangoal.key].append(row.therapysession)
    return grouped


def objective_progress(plan: TreatmentPlan) -> list[dict]:
    """Each objective's progress in every signed revision, oldest first."""
    objectives = (
        PlanObjective.objects.filter(
            goal__revision__plan=plan, goal__revision__status=PlanRevision.Status.SIGNED
        )
        .select_related("goal__revision")
        .order_by("goal__revision__number", "goal__order", "order")
    )
    by_key: dict = {}
    for o in objectives:
        entry = by_key.setdefault(o.key, {"text": o.text, "goal": o.goal.text, "points": []})
        entry["text"], entry["goal"] = o.text, o.goal.text  # newest wording wins
        entry["points"].append(
            {
                "revision": o.goal.revision.number,
                "date": o.goal.revision.signed_at,
                "progress": o.progress,
                "status": o.get_status_display(),
            }
        )
    return list(by_key.values())
