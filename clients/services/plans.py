"""Changing treatment plans: start, revise (copying the signed content), sign, goals."""

import datetime as dt
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from clients.models import (
    Client,
    PlanGoal,
    PlanIntervention,
    PlanObjective,
    PlanRevision,
    SignedRecordLocked,
    TreatmentPlan,
)
from clients.plan_suggestions import Suggestion


@transaction.atomic
def plan_start(*, client: Client, author: User, request: HttpRequest | None = None) -> PlanRevision:
    """The client's plan and its first draft revision (or the draft that already exists)."""
    plan, _ = TreatmentPlan.objects.get_or_create(client=client)
    draft = plan.revisions.filter(status=PlanRevision.Status.DRAFT).first()
    if draft:
        return draft
    if plan.revisions.exists():
        return plan_revise(plan=plan, author=author, request=request)
    # Due for review after the clinic's interval (its settings page); the clinician may change it.
    review = timezone.localdate() + dt.timedelta(days=client.clinic.plan_review_interval_days)
    revision = PlanRevision.objects.create(
        plan=plan,
        number=1,
        author=author,
        presenting_problems=client.presenting_concerns,
        style_hypothesis=client.attachment_hypothesis,
        review_date=review,
    )
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CREATE,
            client_id=client.pk,
            obj=revision,
            summary="Treatment plan draft started",
        )
    return revision


@transaction.atomic
def plan_revise(
    *, plan: TreatmentPlan, author: User, request: HttpRequest | None = None
) -> PlanRevision:
    """A new draft revision copying the newest signed one; an open draft is reused.
    Only a revision made here is audited: reopening the open draft changes nothing."""
    plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    draft = plan.revisions.filter(status=PlanRevision.Status.DRAFT).first()
    if draft:
        return draft
    source = plan.revisions.filter(status=PlanRevision.Status.SIGNED).order_by("-number").first()
    number = (plan.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = PlanRevision(plan=plan, number=number, author=author)
    if source is not None:
        # Agreement is copied too: it holds while nothing the client agreed to changes,
        # and signing asks again when something has (see agreement_needs_asking).
        for name in PlanRevision.CONTENT_FIELDS:
            setattr(revision, name, getattr(source, name))
    revision.save()
    if source is not None:
        _copy_goals(source=source, target=revision)
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CREATE,
            client_id=plan.client_id,
            obj=revision,
            summary="Treatment plan revision started",
        )
    return revision


def _copy_goals(*, source: PlanRevision, target: PlanRevision) -> None:
    goals = list(source.goals.prefetch_related("objectives", "interventions"))
    new_goals = [PlanGoal(revision=target, key=g.key, order=g.order, text=g.text) for g in goals]
    PlanGoal.objects.bulk_create(new_goals)
    objectives, interventions = [], []
    for old, new in zip(goals, new_goals, strict=True):
        objectives += [
            PlanObjective(
                goal=new,
                key=o.key,
                order=o.order,
                text=o.text,
                target_date=o.target_date,
                status=o.status,
                progress=o.progress,
            )
            for o in old.objectives.all()
        ]
        interventions += [
            PlanIntervention(
                goal=new,
                order=i.order,
                technique=i.technique,
                description=i.description,
                frequency=i.frequency,
            )
            for i in old.interventions.all()
        ]
    PlanObjective.objects.bulk_create(objectives)
    PlanIntervention.objects.bulk_create(interventions)


def _editable(revision: PlanRevision) -> None:
    if PlanRevision.objects.filter(pk=revision.pk, status=PlanRevision.Status.SIGNED).exists():
        raise SignedRecordLocked("A signed revision cannot be changed; revise the plan instead")


@transaction.atomic
def revision_save(
    *, revision: PlanRevision, values: dict, request: HttpRequest | None = None
) -> PlanRevision:
    """Save a draft's content; audited when a person saves it (a request)."""
    _editable(revision)
    for name, value in values.items():
        setattr(revision, name, value)
    revision.save()
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CHANGE,
            client_id=revision.plan.client_id,
            obj=revision,
            summary="Plan draft saved",
        )
    return revision


class Agreement(StrEnum):
    """The clinician's answer when a carried-forward agreement no longer covers the plan."""

    AGREED_AGAIN = "agreed_again"
    NOT_YET = "not_yet"


