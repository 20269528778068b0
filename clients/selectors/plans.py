"""Careful reads for treatment plans: scoped, and a constant number of queries."""

from collections import defaultdict

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from clients.models import (
    Client,
    PlanGoal,
    PlanObjective,
    PlanRevision,
    TherapySession,
    TreatmentPlan,
)
from clients.plan_diff import revision_diff
from clients.plan_suggestions import suggestions_for


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


def revision_writing_aids(revision: PlanRevision) -> dict:
    """What the draft's page offers beside the form: goal suggestions for the working
    hypothesis, and the goals already written (so a suggestion is not offered twice)."""
    return {
        "suggestions": suggestions_for(revision.style_hypothesis),
        "goal_texts": {g.text for g in revision.goals.all()},
    }


def revision_sign_facts(*, revision: PlanRevision, previous: PlanRevision | None) -> dict:
    """What the signing page shows: the changes since the plan in force and whether
    the review date has already passed."""
    return {
        "previous": previous,
        "sections": revision_diff(full_revision(previous.pk), revision) if previous else None,
        "review_date_passed": revision.review_date is not None
        and revision.review_date < timezone.localdate(),
    }
