import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from clients.models import (
    PlanGoal,
    PlanObjective,
    PlanRevision,
    TherapySession,
    TreatmentPlan,
)


class TherapySessionFactory(DjangoModelFactory):
    class Meta:
        model = TherapySession

    therapist = factory.SelfAttribute("client.primary_therapist")
    date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    start_time = dt.time(10, 0)
    note_data = "Client talked about a fictional week."
    distress_before = 6
    distress_after = 4


def signed_session(client, **kwargs) -> TherapySession:
    """A note signed by its therapist right after the session."""
    session = TherapySessionFactory(client=client, **kwargs)
    session.status = TherapySession.Status.SIGNED
    session.signed_at = session.starts_at + dt.timedelta(hours=1)
    session.signed_by = session.therapist
    session.save()
    return session


def plan_with_revision(client, *, signed: bool = True, goals=("Feel steadier when apart",)):
    plan = TreatmentPlan.objects.create(client=client)
    revision = PlanRevision.objects.create(
        plan=plan,
        number=1,
        author=client.primary_therapist,
        presenting_problems="Worries when a partner is away.",
        review_date=timezone.localdate() + dt.timedelta(days=30),
    )
    for n, text in enumerate(goals):
        goal = PlanGoal.objects.create(revision=revision, order=n, text=text)
        PlanObjective.objects.create(goal=goal, text="Use a soothing practice weekly", progress=25)
    if signed:
        revision.status = PlanRevision.Status.SIGNED
        revision.signed_at = timezone.now()
        revision.signed_by = client.primary_therapist
        revision.save()
        plan.review_date = revision.review_date
        plan.save()
    return plan, revision
