"""Safe-space plans, the practice log, and the one-click panel on every client page."""

import pytest
from django.urls import reverse

from exercises.models import SafeSpacePlan, SafeSpacePractice
from tests.factories_exercises import SafeSpacePlanFactory, TherapySessionFactory

pytestmark = pytest.mark.django_db


def plan_data(**extra):
    data = {"kind": "place", "name": "The garden", "techniques": ["feet_on_floor"]}
    data.update(extra)
    return data


def test_a_plan_is_created_edited_and_linked_to_a_session(as_ana, client_record):
    session = TherapySessionFactory(client=client_record)
    as_ana.post(
        reverse("exercises:safe_space_new", args=[client_record.pk]),
        plan_data(session=session.pk, smelled="Cut grass", own_techniques="Count the tiles"),
    )
    plan = SafeSpacePlan.objects.get()
    assert plan.session == session and plan.techniques == ["feet_on_floor"]
    as_ana.post(
        reverse("exercises:safe_space_edit", args=[client_record.pk, plan.pk]),
        plan_data(cue_word="Bloom", techniques=["paced_breathing", "54321"]),
    )
    plan.refresh_from_db()
    assert plan.cue_word == "Bloom" and plan.session is None
    names = [name for name, _ in plan.technique_list()]
    assert names == ["Paced breathing", "5-4-3-2-1 senses"]


def test_an_unknown_technique_is_refused(as_ana, client_record):
    response = as_ana.post(
        reverse("exercises:safe_space_new", args=[client_record.pk]),
        plan_data(techniques=["hypnosis"]),
    )
    assert response.status_code == 200
    assert not SafeSpacePlan.objects.exists()


def test_practice_is_logged_and_charted_and_bad_distress_is_refused(as_ana, client_record):
    plan = SafeSpacePlanFactory(client=client_record)
    url = reverse("exercises:practice_add", args=[client_record.pk, plan.pk])
    as_ana.post(url, {"date": "2026-02-01", "distress_before": 8, "distress_after": 4})
    as_ana.post(url, {"date": "2026-02-08", "distress_before": 6, "distress_after": 2})
    bad = as_ana.post(url, {"date": "2026-02-09", "distress_before": 11, "distress_after": 2})
    assert bad.status_code == 400
    assert "less than or equal to 10" in bad.content.decode()
    assert SafeSpacePractice.objects.count() == 2
    page = as_ana.get(plan.get_absolute_url()).content.decode()
    assert 'class="line-chart"' in page and "Distress before" in page


def test_the_client_page_offers_the_safe_space_in_one_click(as_ana, client_record):
    SafeSpacePlanFactory(client=client_record, cue_word="Harbour")
    page = as_ana.get(reverse("clients:client_detail", args=[client_record.pk])).content.decode()
    assert 'data-bs-target="#safe-space-panel"' in page
    quick = reverse("exercises:safe_space_quick", args=[client_record.pk])
    assert quick in page
    panel = as_ana.get(quick).content.decode()
    assert "Harbour" in panel and "Grounding techniques" in panel


def test_the_clinic_admin_sees_no_safe_space_button_nor_exercises(client, dee, client_record):
    client.force_login(dee)
    page = client.get(reverse("clients:client_detail", args=[client_record.pk])).content.decode()
    assert "safe-space-panel" not in page
    assert "exercises-heading" not in page
    assert (
        client.get(reverse("exercises:safe_space_quick", args=[client_record.pk])).status_code
        == 404
    )


def test_the_safe_space_is_a_fragment_for_htmx_and_a_whole_page_for_a_plain_visit(
    as_ana, client_record
):
    SafeSpacePlanFactory(client=client_record, cue_word="Harbour")
    quick = reverse("exercises:safe_space_quick", args=[client_record.pk])
    fragment = as_ana.get(quick, HTTP_HX_REQUEST="true").content.decode()
    assert "Harbour" in fragment and "<html" not in fragment
    page = as_ana.get(quick).content.decode()
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "Harbour" in page and "<h1" in page and "<title>" in page
