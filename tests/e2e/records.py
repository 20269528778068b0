"""A client record with something on every page, for the page checks and journeys.

Built from the fictional demo content the features ship (clients/demo_clinical.py,
exercises/demo.py), so the screenshots show what a therapist would see.
"""

import datetime as dt
import importlib
import random
from dataclasses import dataclass

from django.apps import apps
from django.utils import timezone

from attachment_app.models import User
from clients.models import Client, ExportJob, PlanRevision, TherapySession, TreatmentPlan
from clients.services.plans import plan_revise
from exercises.models import Exploration, RelationshipMap, ReparentingLetter, SafeSpacePlan
from tests.factories_consents import signed_consent


def seed_prompt_bank() -> None:
    """The shipped prompts (a data migration), gone after a transactional test's flush."""
    migration = importlib.import_module("exercises.migrations.0002_seed_prompt_bank")
    migration.seed(apps, None)


@dataclass(frozen=True)
class Record:
    client: Client
    session: TherapySession
    plan: TreatmentPlan
    older: PlanRevision
    newer: PlanRevision
    exploration: Exploration
    map: RelationshipMap
    letter: ReparentingLetter
    safe_space: SafeSpacePlan
    export: ExportJob
    clinic_export: ExportJob


def full_record(client: Client, admin: User) -> Record:
    """Sessions, a plan with a draft revision, each exercise, and two exports for `client`."""
    from clients.demo_clinical import _plan_for, _sessions_for
    from exercises.demo import _explorations, _letter, _relationship_map, _safe_space

    seed_prompt_bank()
    therapist, today = client.primary_therapist, timezone.localdate()
    sessions = TherapySession.objects.bulk_create(
        _sessions_for(client, therapist, today, random.Random(3))
    )
    _plan_for(client, therapist, today, today + dt.timedelta(days=60))
    plan = TreatmentPlan.objects.get(client=client)
    older = plan.revisions.get()
    newer = plan_revise(plan=plan, author=therapist)
    _explorations(client, therapist)
    _relationship_map(client, therapist)
    _letter(client, therapist)
    _safe_space(client, therapist)
    export = ExportJob.objects.create(
        clinic=client.clinic, client=client, kind="treatment_plan", requested_by=therapist
    )
    clinic_export = ExportJob.objects.create(
        clinic=client.clinic, kind="caseload_pdf", requested_by=admin
    )
    signed_consent(client, "treatment")
    signed_consent(client, "release")
    return Record(
        client=client,
        session=sessions[0],
        plan=plan,
        older=older,
        newer=newer,
        exploration=Exploration.objects.filter(client=client).latest("date"),
        map=RelationshipMap.objects.get(client=client),
        letter=ReparentingLetter.objects.get(client=client),
        safe_space=SafeSpacePlan.objects.get(client=client),
        export=export,
        clinic_export=clinic_export,
    )
