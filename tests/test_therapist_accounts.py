import pytest
from django.core import mail
from django.urls import reverse

from attachment_app.models import User
from clients.models import Client
from tests.factories import ClientFactory


@pytest.fixture
def as_dee(client, dee):
    client.force_login(dee)
    return client


def test_the_admin_lists_the_clinics_therapists_with_their_load(as_dee, ana, ben, olivia):
    ClientFactory(primary_therapist=ana, status="active")
    ClientFactory(primary_therapist=ana, status="paused")
    response = as_dee.get(reverse("clients:therapist_list"))
    rows = {t.email: (t.n_active, t.n_paused) for t in response.context["therapists"]}
    assert rows == {ana.email: (1, 1), ben.email: (0, 0)}


def test_a_therapist_cannot_manage_accounts(as_ana, ben):
    assert as_ana.get(reverse("clients:therapist_list")).status_code == 403
    assert as_ana.get(reverse("clients:therapist_edit", args=[ben.pk])).status_code == 404


def test_a_new_therapist_gets_a_link_to_choose_their_password(as_dee, dee):
    response = as_dee.post(
        reverse("clients:therapist_new"),
        {"full_name": "Cam New", "email": "Cam@Test.Example", "caseload_capacity": 12},
    )
    assert response.status_code == 302
    cam = User.objects.get(email="cam@test.example")
    assert (cam.clinic, cam.is_therapist, cam.caseload_capacity) == (dee.clinic, True, 12)
    assert not cam.has_usable_password()
    assert [m.to for m in mail.outbox] == [["cam@test.example"]]


def test_an_existing_email_is_refused_beside_the_field(as_dee, ana):
    response = as_dee.post(
        reverse("clients:therapist_new"),
        {"full_name": "Twin", "email": ana.email.upper(), "caseload_capacity": 5},
    )
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["email"][0]
    assert 'value="Twin"' in response.content.decode()


def test_the_admin_sets_capacity(as_dee, ana):
    response = as_dee.post(
        reverse("clients:therapist_edit", args=[ana.pk]),
        {"full_name": ana.full_name, "credentials": "LCSW", "caseload_capacity": 8},
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert (ana.caseload_capacity, ana.credentials) == (8, "LCSW")


def test_deactivating_unassigns_current_clients_but_keeps_discharged_ones(as_dee, ana):
    active = ClientFactory(primary_therapist=ana, status="active")
    discharged = ClientFactory(primary_therapist=ana, status="discharged")
    response = as_dee.post(
        reverse("clients:therapist_active", args=[ana.pk]), {"reason": "Left the clinic"}
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    active.refresh_from_db()
    discharged.refresh_from_db()
    assert not ana.is_active
    assert active.primary_therapist is None
    assert discharged.primary_therapist == ana
    assert Client.objects.filter(primary_therapist__isnull=True, status="active").count() == 1
    as_dee.post(reverse("clients:therapist_active", args=[ana.pk]))
    ana.refresh_from_db()
    assert ana.is_active


def test_an_admin_cannot_deactivate_themselves(client, clinic):
    both = User.objects.create_user(
        email="both@test.example", clinic=clinic, is_therapist=True, is_clinic_admin=True
    )
    client.force_login(both)
    client.post(reverse("clients:therapist_active", args=[both.pk]))
    both.refresh_from_db()
    assert both.is_active
