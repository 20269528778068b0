import uuid

import pytest
from django.urls import reverse

from attachment_app.models import AuditEvent
from clients.access import clients_in_care_of, clients_visible_to
from tests.factories import ClientFactory


def detail(client_record) -> str:
    return reverse("clients:client_detail", args=[client_record.pk])


def test_a_therapist_sees_their_own_client(as_ana, client_record):
    response = as_ana.get(detail(client_record))
    assert response.status_code == 200
    assert b"Robin Example" in response.content


def test_a_clinic_admin_sees_the_record_but_not_clinical_content(client, dee, client_record):
    assert client_record in clients_visible_to(dee)
    assert client_record not in clients_in_care_of(dee)


def test_a_colleague_sees_neither(ben, client_record):
    assert client_record not in clients_visible_to(ben)
    assert client_record not in clients_in_care_of(ben)


def test_an_unknown_id_is_not_found(as_ana):
    response = as_ana.get(reverse("clients:client_detail", args=[uuid.uuid4()]))
    assert response.status_code == 404


def test_viewing_a_record_writes_exactly_one_audit_row(as_ana, ana, client_record):
    as_ana.get(detail(client_record))
    events = AuditEvent.objects.filter(client_id=client_record.pk)
    assert events.count() == 1
    event = events.get()
    assert (event.actor, event.action, event.ip_address) == (ana, "view", "127.0.0.1")


@pytest.mark.django_db
def test_the_home_page_lists_only_my_clients(as_ana, ana, ben):
    mine = ClientFactory(primary_therapist=ana, legal_first_name="Mine")
    theirs = ClientFactory(primary_therapist=ben, legal_first_name="Theirs")
    content = as_ana.get(reverse("clients:home")).content.decode()
    assert mine.legal_first_name in content
    assert theirs.legal_first_name not in content
