import pytest
from django.urls import reverse

from attachment_app.models import AuditEvent
from clients.models import Client, ClientAssignment
from clients.services.caseload import CapacityExceeded, client_assign, clients_bulk_assign
from tests.factories import ClientFactory, UserFactory


@pytest.fixture
def as_dee(client, dee):
    client.force_login(dee)
    return client


@pytest.fixture
def waiting(clinic):
    return Client.objects.create(
        clinic=clinic, legal_first_name="Wren", legal_last_name="Waiting", status="waitlist"
    )


def assign_url(client) -> str:
    return reverse("clients:client_assign", args=[client.pk])


def fill(therapist, n: int) -> None:
    for _ in range(n):
        ClientFactory(primary_therapist=therapist, status="active")


class TestService:
    def test_assigning_from_the_waitlist_makes_the_client_active(self, dee, ana, waiting):
        client_assign(client=waiting, therapist=ana, by=dee, reason="Good fit")
        waiting.refresh_from_db()
        assert (waiting.status, waiting.primary_therapist) == ("active", ana)
        period = ClientAssignment.objects.get(client=waiting)
        assert (period.therapist, period.assigned_by, period.reason, period.ended_at) == (
            ana,
            dee,
            "Good fit",
            None,
        )

    def test_reassigning_closes_the_previous_period_with_the_reason(self, dee, ana, ben, waiting):
        client_assign(client=waiting, therapist=ana, by=dee, reason="")
        client_assign(client=waiting, therapist=ben, by=dee, reason="Ana's hours changed")
        old, new = ClientAssignment.objects.filter(client=waiting).order_by("id")
        assert old.ended_at is not None
        assert (old.end_reason, old.ended_by) == ("Ana's hours changed", dee)
        assert (new.therapist, new.ended_at) == (ben, None)

    def test_passing_capacity_needs_an_explicit_yes(self, dee, ana, waiting):
        ana.caseload_capacity = 2
        ana.save()
        fill(ana, 2)
        with pytest.raises(CapacityExceeded) as exc:
            client_assign(client=waiting, therapist=ana, by=dee, reason="")
        assert (exc.value.load.active, exc.value.load.after, exc.value.load.over_by) == (2, 3, 1)
        waiting.refresh_from_db()
        assert waiting.primary_therapist is None
        client_assign(client=waiting, therapist=ana, by=dee, reason="", allow_over_capacity=True)
        assert Client.objects.filter(primary_therapist=ana, status="active").count() == 3

    def test_a_therapist_of_another_clinic_is_refused(self, dee, olivia, waiting):
        with pytest.raises(ValueError):
            client_assign(client=waiting, therapist=olivia, by=dee, reason="")

    def test_bulk_assignment_counts_every_client_against_capacity(self, dee, ana, clinic):
        ana.caseload_capacity = 3
        ana.save()
        fill(ana, 1)
        clients = [
            Client.objects.create(clinic=clinic, legal_first_name=f"W{i}", legal_last_name="X")
            for i in range(3)
        ]
        with pytest.raises(CapacityExceeded):
            clients_bulk_assign(clients=clients, therapist=ana, by=dee, reason="")
        assert clients_bulk_assign(clients=clients[:2], therapist=ana, by=dee, reason="") == 2


