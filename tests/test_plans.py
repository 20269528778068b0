"""Treatment plans: drafts, signing and its lock, revisions, the diff, suggestions, progress."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from attachment_app.models import AuditEvent
from clients.models import (
    AttachmentStyle,
    PlanGoal,
    PlanObjective,
    PlanRevision,
    SignedRecordLocked,
    TreatmentPlan,
)
from clients.plan_diff import revision_diff
from clients.services import plans as plan_services
from tests.factories_sessions import TherapySessionFactory, plan_with_revision


def url(name, client_record, *args):
    return reverse(f"clients:{name}", args=[client_record.pk, *args])


def revision_form(**overrides) -> dict:
    data = {
        "presenting_problems": "Worries when a partner is away.",
        "style_hypothesis": "anxious",
        "hypothesis_evidence": "",
        "relationship_patterns": "",
        "change_wishes": "",
        "strengths": "",
        "supports": "",
        "review_date": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
        "participation_date": "",
        "participation_note": "",
    }
    data.update(overrides)
    return data


def test_starting_a_plan_makes_a_draft_with_the_working_hypothesis(as_ana, client_record):
    client_record.attachment_hypothesis = AttachmentStyle.ANXIOUS
    client_record.save()
    response = as_ana.post(url("plan_start", client_record))
    revision = PlanRevision.objects.get()
    assert response["Location"] == url("revision_edit", client_record, revision.pk)
    assert revision.number == 1 and revision.status == PlanRevision.Status.DRAFT
    assert revision.style_hypothesis == AttachmentStyle.ANXIOUS
    as_ana.post(url("plan_start", client_record))  # the same draft, not a new start
    started = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, client_id=client_record.pk)
    assert [e.summary for e in started] == ["Treatment plan draft started"]


def test_suggestions_are_offered_but_never_inserted_unasked(as_ana, client_record):
    client_record.attachment_hypothesis = AttachmentStyle.ANXIOUS
    client_record.save()
    as_ana.post(url("plan_start", client_record))
    revision = PlanRevision.objects.get()
    page = as_ana.get(url("revision_edit", client_record, revision.pk)).content.decode()
    assert "Tolerate uncertainty in close relationships" in page
    assert "not a diagnosis" in page
    assert not PlanGoal.objects.exists()
    as_ana.post(url("goal_new", client_record, revision.pk), {"suggestion": "anxious-uncertainty"})
    goal = PlanGoal.objects.get()
    assert goal.text.startswith("Tolerate uncertainty")
    assert goal.objectives.count() == 2 and goal.interventions.count() == 2


def test_a_suggested_goal_is_editable(as_ana, client_record):
    _, revision = plan_with_revision(client_record, signed=False)
    goal = revision.goals.get()
    objective = goal.objectives.get()
    data = {
        "text": "My own wording of the goal",
        "objectives-TOTAL_FORMS": "2",
        "objectives-INITIAL_FORMS": "1",
        "objectives-0-id": str(objective.pk),
        "objectives-0-text": "Soothe first, then reach out",
        "objectives-0-status": "in_progress",
        "objectives-0-progress": "40",
        "objectives-0-target_date": "",
        "objectives-1-text": "",
        "objectives-1-status": "not_started",
        "objectives-1-progress": "0",
        "interventions-TOTAL_FORMS": "1",
        "interventions-INITIAL_FORMS": "0",
        "interventions-0-technique": "mindfulness",
        "interventions-0-description": "Paced breathing",
        "interventions-0-frequency": "Weekly",
    }
    response = as_ana.post(url("goal_edit", client_record, goal.pk), data)
    assert response.status_code == 302
    goal.refresh_from_db()
    objective.refresh_from_db()
    assert goal.text == "My own wording of the goal"
    assert objective.progress == 40 and objective.text == "Soothe first, then reach out"
    assert goal.interventions.get().frequency == "Weekly"


def test_an_objective_progress_above_100_is_refused_beside_the_field(as_ana, client_record):
    _, revision = plan_with_revision(client_record, signed=False)
    goal = revision.goals.get()
    objective = goal.objectives.get()
    data = {
        "text": goal.text,
        "objectives-TOTAL_FORMS": "1",
        "objectives-INITIAL_FORMS": "1",
        "objectives-0-id": str(objective.pk),
        "objectives-0-text": "Typed objective",
        "objectives-0-status": "in_progress",
        "objectives-0-progress": "150",
        "interventions-TOTAL_FORMS": "0",
        "interventions-INITIAL_FORMS": "0",
    }
    response = as_ana.post(url("goal_edit", client_record, goal.pk), data)
    assert response.status_code == 400
    assert b"Typed objective" in response.content
    objective.refresh_from_db()
    assert objective.progress == 25


def test_signing_needs_a_review_date_and_sets_the_plans(as_ana, client_record, ana):
    as_ana.post(url("plan_start", client_record))
    revision = PlanRevision.objects.get()
    edit = url("revision_edit", client_record, revision.pk)
    response = as_ana.post(edit, {**revision_form(review_date=""), "sign": "1"})
    assert response.status_code == 400
    assert b"Please set a review date before signing" in response.content
    revision.refresh_from_db()
    assert revision.status == PlanRevision.Status.DRAFT
    review = timezone.localdate() + dt.timedelta(days=90)
    response = as_ana.post(edit, {**revision_form(review_date=review.isoformat()), "sign": "1"})
    assert response["Location"] == url("revision_sign", client_record, revision.pk)
    revision.refresh_from_db()
    assert revision.status == PlanRevision.Status.DRAFT  # not until confirmed
    response = as_ana.post(url("revision_sign", client_record, revision.pk))
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.status == PlanRevision.Status.SIGNED and revision.signed_by == ana
    assert TreatmentPlan.objects.get().review_date == review


def test_the_plan_draft_autosaves(as_ana, client_record):
    as_ana.post(url("plan_start", client_record))
    revision = PlanRevision.objects.get()
    response = as_ana.post(
        url("revision_edit", client_record, revision.pk),
        revision_form(strengths="Warm and curious"),
        HTTP_X_AUTOSAVE="1",
    )
    assert response.status_code == 200
    revision.refresh_from_db()
    assert revision.strengths == "Warm and curious"


# The lock on signed revisions, by every path


@pytest.fixture
def signed_plan(client_record):
    return plan_with_revision(client_record, signed=True)


def test_a_signed_revision_cannot_be_changed_through_its_forms(as_ana, client_record, signed_plan):
    plan, revision = signed_plan
    goal = revision.goals.get()
    as_ana.post(
        url("revision_edit", client_record, revision.pk),
        {**revision_form(presenting_problems="Changed"), "save": "1"},
    )
    response = as_ana.post(
        url("revision_edit", client_record, revision.pk),
        revision_form(presenting_problems="Changed"),
        HTTP_X_AUTOSAVE="1",
    )
    assert response.status_code == 409
    as_ana.post(url("goal_edit", client_record, goal.pk), {"text": "Changed"})
    as_ana.post(url("goal_delete", client_record, goal.pk))
    as_ana.post(url("goal_new", client_record, revision.pk), {"text": "Sneaked in"})
    as_ana.post(url("revision_delete", client_record, revision.pk))
    revision.refresh_from_db()
    assert revision.presenting_problems == "Worries when a partner is away."
    assert revision.is_signed
    assert [g.text for g in revision.goals.all()] == ["Feel steadier when apart"]


def test_a_signed_revision_cannot_be_changed_in_the_admin(client, signed_plan, django_user_model):
    _, revision = signed_plan
    admin = django_user_model.objects.create_superuser("root@test.example", "a-long-password-1")
    client.force_login(admin)
    response = client.post(
        reverse("admin:clients_planrevision_change", args=[revision.pk]),
        {"review_date": "2020-01-01"},
    )
    assert response.status_code == 403
    revision.refresh_from_db()
    assert revision.review_date != dt.date(2020, 1, 1)


def test_the_model_refuses_to_change_a_signed_revision_or_its_goals(signed_plan):
    _, revision = signed_plan
    goal = revision.goals.get()
    objective = goal.objectives.get()
    revision.presenting_problems = "Changed"
    for attempt in (revision.save, goal.delete, objective.delete):
        with pytest.raises(SignedRecordLocked), transaction.atomic():
            attempt()
    goal.text = "Changed"
    objective.progress = 99
    for attempt in (goal.save, objective.save):
        with pytest.raises(SignedRecordLocked), transaction.atomic():
            attempt()
    with pytest.raises(SignedRecordLocked):
        PlanRevision.objects.filter(pk=revision.pk).update(presenting_problems="Changed")
    with pytest.raises(SignedRecordLocked):
        PlanGoal.objects.create(revision=revision, text="Added later")
    assert PlanObjective.objects.get().progress == 25


# Revisions and the diff


def test_revising_a_signed_plan_copies_it_into_a_new_draft(as_ana, client_record, signed_plan):
    plan, first = signed_plan
    response = as_ana.post(url("plan_revise", client_record))
    second = PlanRevision.objects.get(number=2)
    assert response["Location"] == url("revision_edit", client_record, second.pk)
    assert second.status == PlanRevision.Status.DRAFT
    assert second.presenting_problems == first.presenting_problems
    assert second.review_date == first.review_date
    old_goal, new_goal = first.goals.get(), second.goals.get()
    assert new_goal.pk != old_goal.pk and new_goal.key == old_goal.key
    assert new_goal.objectives.get().key == old_goal.objectives.get().key
    # Asking again reuses the open draft, and only the revision made is in the trail.
    as_ana.post(url("plan_revise", client_record))
    assert PlanRevision.objects.count() == 2
    started = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_id=str(second.pk))
    assert [e.summary for e in started] == ["Treatment plan revision started"]


def test_the_compare_page_shows_what_changed(as_ana, client_record, signed_plan):
    plan, first = signed_plan
    second = plan_services.plan_revise(plan=plan, author=client_record.primary_therapist)
    plan_services.revision_save(
        revision=second, values={"presenting_problems": "Worries when a friend is away."}
    )
    goal = second.goals.get()
    goal.text = "Feel steadier when close people are apart"
    goal.save()
    objective = goal.objectives.get()
    objective.progress = 60
    objective.save()
    plan_services.goal_add(revision=second, text="Ask for needs directly")
    page = as_ana.get(
        url("plan_compare", client_record) + f"?a={first.pk}&b={second.pk}"
    ).content.decode()
    assert '<del><span class="visually-hidden">removed: </span>partner</del>' in page
    assert '<ins><span class="visually-hidden">added: </span>friend</ins>' in page
    assert "Ask for needs directly" in page
    assert '<ins><span class="visually-hidden">added: </span>60%</ins>' in page


def test_the_diff_matches_a_reworded_goal_by_its_key(client_record, signed_plan):
    plan, first = signed_plan
    second = plan_services.plan_revise(plan=plan, author=client_record.primary_therapist)
    goal = second.goals.get()
    goal.text = "Feel steadier when apart, most days"
    goal.save()
    sections = revision_diff(first, second)
    [section] = sections
    [change] = section.changes
    assert change.kind == "changed"
    assert [(s.op, s.text) for s in change.segments] == [
        ("same", "Feel steadier when"),
        ("removed", "apart"),
        ("added", "apart, most days"),
    ]
    assert revision_diff(first, first) == []


# Progress, sessions by goal, reviews


def test_objective_progress_is_shown_over_revisions(as_ana, client_record, signed_plan, ana):
    plan, first = signed_plan
    second = plan_services.plan_revise(plan=plan, author=ana)
    objective = second.goals.get().objectives.get()
    objective.progress = 70
    objective.save()
    plan_services.revision_sign(revision=second, user=ana)
    response = as_ana.get(url("plan_progress", client_record))
    [entry] = response.context["progress"]
    assert [p["progress"] for p in entry["points"]] == [25, 70]
    assert b"70%" in response.content


def test_the_plan_shows_which_sessions_worked_on_each_goal(as_ana, client_record, signed_plan):
    _, revision = signed_plan
    session = TherapySessionFactory(client=client_record, date=dt.date(2026, 3, 4))
    session.goals_addressed.add(revision.goals.get())
    page = as_ana.get(url("plan_detail", client_record)).content.decode()
    assert "4 Mar 2026" in page
    assert url("session_detail", client_record, session.pk) in page


def test_a_plan_past_its_review_date_shows_as_overdue(as_ana, client_record, signed_plan):
    plan, _ = signed_plan
    plan.review_date = timezone.localdate() - dt.timedelta(days=1)
    plan.save()
    assert plan.review_overdue
    assert b"Review overdue" in as_ana.get(url("plan_detail", client_record)).content
    page = as_ana.get(reverse("clients:client_detail", args=[client_record.pk]))
    assert b"Review overdue" in page.content


def test_a_draft_revision_can_be_discarded(as_ana, client_record, signed_plan):
    plan, _ = signed_plan
    draft = plan_services.plan_revise(plan=plan, author=client_record.primary_therapist)
    as_ana.post(url("revision_delete", client_record, draft.pk))
    assert list(PlanRevision.objects.values_list("number", flat=True)) == [1]


def test_starting_signing_and_revising_a_plan_are_audited(as_ana, client_record):
    from attachment_app.models import AuditEvent

    as_ana.post(url("plan_start", client_record))
    revision = PlanRevision.objects.get()
    as_ana.post(url("revision_edit", client_record, revision.pk), {**revision_form(), "sign": "1"})
    as_ana.post(url("revision_sign", client_record, revision.pk))
    as_ana.post(url("plan_revise", client_record))
    as_ana.get(url("plan_compare", client_record))
    rows = AuditEvent.objects.filter(client_id=client_record.pk)
    summaries = set(rows.values_list("summary", flat=True))
    assert {
        "Treatment plan draft started",
        "Plan signed",
        "Treatment plan revision started",
        "Treatment plan comparison",
    } <= summaries
    assert not rows.filter(summary__icontains="partner").exists()


def test_the_plan_page_of_a_client_without_a_plan_offers_to_start_one(as_ana, client_record):
    response = as_ana.get(reverse("clients:plan_detail", args=[client_record.pk]))
    assert response.status_code == 200
    assert reverse("clients:plan_start", args=[client_record.pk]) in response.content.decode()
