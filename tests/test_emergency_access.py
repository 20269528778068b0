"""Emergency access ("break the glass"): only with a stated reason, for a while, seen by admins."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from attachment_app.models import AuditEvent
from clients.access import can_see_clinical, clients_in_care_of
from clients.models import EmergencyAccessGrant

REASON = "Therapist on leave; client called the clinic in crisis."


def page(client_record) -> str:
    return reverse("clients:emergency_access", args=[client_record.pk])


@pytest.fixture
def as_mara(mara):
    c = Client()
    c.force_login(mara)
    return c


def test_an_admin_clinician_has_no_clinical_access_outside_their_caseload(mara, client_record):
    assert client_record not in clients_in_care_of(mara)
    assert not can_see_clinical(mara, client_record)


def test_without_a_reason_nothing_is_opened(as_mara, mara, client_record):
    response = as_mara.post(page(client_record), {"reason": "  "})
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert not EmergencyAccessGrant.objects.exists()
    assert not can_see_clinical(mara, client_record)


def test_with_a_reason_the_record_opens_and_the_audit_trail_says_so(as_mara, mara, client_record):
    response = as_mara.post(page(client_record), {"reason": REASON})
    assert response.status_code == 302
    assert client_record in clients_in_care_of(mara)
    assert can_see_clinical(mara, client_record)
    event = AuditEvent.objects.get(action=AuditEvent.Action.EMERGENCY_ACCESS)
    assert event.actor == mara
    assert event.client_id == client_record.pk
    assert REASON not in event.summary  # the reason lives with the grant, shown to admins
    detail = as_mara.get(reverse("clients:client_detail", args=[client_record.pk]))
    assert b"under emergency access" in detail.content


def test_the_grant_expires_by_itself(mara, client_record):
    EmergencyAccessGrant.objects.create(
        client=client_record,
        user=mara,
        reason=REASON,
        created_at=timezone.now() - dt.timedelta(hours=2),
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert client_record not in clients_in_care_of(mara)
    assert not can_see_clinical(mara, client_record)


def test_the_grant_can_be_ended_early(as_mara, mara, client_record):
    as_mara.post(page(client_record), {"reason": REASON})
    as_mara.post(reverse("clients:emergency_access_end", args=[client_record.pk]))
    assert not can_see_clinical(mara, client_record)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EMERGENCY_ACCESS).count() == 2


def test_an_admin_who_is_not_a_clinician_cannot_break_the_glass(client, dee, client_record):
    client.force_login(dee)
    assert client.get(page(client_record)).status_code == 403
    assert client.post(page(client_record), {"reason": REASON}).status_code == 403
    assert not EmergencyAccessGrant.objects.exists()


def test_a_therapist_who_is_not_an_admin_cannot_break_the_glass(client, ben, client_record):
    client.force_login(ben)
    assert client.post(page(client_record), {"reason": REASON}).status_code == 404
    assert not EmergencyAccessGrant.objects.exists()


def test_the_clinics_admins_see_every_grant_with_its_reason(as_mara, client, dee, client_record):
    as_mara.post(page(client_record), {"reason": REASON})
    client.force_login(dee)
    response = client.get(reverse("clients:emergency_access_log"))
    assert response.status_code == 200
    assert REASON.encode() in response.content
    assert b"Mara Admin-Therapist" in response.content


def test_other_clinics_and_therapists_do_not_see_the_grants(
    as_mara, client, ben, olivia, client_record
):
    as_mara.post(page(client_record), {"reason": REASON})
    client.force_login(olivia)
    assert REASON.encode() not in client.get(reverse("clients:emergency_access_log")).content
    client.force_login(ben)
    assert client.get(reverse("clients:emergency_access_log")).status_code == 403
