"""A client record with everything the exported documents show, for the document tests."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from clients.demo_consents import DEMO_TEMPLATES
from clients.models import (
    ClientConsent,
    ConsentKind,
    ConsentTemplate,
    DischargeSummary,
    PlanGoal,
    PlanIntervention,
    PlanObjective,
    PlanRevision,
    ProcessNote,
    ReleaseRequest,
    SessionAddendum,
    TherapySession,
)
from exercises.models import (
    Exploration,
    Figure,
    MapTheme,
    ReparentingLetter,
    SafeSpacePlan,
    SafeSpacePractice,
    Tie,
)
from tests.factories_discharge import discharge_summary
from tests.factories_exercises import RelationshipMapFactory
from tests.factories_exports import PlanRevisionFactory, TherapySessionFactory, TreatmentPlanFactory
from tests.factories_releases import release_request


@dataclass
class FullRecord:
    revision: PlanRevision
    sessions: list[TherapySession]
    safe_space: SafeSpacePlan
    letter: ReparentingLetter
    consent: ClientConsent | None = None
    discharge: DischargeSummary | None = None
    release: ReleaseRequest | None = None


def full_record(client, therapist, *, private_text: str = "", text: str = "") -> FullRecord:
    """Plan (a signed revision 1, a draft revision 2), 3 sessions since, and every exercise.

    text, when given, replaces every free-text field (for the hostile-content test);
    private_text goes into each session's private process note.
    """

    def t(value: str) -> str:
        return text or value

    def c(value: str, length: int) -> str:
        return (text or value)[:length]

    plan = TreatmentPlanFactory(client=client)
    PlanRevisionFactory(
        plan=plan,
        number=1,
        status=PlanRevision.Status.SIGNED,
        signed_by=therapist,
        signed_at=timezone.make_aware(dt.datetime(2026, 1, 1, 12)),
    )
    revision = PlanRevisionFactory(
        plan=plan,
        number=2,
        style_hypothesis="anxious",
        presenting_problems=t("Worries when a partner is away."),
        hypothesis_evidence=t("Checks the phone often when a partner is late."),
        relationship_patterns=t("Moves closer, then withdraws when reassurance is slow."),
        change_wishes=t("To feel calmer when a partner is slow to reply."),
        strengths=t("Curious and committed to the work."),
        supports=t("A sibling and a weekly walking group."),
        client_participated=True,
        participation_date=dt.date(2026, 2, 2),
        participation_note=c("Chose the first goal's wording.", 300),
    )
    goal = PlanGoal.objects.create(
        revision=revision, order=0, text=c("Feel steadier when apart", 300)
    )
    PlanObjective.objects.create(
        goal=goal,
        text=c("Use a soothing practice before checking the phone", 300),
        target_date=dt.date(2026, 9, 1),
        status=PlanObjective.Status.IN_PROGRESS,
        progress=40,
    )
    PlanIntervention.objects.create(
        goal=goal, technique="mindfulness", frequency=c("weekly", 100), description=c("", 300)
    )
    sessions = []
    for n in range(3):
        session = TherapySessionFactory(
            client=client,
            date=dt.date(2026, 2, 2) + dt.timedelta(weeks=n),
            techniques=["inner_child", "emotion_focused"],
            distress_before=7,
            distress_after=4,
            note_data=t(f"Talked about a fictional week number {n}."),
            note_assessment=t("Engaged and reflective."),
            note_plan=t("Continue weekly."),
            homework=t("Notice one moment of wanting closeness."),
        )
        ProcessNote.objects.create(session=session, author=therapist, text=private_text)
        sessions.append(session)
    SessionAddendum.objects.create(
        session=sessions[0],
        author=therapist,
        reason=c("Clarification", 200),
        text=t("The walk was with a sibling, not a friend."),
    )

    rmap = RelationshipMapFactory(client=client, title=c("Key people", 120))
    me = Figure.objects.create(map=rmap, role="client", label=c("Robin", 60), x=400, y=280)
    mum = Figure.objects.create(map=rmap, role="mother", label=c("Mum", 60), x=200, y=120)
    Tie.objects.create(map=rmap, source=mum, target=me, kind="conflict", note=c("", 300))
    theme = MapTheme.objects.create(map=rmap, name=c("Fear of being a burden", 120), note=t(""))
    theme.figures.add(mum)
    Exploration.objects.create(
        client=client,
        therapist=therapist,
        date=dt.date(2026, 1, 10),
        anxiety_rating=6,
        avoidance_rating=3,
        observations=t(""),
    )
    Exploration.objects.create(
        client=client,
        therapist=therapist,
        date=dt.date(2026, 3, 10),
        anxiety_rating=4,
        avoidance_rating=3,
    )
    safe_space = SafeSpacePlan.objects.create(
        client=client,
        therapist=therapist,
        kind="place",
        name=c("The beach hut", 120),
        description=t("A small wooden hut by the sea."),
        seen=t("Grey-blue water."),
        heard=t("Gulls far away."),
        cue_word=c("Tide", 60),
        techniques=["feet_on_floor", "paced_breathing"],
        own_techniques=t("Hold the smooth stone"),
    )
    SafeSpacePractice.objects.create(
        plan=safe_space, date=dt.date(2026, 2, 20), distress_before=6, distress_after=3
    )
    letter = ReparentingLetter.objects.create(
        client=client,
        therapist=therapist,
        kind="younger_self",
        title=c("To me at seven", 120),
        younger_age=7,
        experience=text or "EXPERIENCE-NOT-FOR-THE-COPY",
        letter=t("Dear little me, you were never too much."),
        client_reflection=t("It felt strange, then kind."),
        therapist_reflection=text or "THERAPIST-REFLECTION-NOT-FOR-THE-COPY",
        client_keeps_copy=True,
    )
    title, body = DEMO_TEMPLATES[ConsentKind.RELEASE]
    template = ConsentTemplate.objects.create(
        clinic=client.clinic, kind=ConsentKind.RELEASE, version=1, title=c(title, 200), body=t(body)
    )
    consent = ClientConsent.objects.create(
        client=client,
        template=template,
        kind=ConsentKind.RELEASE,
        signed_name=c(f"{client.legal_first_name} {client.legal_last_name}", 200),
        signed_on=timezone.localdate(),
        read_confirmed=True,
        witnessed_by=therapist,
        recipient=c("Dr. Lee, Riverside Family Practice", 200),
        information=t("Dates of attendance."),
        purpose=c("Coordination of care", 300),
        expires_on=timezone.localdate() + dt.timedelta(days=90),
    )
    # A signed closing summary (the client's status is left as it is).
    discharge = discharge_summary(
        client,
        presenting_concerns=t("Fear of being left when a partner travels."),
        goals_summary=t("Feel steadier when apart (achieved)"),
        techniques_summary=t("Inner child work, mindfulness"),
        referrals=t("Couples work with a colleague, when both are ready."),
        recommendations=t("Keep the safe-space practice weekly."),
        status=DischargeSummary.Status.SIGNED,
        signed_at=timezone.now(),
        signed_by=therapist,
    )
    # A release of every part to the practice the authorization names, over all dates.
    release = release_request(
        client,
        requester=ReleaseRequest.Requester.THIRD_PARTY,
        recipient=consent.recipient,
        authorization=consent,
        date_from=dt.date(2000, 1, 1),
        date_to=dt.date(2100, 1, 1),
        logged_by=therapist,
    )
    return FullRecord(
        release=release,
        revision=revision,
        sessions=sessions,
        safe_space=safe_space,
        letter=letter,
        consent=consent,
        discharge=discharge,
    )
