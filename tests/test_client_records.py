import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from attachment_app.models import AuditEvent
from clients.models import Client, ClientAssignment, ClientStatusChange


@pytest.fixture
def as_dee(client, dee):
    client.force_login(dee)
    return client


NEW = {
    "legal_first_name": "Jamie",
    "legal_last_name": "Fictional",
    "intake_date": "2026-01-05",
    "pronouns": "they/them",
}


def url(name: str, client_record) -> str:
    return reverse(f"clients:{name}", args=[client_record.pk])


class TestCreate:
    def test_an_admin_adds_a_client_to_the_waitlist(self, as_dee, dee):
        response = as_dee.post(reverse("clients:client_new"), NEW)
        client = Client.objects.get(legal_first_name="Jamie")
        assert response.status_code == 302
        assert (client.status, client.primary_therapist, client.clinic) == (
            "waitlist",
            None,
            dee.clinic,
        )
        assert client.status_changes.get().to_status == "waitlist"
        assert AuditEvent.objects.filter(client_id=client.pk, action="create").count() == 1

    def test_an_admin_adds_a_client_and_assigns_them_at_once(self, as_dee, ana):
        as_dee.post(reverse("clients:client_new"), {**NEW, "therapist": ana.pk})
        client = Client.objects.get(legal_first_name="Jamie")
        assert (client.status, client.primary_therapist) == ("active", ana)
        assert client.assignments.get().therapist == ana
        assert [c.to_status for c in client.status_changes.order_by("id")] == [
            "waitlist",
            "active",
        ]

    def test_a_therapist_adds_a_client_to_their_own_caseload(self, as_ana, ana, ben):
        as_ana.post(reverse("clients:client_new"), {**NEW, "therapist": ben.pk})
        client = Client.objects.get(legal_first_name="Jamie")
        assert (client.status, client.primary_therapist) == ("active", ana)

    def test_a_rejected_form_keeps_what_was_typed_with_the_error_beside_the_field(self, as_dee):
        future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
        response = as_dee.post(
            reverse("clients:client_new"),
            {**NEW, "date_of_birth": future, "email": "not-an-email"},
        )
        assert response.status_code == 200
        assert not Client.objects.exists()
        content = response.content.decode()
        assert 'value="Jamie"' in content
        assert "cannot be in the future" in content
        assert "Enter a valid email address." in content
        assert response.context["form"].errors.keys() == {"date_of_birth", "email"}


class TestRecordAndClinicalContent:
    def test_an_admin_sees_the_record_but_not_the_clinical_background(self, as_dee, client_record):
        client_record.presenting_concerns = "CLINICAL-WORDS"
        client_record.save()
        content = as_dee.get(url("client_detail", client_record)).content.decode()
        assert "Robin Example" in content
        assert "CLINICAL-WORDS" not in content
        assert "Clinical background" not in content

    def test_the_assigned_therapist_sees_the_clinical_background(self, as_ana, client_record):
        client_record.presenting_concerns = "CLINICAL-WORDS"
        client_record.save()
        assert "CLINICAL-WORDS" in as_ana.get(url("client_detail", client_record)).content.decode()

    def test_an_admin_cannot_open_the_clinical_form(self, as_dee, client_record):
        assert as_dee.get(url("client_clinical_edit", client_record)).status_code == 404
        response = as_dee.post(
            url("client_clinical_edit", client_record), {"presenting_concerns": "x"}
        )
        assert response.status_code == 404

    def test_an_admin_edits_demographics(self, as_dee, client_record):
        data = {**NEW, "legal_first_name": "Robyn", "legal_last_name": "Example"}
        assert as_dee.post(url("client_edit", client_record), data).status_code == 302
        client_record.refresh_from_db()
        assert client_record.legal_first_name == "Robyn"
        event = AuditEvent.objects.get(action="change", client_id=client_record.pk)
        assert "Legal first name" in event.summary

    def test_the_record_form_has_no_clinical_fields(self, as_dee, client_record):
        form = as_dee.get(url("client_edit", client_record)).context["form"]
        assert "presenting_concerns" not in form.fields
        assert "childhood_history" not in form.fields
        assert "attachment_hypothesis" not in form.fields

    def test_the_therapist_records_a_dated_hypothesis(self, as_ana, client_record):
        data = {"attachment_hypothesis": "anxious", "presenting_concerns": "Worries."}
        assert as_ana.post(url("client_clinical_edit", client_record), data).status_code == 302
        client_record.refresh_from_db()
        assert client_record.attachment_hypothesis == "anxious"
        assert client_record.attachment_hypothesis_date == timezone.localdate()
        event = AuditEvent.objects.get(action="change", client_id=client_record.pk)
        assert "Worries" not in event.summary

    @pytest.mark.parametrize(
        "name", ["client_detail", "client_edit", "client_clinical_edit", "client_status"]
    )
    def test_every_view_of_the_record_writes_exactly_one_audit_row(
        self, as_ana, ana, client_record, name
    ):
        assert as_ana.get(url(name, client_record)).status_code == 200
        event = AuditEvent.objects.get(client_id=client_record.pk)
        assert (event.actor, event.action) == (ana, "view")

    @pytest.mark.parametrize(
        "name",
        ["client_detail", "client_edit", "client_status", "client_assign", "client_unassign"],
    )
    def test_every_view_by_the_admin_writes_exactly_one_audit_row(
        self, as_dee, dee, client_record, name
    ):
        assert as_dee.get(url(name, client_record)).status_code == 200
        event = AuditEvent.objects.get(client_id=client_record.pk)
        assert (event.actor, event.action) == (dee, "view")


class TestStatus:
    def test_a_status_change_keeps_a_dated_reason(self, as_ana, ana, client_record):
        response = as_ana.post(
            url("client_status", client_record), {"status": "paused", "reason": "Travelling"}
        )
        assert response.status_code == 302
        client_record.refresh_from_db()
        assert client_record.status == "paused"
        change = ClientStatusChange.objects.get(client=client_record)
        assert (change.from_status, change.to_status, change.reason, change.changed_by) == (
            "active",
            "paused",
            "Travelling",
            ana,
        )
        assert change.changed_at.date() == timezone.now().date()

    def test_a_status_change_needs_a_reason(self, as_ana, client_record):
        response = as_ana.post(url("client_status", client_record), {"status": "paused"})
        assert response.status_code == 200
        assert "reason" in response.context["form"].errors
        client_record.refresh_from_db()
        assert client_record.status == "active"

    def test_the_current_status_is_not_offered(self, as_ana, client_record):
        form = as_ana.get(url("client_status", client_record)).context["form"]
        assert "active" not in dict(form.fields["status"].choices)

    def test_the_history_shows_on_the_record(self, as_dee, dee, client_record):
        as_dee.post(
            url("client_status", client_record), {"status": "paused", "reason": "Completed"}
        )
        content = as_dee.get(url("client_detail", client_record)).content.decode()
        assert "Completed" in content
        assert ClientAssignment.objects.filter(client=client_record).count() == 0


def test_returning_a_client_to_the_waitlist_ends_the_assignment(as_ana, ana, client_record):
    ClientAssignment.objects.create(client=client_record, therapist=ana)
    response = as_ana.post(
        url("client_status", client_record), {"status": "waitlist", "reason": "Needs a later slot"}
    )
    assert response["Location"] == reverse("clients:home")
    client_record.refresh_from_db()
    assert (client_record.status, client_record.primary_therapist) == ("waitlist", None)
    period = client_record.assignments.get()
    assert period.ended_at is not None
    assert period.end_reason == "Needs a later slot"