class TestAssignPage:
    def test_the_admin_assigns_from_the_waitlist(self, as_dee, ana, waiting):
        response = as_dee.post(assign_url(waiting), {"therapist": ana.pk, "reason": "Fit"})
        assert response.status_code == 302
        waiting.refresh_from_db()
        assert waiting.primary_therapist == ana
        event = AuditEvent.objects.get(client_id=waiting.pk, action="assign")
        assert event.summary == f"Assigned to {ana}"

    def test_reassigning_needs_a_reason(self, as_dee, ben, client_record):
        response = as_dee.post(assign_url(client_record), {"therapist": ben.pk})
        assert response.status_code == 200
        assert "reason" in response.context["form"].errors
        client_record.refresh_from_db()
        assert client_record.primary_therapist.email == "ana@test.example"

    def test_over_capacity_warns_and_changes_nothing_until_confirmed(self, as_dee, ana, waiting):
        ana.caseload_capacity = 1
        ana.save()
        fill(ana, 1)
        response = as_dee.post(assign_url(waiting), {"therapist": ana.pk, "reason": "Fit"})
        assert response.status_code == 200
        content = response.content.decode()
        assert "Over capacity: please confirm" in content
        assert "Assign anyway" in content
        assert f'name="confirm_over_capacity" value="{ana.pk}"' in content
        assert 'value="Fit"' in content
        waiting.refresh_from_db()
        assert waiting.primary_therapist is None

        response = as_dee.post(
            assign_url(waiting),
            {"therapist": ana.pk, "reason": "Fit", "confirm_over_capacity": str(ana.pk)},
        )
        assert response.status_code == 302
        waiting.refresh_from_db()
        assert waiting.primary_therapist == ana

    def test_a_confirmation_for_one_therapist_does_not_cover_another(
        self, as_dee, ana, ben, waiting
    ):
        ben.caseload_capacity = 0
        ben.save()
        response = as_dee.post(
            assign_url(waiting), {"therapist": ben.pk, "confirm_over_capacity": str(ana.pk)}
        )
        assert response.status_code == 200
        assert response.context["over"].therapist == ben

    def test_a_therapist_cannot_reassign_their_own_client(self, as_ana, ben, client_record):
        response = as_ana.post(assign_url(client_record), {"therapist": ben.pk, "reason": "x"})
        assert response.status_code == 403
        client_record.refresh_from_db()
        assert client_record.primary_therapist.email == "ana@test.example"

    def test_unassigning_leaves_the_client_for_the_caseload(self, as_dee, ana, client_record):
        ClientAssignment.objects.create(client=client_record, therapist=ana)
        response = as_dee.post(
            reverse("clients:client_unassign", args=[client_record.pk]), {"reason": "Leaving"}
        )
        assert response.status_code == 302
        client_record.refresh_from_db()
        assert client_record.primary_therapist is None
        period = client_record.assignments.get()
        assert (period.end_reason, period.ended_at is not None) == ("Leaving", True)
        unassigned = as_dee.get(reverse("clients:caseload") + "?needs=unassigned")
        assert client_record in unassigned.context["page"].object_list


class TestBulk:
    URL = reverse("clients:caseload_bulk")

    def test_several_clients_are_assigned_at_once(self, as_dee, ana, clinic):
        clients = [
            Client.objects.create(clinic=clinic, legal_first_name=f"W{i}", legal_last_name="X")
            for i in range(3)
        ]
        response = as_dee.post(
            self.URL,
            {
                "clients": [c.pk for c in clients],
                "action": "assign",
                "therapist": ana.pk,
                "return_query": "status=waitlist",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("clients:caseload") + "?status=waitlist"
        assert Client.objects.filter(primary_therapist=ana, status="active").count() == 3
        assert AuditEvent.objects.filter(action="assign").count() == 3

    def test_bulk_assignment_past_capacity_asks_first(self, as_dee, ana, clinic):
        ana.caseload_capacity = 1
        ana.save()
        clients = [
            Client.objects.create(clinic=clinic, legal_first_name=f"W{i}", legal_last_name="X")
            for i in range(2)
        ]
        data = {"clients": [c.pk for c in clients], "action": "assign", "therapist": ana.pk}
        response = as_dee.post(self.URL, data)
        assert response.status_code == 200
        assert "Over capacity" in response.content.decode()
        assert not Client.objects.filter(primary_therapist=ana).exists()
        response = as_dee.post(self.URL, {**data, "confirm_over_capacity": ana.pk})
        assert response.status_code == 302
        assert Client.objects.filter(primary_therapist=ana).count() == 2

    def test_a_bulk_status_change_needs_a_reason(self, as_dee, client_record):
        data = {"clients": [client_record.pk], "action": "status", "status": "paused"}
        assert as_dee.post(self.URL, data).status_code == 200
        client_record.refresh_from_db()
        assert client_record.status == "active"
        assert as_dee.post(self.URL, {**data, "reason": "Break"}).status_code == 302
        client_record.refresh_from_db()
        assert client_record.status == "paused"

    def test_the_return_address_is_only_ever_the_caseload(self, as_dee, client_record):
        response = as_dee.post(
            self.URL,
            {
                "clients": [client_record.pk],
                "action": "status",
                "status": "paused",
                "reason": "x",
                "return_query": "//evil.example/",
            },
        )
        assert response["Location"].startswith(reverse("clients:caseload") + "?")

    def test_an_inactive_therapist_cannot_be_chosen(self, as_dee, clinic, waiting):
        gone = UserFactory(clinic=clinic, is_active=False)
        response = as_dee.post(
            self.URL, {"clients": [waiting.pk], "action": "assign", "therapist": gone.pk}
        )
        assert "therapist" in response.context["form"].errors


def test_a_client_never_has_two_open_assignments(ana, ben, client_record):
    from django.db import IntegrityError, transaction

    ClientAssignment.objects.create(client=client_record, therapist=ana)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientAssignment.objects.create(client=client_record, therapist=ben)
