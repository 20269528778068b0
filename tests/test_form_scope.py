"""An id outside the user's scope, posted into any form field, fails validation.

Each case posts to the real page as Dee (admin of Demo Clinic) with one field
pointing at something of Other Clinic, a deactivated account or someone who is
not a therapist, and checks the field's error and that nothing changed.
"""

import pytest
from django.urls import reverse

from clients.models import Client, ClientAssignment
from tests.factories import ClientFactory, UserFactory


@pytest.fixture
def as_dee(client, dee):
    client.force_login(dee)
    return client


@pytest.fixture
def outsiders(olivia, clinic, dee):
    return {
        "other_clinic_therapist": olivia,
        "other_clinic_client": ClientFactory(primary_therapist=olivia),
        "deactivated_therapist": UserFactory(clinic=clinic, is_active=False),
        "not_a_therapist": dee,
    }


def snapshot():
    return (
        list(Client.objects.values_list("pk", "primary_therapist_id", "status").order_by("pk")),
        ClientAssignment.objects.count(),
    )


THERAPISTS = ["other_clinic_therapist", "deactivated_therapist", "not_a_therapist"]


@pytest.mark.parametrize("who", THERAPISTS)
def test_assign_refuses_a_therapist_out_of_scope(as_dee, client_record, outsiders, who):
    before = snapshot()
    response = as_dee.post(
        reverse("clients:client_assign", args=[client_record.pk]),
        {"therapist": outsiders[who].pk, "reason": "x"},
    )
    assert "therapist" in response.context["form"].errors
    assert snapshot() == before


@pytest.mark.parametrize("who", THERAPISTS)
def test_new_client_refuses_a_therapist_out_of_scope(as_dee, outsiders, who):
    before = snapshot()
    response = as_dee.post(
        reverse("clients:client_new"),
        {"legal_first_name": "A", "legal_last_name": "B", "therapist": outsiders[who].pk},
    )
    assert "therapist" in response.context["form"].errors
    assert snapshot() == before


@pytest.mark.parametrize("who", THERAPISTS)
def test_bulk_refuses_a_therapist_out_of_scope(as_dee, client_record, outsiders, who):
    before = snapshot()
    response = as_dee.post(
        reverse("clients:caseload_bulk"),
        {"clients": [client_record.pk], "action": "assign", "therapist": outsiders[who].pk},
    )
    assert "therapist" in response.context["form"].errors
    assert snapshot() == before


def test_bulk_refuses_a_client_of_another_clinic(as_dee, ana, client_record, outsiders):
    before = snapshot()
    response = as_dee.post(
        reverse("clients:caseload_bulk"),
        {
            "clients": [client_record.pk, outsiders["other_clinic_client"].pk],
            "action": "status",
            "status": "paused",
            "reason": "x",
        },
    )
    assert "clients" in response.context["form"].errors
    assert snapshot() == before
    # The outsider's name is not echoed back either.
    assert outsiders["other_clinic_client"].legal_first_name not in response.content.decode()


def test_a_therapist_cannot_bulk_act_at_all(as_ana, client_record):
    response = as_ana.post(
        reverse("clients:caseload_bulk"),
        {"clients": [client_record.pk], "action": "status", "status": "paused", "reason": "x"},
    )
    assert response.status_code == 403


def test_audit_search_refuses_a_client_of_another_clinic(as_dee, outsiders):
    response = as_dee.get(
        reverse("clients:audit_search"), {"client": outsiders["other_clinic_client"].pk}
    )
    assert "client" in response.context["form"].errors
    assert response.context["page"].paginator.count == 0


def test_audit_search_refuses_a_user_of_another_clinic(as_dee, outsiders):
    response = as_dee.get(
        reverse("clients:audit_search"), {"user": outsiders["other_clinic_therapist"].pk}
    )
    assert "user" in response.context["form"].errors


def test_the_caseload_filter_ignores_a_therapist_of_another_clinic(as_dee, outsiders):
    response = as_dee.get(
        reverse("clients:caseload"), {"therapist": outsiders["other_clinic_therapist"].pk}
    )
    assert response.context["filters"]["therapist"] == ""
    assert "therapist" in response.context["form"].errors
