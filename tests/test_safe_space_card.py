"""The grounding card says who the client can call, and its button is honest about when
a card can be prepared."""

import re

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from attachment_app.models import Clinic
from clients.exports.services import export_request, export_run
from clients.models import ExportJob
from exercises.models import SafeSpacePlan
from tests.factories import UserFactory
from tests.factories_exercises import SafeSpacePlanFactory
from tests.pdfcheck import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]
CRISIS = "Crisis line 0800 111 222, any time"


def card_text(plan, by) -> str:
    job = export_request(
        kind="safe_space_card", client=plan.client, by=by, params={"plan_id": str(plan.pk)}
    )
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    with job.file.open("rb") as handle:
        return pdf_text(handle.read())


def test_the_card_lists_who_i_can_call_the_clients_people_and_the_clinics_crisis_line(
    client_record, ana, clinic
):
    clinic.crisis_line = CRISIS
    clinic.save()
    plan = SafeSpacePlanFactory(
        client=client_record, cue_word="Harbour", people_to_call="My sister Jo 07700 900123\nAlex"
    )
    text = card_text(plan, ana)
    assert "Who I can call" in text
    assert "My sister Jo 07700 900123" in text and "Alex" in text
    assert CRISIS in text
    assert "produced" not in text.lower()  # the client's card, not a records-office document


def test_the_plan_page_and_the_quick_panel_show_who_to_call(as_ana, client_record, clinic):
    clinic.crisis_line = CRISIS
    clinic.save()
    as_ana.post(
        reverse("exercises:safe_space_new", args=[client_record.pk]),
        {"kind": "place", "name": "The garden", "people_to_call": "Grandma Rose"},
    )
    plan = SafeSpacePlan.objects.get()
    assert plan.people_to_call == "Grandma Rose"
    for url in (
        plan.get_absolute_url(),
        reverse("exercises:safe_space_quick", args=[client_record.pk]),
    ):
        page = as_ana.get(url).content.decode()
        assert "Who I can call" in page and "Grandma Rose" in page and CRISIS in page


def test_the_clinic_admin_page_edits_the_crisis_line(clinic):
    superuser = UserFactory(clinic=clinic, is_staff=True, is_superuser=True)
    request = RequestFactory().get("/")
    request.user = superuser
    form = admin.site._registry[Clinic].get_form(request, clinic)
    assert "crisis_line" in form.base_fields


def prepare_button(page: str) -> str:
    return re.search(
        r'<input type="hidden" name="kind" value="safe_space_card">.*?</button>', page, re.S
    ).group(0)


def test_a_card_with_nothing_to_say_is_not_offered_as_if_it_were_ready(as_ana, client_record):
    plan = SafeSpacePlanFactory(client=client_record)  # a name and nothing else
    page = as_ana.get(plan.get_absolute_url()).content.decode()
    assert "disabled" in prepare_button(page)
    assert "Add a cue word, an anchor, a technique or someone to call first." in page
    plan.cue_word = "Harbour"
    plan.save()
    page = as_ana.get(plan.get_absolute_url()).content.decode()
    assert "disabled" not in prepare_button(page)