PAST_REVIEW_DATE = "This review date has already passed: choose a date ahead before signing."


def agreed_content(revision: PlanRevision) -> dict:
    """What the client agrees to in session: what they want to change, the goals, each
    objective's wording and target date, and the interventions. Progress and status on
    objectives, the formulation and the review date are the clinician's to keep current."""
    return {
        "change_wishes": revision.change_wishes.strip(),
        "goals": {
            goal.key: (
                goal.text.strip(),
                sorted((o.key.hex, o.text.strip(), o.target_date) for o in goal.objectives.all()),
                sorted(
                    (i.technique, i.description.strip(), i.frequency.strip())
                    for i in goal.interventions.all()
                ),
            )
            for goal in revision.goals.prefetch_related("objectives", "interventions")
        },
    }


def previous_signed(revision: PlanRevision) -> PlanRevision | None:
    """The newest signed revision before this one: what signing this one replaces."""
    return (
        PlanRevision.objects.filter(
            plan_id=revision.plan_id, status=PlanRevision.Status.SIGNED, number__lt=revision.number
        )
        .order_by("-number")
        .first()
    )


def agreement_carried(*, revision: PlanRevision, previous: PlanRevision | None) -> bool:
    """The draft still holds the agreement copied from the signed revision before it."""
    return (
        previous is not None
        and previous.client_participated
        and revision.client_participated
        and revision.participation_date == previous.participation_date
    )


def agreement_needs_asking(*, revision: PlanRevision, previous: PlanRevision | None) -> bool:
    return agreement_carried(revision=revision, previous=previous) and agreed_content(
        previous
    ) != agreed_content(revision)


@transaction.atomic
def revision_sign(
    *,
    revision: PlanRevision,
    user: User,
    agreement: Agreement | None = None,
    agreed_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> PlanRevision:
    """Lock the revision and make its review date the plan's (audited when a person signs).

    Refused when the review date is missing or already past, and when the agreement
    carried from the previous revision no longer covers what the client agreed to and
    `agreement` does not say whether they agreed again (on `agreed_on`) or not yet.
    """
    revision = PlanRevision.objects.select_for_update().select_related("plan").get(pk=revision.pk)
    _editable(revision)
    if revision.review_date is None:
        raise ValidationError({"review_date": "Please set a review date before signing."})
    if revision.review_date < timezone.localdate():
        raise ValidationError({"review_date": PAST_REVIEW_DATE})
    if agreement_needs_asking(revision=revision, previous=previous_signed(revision)):
        if agreement == Agreement.AGREED_AGAIN:
            if agreed_on is None or agreed_on > timezone.localdate():
                raise ValidationError({"agreed_on": "When did the client agree to this revision?"})
            revision.participation_date = agreed_on
        elif agreement == Agreement.NOT_YET:
            revision.client_participated = False
            revision.participation_date = None
        else:
            raise ValidationError(
                {
                    "agreement": "Something the client agreed to has changed: say whether "
                    "they have agreed to this revision."
                }
            )
    revision.status = PlanRevision.Status.SIGNED
    revision.signed_at = timezone.now()
    revision.signed_by = user
    revision.save()
    plan = revision.plan
    plan.review_date = revision.review_date
    plan.save(update_fields=["review_date", "updated_at"])
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.SIGN,
            client_id=plan.client_id,
            obj=revision,
            summary="Plan signed",
        )
    return revision


@transaction.atomic
def goal_add(
    *, revision: PlanRevision, text: str, suggestion: Suggestion | None = None
) -> PlanGoal:
    """A new goal; from a suggestion, with its objectives and interventions as a start."""
    _editable(revision)
    order = (revision.goals.aggregate(n=Max("order"))["n"] or 0) + 1
    goal = PlanGoal.objects.create(revision=revision, order=order, text=text)
    if suggestion is not None:
        PlanObjective.objects.bulk_create(
            [PlanObjective(goal=goal, order=n, text=t) for n, t in enumerate(suggestion.objectives)]
        )
        PlanIntervention.objects.bulk_create(
            [
                PlanIntervention(
                    goal=goal, order=n, technique=tech, description=what, frequency=often
                )
                for n, (tech, what, often) in enumerate(suggestion.interventions)
            ]
        )
    return goal


@transaction.atomic
def goal_delete(*, goal: PlanGoal) -> None:
    _editable(goal.revision)
    goal.delete()
