"""Clearly fictional demo sessions and treatment plans for a few of Ana's and Ben's clients.

Bulk-created and idempotent: a client who already has sessions or a plan is skipped.
"""

import datetime as dt
import random

from django.utils import timezone

from attachment_app.models import User
from clients.models import (
    Client,
    PlanGoal,
    PlanIntervention,
    PlanObjective,
    PlanRevision,
    SessionReview,
    Technique,
    TherapySession,
    TreatmentPlan,
)
from clients.plan_suggestions import suggestions_for
from clients.services.supervision import (
    session_return,
    session_send_for_review,
    supervision_set,
)

CLIENTS_PER_THERAPIST = 3
SESSIONS_PER_CLIENT = 6
NOTE_DATA = [
    "(Demo) Client described a fictional disagreement with a friend and the urge to withdraw.",
    "(Demo) Client reported practising grounding twice this week.",
    "(Demo) Client explored a made-up early memory of waiting to be collected from school.",
]
NOTE_ASSESSMENT = [
    "(Demo) Engaged and reflective; able to stay with feelings for longer than last time.",
    "(Demo) Some distress when discussing closeness; settled with paced breathing.",
]
NOTE_PLAN = ["(Demo) Continue weekly. Review the grounding plan next session."]


def seed_clinical_demo(*, therapists: list[User], rng_seed: int = 11) -> dict[str, int]:
    rng = random.Random(rng_seed)
    today = timezone.localdate()
    sessions: list[TherapySession] = []
    plans = 0
    links = []
    for therapist in therapists:
        if TherapySession.objects.filter(therapist=therapist).exists():
            continue  # already seeded: a second run adds nothing
        clients = list(
            Client.objects.filter(
                primary_therapist=therapist,
                status=Client.Status.ACTIVE,
                # Sessions go back seven weeks: pick clients already in care then.
                status_changed_at__lte=timezone.now()
                - dt.timedelta(days=SESSIONS_PER_CLIENT * 7 + 2),
            )
            .exclude(sessions__isnull=False)
            .exclude(treatment_plan__isnull=False)
            .order_by("legal_last_name")[:CLIENTS_PER_THERAPIST]
        )
        for n, client in enumerate(clients):
            made = _sessions_for(client, therapist, today, rng)
            # The last plan of each therapist is past its review date, to show "overdue".
            review = today + dt.timedelta(days=-5 if n == len(clients) - 1 else 60)
            goals = _plan_for(client, therapist, today, review)
            sessions += made
            links += [(s, goals[i % len(goals)]) for i, s in enumerate(made) if goals]
            plans += 1
    TherapySession.objects.bulk_create(sessions, batch_size=500)
    Link = TherapySession.goals_addressed.through
    Link.objects.bulk_create([Link(therapysession=s, plangoal=g) for s, g in links])
    return {"sessions": len(sessions), "plans": plans}


def _sessions_for(client, therapist, today, rng) -> list[TherapySession]:
    out = []
    for n in range(SESSIONS_PER_CLIENT):
        date = today - dt.timedelta(days=7 * (SESSIONS_PER_CLIENT - 1 - n) + 1)  # newest: yesterday
        signed = n < SESSIONS_PER_CLIENT - 1  # the newest is still a draft
        before = rng.randint(4, 8)
        out.append(
            TherapySession(
                client=client,
                therapist=therapist,
                date=date,
                start_time=dt.time(10 + n % 6, 0),
                modality=rng.choice(TherapySession.Modality.values),
                techniques=rng.sample(
                    [Technique.INNER_CHILD, Technique.EMOTION_FOCUSED, Technique.MINDFULNESS], 2
                ),
                distress_before=before,
                distress_after=max(0, before - rng.randint(0, 3)),
                note_data=rng.choice(NOTE_DATA),
                note_assessment=rng.choice(NOTE_ASSESSMENT),
                note_plan=NOTE_PLAN[0],
                homework="(Demo) Notice one moment of wanting closeness this week.",
                status=TherapySession.Status.SIGNED if signed else TherapySession.Status.DRAFT,
                signed_at=timezone.make_aware(dt.datetime.combine(date, dt.time(17, 0)))
                if signed
                else None,
                signed_by=therapist if signed else None,
            )
        )
    return out


