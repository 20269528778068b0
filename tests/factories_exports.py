import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from clients.models import ExportJob, PlanRevision, TherapySession, TreatmentPlan


class TherapySessionFactory(DjangoModelFactory):
    class Meta:
        model = TherapySession

    therapist = factory.SelfAttribute("client.primary_therapist")
    date = factory.Sequence(lambda n: dt.date(2026, 1, 5) + dt.timedelta(days=7 * n))
    status = TherapySession.Status.SIGNED
    signed_by = factory.SelfAttribute("therapist")
    signed_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(dt.datetime.combine(o.date, dt.time(17, 0)))
    )


class TreatmentPlanFactory(DjangoModelFactory):
    class Meta:
        model = TreatmentPlan


class PlanRevisionFactory(DjangoModelFactory):
    class Meta:
        model = PlanRevision

    number = factory.Sequence(lambda n: n + 1)
    author = factory.SelfAttribute("plan.client.primary_therapist")
    review_date = dt.date(2027, 3, 1)


class ExportJobFactory(DjangoModelFactory):
    class Meta:
        model = ExportJob

    clinic = factory.SelfAttribute("client.clinic")
    kind = "treatment_plan"
    requested_by = factory.SelfAttribute("client.primary_therapist")
