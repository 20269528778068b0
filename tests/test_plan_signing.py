"""Signing a plan revision never silently weakens it.

Agreement with the client carries forward while nothing they agreed to changes, and is
asked about otherwise; a review date already past is refused; signing shows what changes
(the word diff against the previous signed revision) before it locks.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clients.models import PlanIntervention, PlanObjective, PlanRevision
from clients.services import plans as plan_services
from tests.factories_sessions import plan_with_revision


def url(name, client_record, *args):
    return reverse(f"clients:{name}", args=[client_record.pk, *args])


AGREED_ON = dt.date(2026, 1, 5)


@pytest.fixture
def agreed_plan(client_record):
    """A signed revision the client agreed to in session."""
    plan, revision = plan_with_revision(client_record, signed=False)
    revision.client_participated = True
    revision.participation_date = AGREED_ON
    revision.change_wishes = "To feel calmer when apart."
    revision.save()
    plan_services.revision_sign(revision=revision, user=client_record.primary_therapist)
    return plan, revision


def revise(plan, client_record) -> PlanRevision:
    return plan_services.plan_revise(plan=plan, author=client_record.primary_therapist)


def test_a_new_revision_keeps_the_agreement_and_signs_agreed_when_nothing_agreed_changed(
    client_record, agreed_plan, ana
):
    plan, first = agreed_plan
    draft = revise(plan, client_record)
    assert draft.client_participated and draft.participation_date == AGREED_ON
    draft.strengths = "Curious."  # the clinician's part, not something the client agreed to
    draft.save()
    objective = PlanObjective.objects.get(goal__revision=draft)
    objective.progress = 60  # progress is kept current without voiding agreement
    objective.save()
    plan_services.revision_sign(revision=draft, user=ana)
    draft.refresh_from_db()
    assert draft.is_signed and draft.client_participated
    assert draft.participation_date == AGREED_ON


@pytest.mark.parametrize(
    "change",
    ["goal", "objective", "objective date", "intervention", "change wishes"],
)
def test_signing_asks_about_agreement_when_something_the_client_agreed_to_changed(
    client_record, agreed_plan, ana, change
):
    plan, _ = agreed_plan
    draft = revise(plan, client_record)
    goal = draft.goals.get()
    objective = goal.objectives.get()
    if change == "goal":
        goal.text = "Feel steadier, and say so"
        goal.save()
    elif change == "objective":
        objective.text = "Use a soothing practice daily"
        objective.save()
    elif change == "objective date":
        objective.target_date = timezone.localdate() + dt.timedelta(days=60)
        objective.save()
    elif change == "intervention":
        PlanIntervention.objects.create(goal=goal, technique="inner_child", description="Weekly")
    else:
        draft.change_wishes = "To feel calmer and to ask for what I need."
        draft.save()
    assert plan_services.agreement_needs_asking(
        revision=draft, previous=plan_services.previous_signed(draft)
    )
    with pytest.raises(ValidationError) as refused:
        plan_services.revision_sign(revision=draft, user=ana)
    assert "agreement" in refused.value.message_dict
    draft.refresh_from_db()
    assert not draft.is_signed


def test_the_answer_not_yet_signs_it_as_not_agreed_and_yes_records_the_new_date(
    client_record, agreed_plan, ana
):
    plan, _ = agreed_plan
    draft = revise(plan, client_record)
    draft.change_wishes = "Something new."
    draft.save()
    plan_services.revision_sign(revision=draft, user=ana, agreement=plan_services.Agreement.NOT_YET)
    draft.refresh_from_db()
    assert draft.is_signed and not draft.client_participated and draft.participation_date is None

    third = revise(plan, client_record)
    assert not third.client_participated  # nothing to carry
    third.client_participated, third.participation_date = True, timezone.localdate()
    third.save()
    plan_services.revision_sign(revision=third, user=ana)  # a fresh agreement needs no asking
    third.refresh_from_db()
    assert third.client_participated


def test_agreed_again_needs_the_day_it_was_agreed(client_record, agreed_plan, ana):
    plan, _ = agreed_plan
    draft = revise(plan, client_record)
    draft.change_wishes = "Something new."
    draft.save()
    with pytest.raises(ValidationError):
        plan_services.revision_sign(
            revision=draft, user=ana, agreement=plan_services.Agreement.AGREED_AGAIN
        )
    today = timezone.localdate()
    plan_services.revision_sign(
        revision=draft, user=ana, agreement=plan_services.Agreement.AGREED_AGAIN, agreed_on=today
    )
    draft.refresh_from_db()
    assert draft.client_participated and draft.participation_date == today


def test_a_review_date_already_past_is_refused_at_signing(client_record, ana):
    plan, revision = plan_with_revision(client_record, signed=False)
    revision.review_date = timezone.localdate() - dt.timedelta(days=1)
    revision.save()
    with pytest.raises(ValidationError) as refused:
        plan_services.revision_sign(revision=revision, user=ana)
    assert "review_date" in refused.value.message_dict
    revision.refresh_from_db()
    assert not revision.is_signed


def test_the_edit_page_refuses_a_past_review_date_beside_the_field(as_ana, client_record):
    from tests.test_plans import revision_form

    _, revision = plan_with_revision(client_record, signed=False)
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    response = as_ana.post(
        url("revision_edit", client_record, revision.pk),
        {**revision_form(review_date=past, strengths="Kept text"), "sign": "1"},
    )
    assert response.status_code == 400
    assert "already passed" in response.context["form"].errors["review_date"][0]
    assert "Kept text" in response.content.decode()


def test_a_crafted_post_to_the_confirmation_cannot_sign_past_the_review_date(as_ana, client_record):
    _, revision = plan_with_revision(client_record, signed=False)
    revision.review_date = timezone.localdate() - dt.timedelta(days=1)
    revision.save()
    page = as_ana.get(url("revision_sign", client_record, revision.pk)).content.decode()
    assert "has already passed" in page and "Sign and lock" not in page
    response = as_ana.post(url("revision_sign", client_record, revision.pk))
    assert response.status_code == 400
    revision.refresh_from_db()
    assert not revision.is_signed


def test_the_confirmation_shows_the_word_diff_before_it_locks(as_ana, client_record, agreed_plan):
    plan, _ = agreed_plan
    draft = revise(plan, client_record)
    goal = draft.goals.get()
    goal.text = "Feel steadier when a partner is away"
    goal.save()
    response = as_ana.get(url("revision_sign", client_record, draft.pk))
    page = response.content.decode()
    assert "What changes from revision 1" in page
    assert '<ins><span class="visually-hidden">added: </span>a partner is away</ins>' in page
    assert "Has the client agreed to this revision?" in page
    draft.refresh_from_db()
    assert not draft.is_signed  # looking does not sign


def test_the_confirmation_asks_and_a_missing_answer_keeps_the_draft(
    as_ana, client_record, agreed_plan
):
    plan, _ = agreed_plan
    draft = revise(plan, client_record)
    draft.change_wishes = "Something new."
    draft.save()
    sign = url("revision_sign", client_record, draft.pk)
    response = as_ana.post(sign, {})
    assert response.status_code == 400
    assert "Say whether the client has agreed" in response.content.decode()
    response = as_ana.post(sign, {"agreement": "not_yet"})
    assert response["Location"] == url("plan_detail", client_record)
    draft.refresh_from_db()
    assert draft.is_signed and not draft.client_participated


def test_the_confirmation_says_when_the_agreement_carries_forward(
    as_ana, client_record, agreed_plan
):
    plan, _ = agreed_plan
    draft = revise(plan, client_record)
    page = as_ana.get(url("revision_sign", client_record, draft.pk)).content.decode()
    assert "the agreement carries forward" in page
    assert "Has the client agreed" not in page
