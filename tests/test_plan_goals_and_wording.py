"""The treatment plan in a therapist's hands: goals edited together on one page (without
JavaScript), English wording, the plan's own export button."""

import re

import pytest
from django.urls import reverse

from attachment_app.models import AuditEvent
from clients.models import PlanGoal, PlanIntervention, PlanRevision
from clients.plan_diff import revision_diff
from clients.selectors.plans import full_revision
from tests.factories_sessions import plan_with_revision

pytestmark = pytest.mark.django_db


def url(name, client_record, *args):
    return reverse(f"clients:{name}", args=[client_record.pk, *args])


def goals_post(revision, rows: list[tuple[PlanGoal, str, bool]], **extra) -> dict:
    """The goals page's form as a browser without JavaScript would send it."""
    data = {
        "goals-TOTAL_FORMS": str(len(rows)),
        "goals-INITIAL_FORMS": str(len(rows)),
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "1000",
        "new-text": "",
    }
    for i, (goal, text, remove) in enumerate(rows):
        data[f"goals-{i}-id"] = str(goal.pk)
        data[f"goals-{i}-text"] = text
        if remove:
            data[f"goals-{i}-DELETE"] = "on"
    data.update(extra)
    return data


@pytest.fixture
def draft(client_record):
    _, revision = plan_with_revision(
        client_record, signed=False, goals=("Feel steadier", "Ask for help", "Rest")
    )
    return revision


def ordered(revision) -> list[str]:
    return list(revision.goals.order_by("order").values_list("text", flat=True))


def test_goals_are_edited_reordered_removed_and_added_on_one_page(as_ana, client_record, draft):
    steadier, ask, rest = draft.goals.order_by("order")
    page_url = url("plan_goals", client_record, draft.pk)
    page = as_ana.get(page_url).content.decode()
    assert page.count('name="move_up"') == 2 and page.count('name="move_down"') == 2

    # Move "Ask for help" up, with a changed wording saved in the same press.
    response = as_ana.post(
        page_url,
        goals_post(
            draft,
            [
                (steadier, "Feel steadier", False),
                (ask, "Ask for help early", False),
                (rest, "Rest", False),
            ],
            move_up=str(ask.pk),
        ),
    )
    assert response.status_code == 302
    assert ordered(draft) == ["Ask for help early", "Feel steadier", "Rest"]

    # Remove one and add one, then return to the draft.
    ask.refresh_from_db()
    steadier.refresh_from_db()
    response = as_ana.post(
        page_url,
        goals_post(
            draft,
            [
                (ask, "Ask for help early", False),
                (steadier, "Feel steadier", False),
                (rest, "Rest", True),
            ],
            **{"new-text": "Sleep through the night", "done": ""},
        ),
    )
    assert response["Location"] == url("revision_edit", client_record, draft.pk)
    assert ordered(draft) == ["Ask for help early", "Feel steadier", "Sleep through the night"]
    assert (
        AuditEvent.objects.filter(
            client_id=client_record.pk, action="change", summary="Plan goals edited"
        ).count()
        == 2
    )


def test_the_goals_page_has_no_blank_required_rows(as_ana, client_record, draft):
    page = as_ana.get(url("plan_goals", client_record, draft.pk)).content.decode()
    management = re.search(r'<input[^>]*name="goals-TOTAL_FORMS"[^>]*>', page).group(0)
    assert 'value="3"' in management  # one row per goal, no blank extra row
    assert " required" not in page.split('id="goals"', 1)[1]
    # Saving with the new-goal field left empty adds nothing.
    goals = list(draft.goals.order_by("order"))
    as_ana.post(
        url("plan_goals", client_record, draft.pk),
        goals_post(draft, [(g, g.text, False) for g in goals], done=""),
    )
    assert draft.goals.count() == 3


def test_a_goal_emptied_by_mistake_is_explained_and_nothing_typed_is_lost(
    as_ana, client_record, draft
):
    goals = list(draft.goals.order_by("order"))
    response = as_ana.post(
        url("plan_goals", client_record, draft.pk),
        goals_post(
            draft,
            [
                (goals[0], "", False),
                (goals[1], "Ask for help, kindly", False),
                (goals[2], "Rest", False),
            ],
            **{"new-text": "A new one", "done": ""},
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Write the goal, or tick “Remove”." in page
    assert "Ask for help, kindly" in page and "A new one" in page
    assert ordered(draft) == ["Feel steadier", "Ask for help", "Rest"]


def test_a_signed_revisions_goals_cannot_be_edited(as_ana, client_record):
    _, revision = plan_with_revision(client_record, signed=True)
    goal = revision.goals.get()
    response = as_ana.post(
        url("plan_goals", client_record, revision.pk),
        goals_post(revision, [(goal, "Changed", False)], done=""),
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.text == "Feel steadier when apart"


def test_starting_points_read_as_english(as_ana, client_record, draft):
    for style, words in (
        ("avoidant", "Starting points for an avoidant working hypothesis"),
        ("anxious", "Starting points for an anxious working hypothesis"),
        ("secure", "Starting points for a secure working hypothesis"),
        ("not_yet_clear", "Starting points while the working hypothesis is not yet clear"),
    ):
        PlanRevision.objects.filter(pk=draft.pk).update(style_hypothesis=style)
        page = as_ana.get(url("revision_edit", client_record, draft.pk)).content.decode()
        assert words in " ".join(page.split())
        assert " a avoidant" not in page and " a anxious" not in page


def test_an_other_technique_is_named_by_its_description_not_other_named(
    as_ana, client_record, draft
):
    goal = draft.goals.order_by("order").first()
    PlanIntervention.objects.create(
        goal=goal, technique="other", description="Journalling", frequency="weekly"
    )
    PlanIntervention.objects.create(
        goal=goal, technique="inner_child", description="A letter to the younger self"
    )
    page = as_ana.get(url("revision_detail", client_record, draft.pk)).content.decode()
    assert "Journalling (weekly)" in page
    assert "Inner child work: A letter to the younger self" in page
    assert "Other (named)" not in page
    before = full_revision(draft.pk)
    text = str(revision_diff(before, before))
    assert "Other (named)" not in text


def test_the_plan_page_has_its_own_export_button(as_ana, client_record):
    plan_with_revision(client_record)
    page = as_ana.get(url("plan_detail", client_record)).content.decode()
    form = re.search(r'<form[^>]*class="plan-export".*?</form>', page, re.S).group(0)
    assert reverse("clients:export_create", args=[client_record.pk]) in form
    assert 'name="kind" value="treatment_plan"' in form
    assert "Export the plan (PDF)" in form