def _plan_for(client, therapist, today, review_date) -> list[PlanGoal]:
    plan = TreatmentPlan.objects.create(client=client, review_date=review_date)
    revision = PlanRevision(
        plan=plan,
        number=1,
        author=therapist,
        status=PlanRevision.Status.SIGNED,
        signed_at=timezone.now() - dt.timedelta(days=40),
        signed_by=therapist,
        review_date=plan.review_date,
        presenting_problems=client.presenting_concerns,
        style_hypothesis=client.attachment_hypothesis,
        hypothesis_evidence="(Demo) Fictional example evidence for the working hypothesis.",
        change_wishes="(Demo) To feel calmer when a partner is slow to reply.",
        strengths="(Demo) Curious, committed to the work, good sense of humour.",
        supports="(Demo) A fictional sibling and a weekly walking group.",
        client_participated=True,
        participation_date=today - dt.timedelta(days=40),
    )
    # Created as signed in one step: the save() guard only refuses changes to signed rows.
    revision.save()
    goals, objectives, interventions = [], [], []
    for order, suggestion in enumerate(suggestions_for(client.attachment_hypothesis)[:2]):
        goal = PlanGoal(revision=revision, order=order, text=suggestion.goal)
        goals.append(goal)
        objectives += [
            PlanObjective(
                goal=goal,
                order=n,
                text=text,
                status=PlanObjective.Status.IN_PROGRESS,
                progress=25 + 25 * n,
                target_date=today + dt.timedelta(days=90),
            )
            for n, text in enumerate(suggestion.objectives)
        ]
        interventions += [
            PlanIntervention(goal=goal, order=n, technique=t, description=d, frequency=f)
            for n, (t, d, f) in enumerate(suggestion.interventions)
        ]
    # The revision is already signed, so bypass per-row save() guards with bulk_create.
    PlanGoal.objects.bulk_create(goals)
    PlanObjective.objects.bulk_create(objectives)
    PlanIntervention.objects.bulk_create(interventions)
    return goals


def seed_supervision_demo(*, admin: User, supervisor: User, supervisee: User) -> dict[str, int]:
    """The supervisee's notes are co-signed by the supervisor: a few newest drafts are sent
    for review, and one comes back returned with a comment. A second run adds nothing."""
    supervision_set(by=admin, supervisee=supervisee, supervisor=supervisor, policy="cosign")
    if SessionReview.objects.filter(session__therapist=supervisee).exists():
        waiting = TherapySession.objects.filter(
            therapist=supervisee, status=TherapySession.Status.PENDING_REVIEW
        ).count()
        return {"to_review": waiting}
    drafts = list(
        TherapySession.objects.filter(
            therapist=supervisee, status=TherapySession.Status.DRAFT, client__clinic=admin.clinic
        ).order_by("-date", "client_id")[:4]
    )
    # A short extra session for each of them, written three days ago: a queue of a few notes.
    today = timezone.localdate()
    for draft in list(drafts):
        if len(drafts) >= 4:
            break
        drafts.append(
            TherapySession.objects.create(
                client=draft.client,
                therapist=supervisee,
                date=today - dt.timedelta(days=3),
                start_time=dt.time(16, 0),
                duration_minutes=30,
                modality=TherapySession.Modality.TELEHEALTH,
                techniques=[Technique.MINDFULNESS],
                distress_before=6,
                distress_after=4,
                note_data="(Demo) A short check-in between sessions about a hard week.",
                note_assessment=NOTE_ASSESSMENT[0],
                note_plan=NOTE_PLAN[0],
            )
        )
    for session in drafts:
        session_send_for_review(session=session, user=supervisee)
    if len(drafts) > 1:
        session_return(
            session=drafts[-1],
            user=supervisor,
            comment="(Demo) Please say which grounding technique you used and how the client "
            "responded, then send it again.",
        )
    return {"to_review": max(0, len(drafts) - 1) if len(drafts) > 1 else len(drafts)}
