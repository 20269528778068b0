"""Signed work is never deleted, only superseded or addended: every way to delete a
signed note, plan revision or closing summary refuses (the service, the page, the model,
a bulk delete). Only a confirmed destruction, after the retention period, removes it
(tests/test_retention.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients.drafts import draft_kind
from clients.models import DischargeSummary, PlanRevision, SignedRecordLocked, TherapySession
from clients.services.drafts import draft_delete
from tests.factories_discharge import discharge_summary
from tests.factories_sessions import plan_with_revision, signed_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(client_record, ana):
    from django.utils import timezone

    session = signed_session(client_record)
    _, revision = plan_with_revision(client_record, signed=True)
    summary = discharge_summary(
        client_record, status="signed", signed_at=timezone.now(), signed_by=ana
    )
    return session, revision, summary


def _all_still_there(session, revision, summary) -> bool:
    return (
        TherapySession.objects.filter(pk=session.pk).exists()
        and PlanRevision.objects.filter(pk=revision.pk).exists()
        and DischargeSummary.objects.filter(pk=summary.pk).exists()
    )


def test_the_services_refuse(signed, ana):
    session, revision, summary = signed
    with pytest.raises(ValidationError):
        draft_delete(kind=draft_kind("session"), obj=session, by=ana)
    with pytest.raises(ValidationError):
        draft_delete(kind=draft_kind("plan_revision"), obj=revision, by=ana)
    assert _all_still_there(*signed)


def test_the_models_and_bulk_deletes_refuse(signed):
    for record in signed:
        with pytest.raises(SignedRecordLocked):
            record.delete()
        with pytest.raises(SignedRecordLocked):
            type(record).objects.filter(pk=record.pk).delete()
    assert _all_still_there(*signed)


def test_the_pages_refuse(as_ana, client_record, signed):
    session, revision, _ = signed
    pages = [
        reverse("clients:session_delete", args=[client_record.pk, session.pk]),
        reverse("clients:revision_delete", args=[client_record.pk, revision.pk]),
    ]
    for url in pages:
        assert as_ana.post(url).status_code in (302, 303, 403, 409)
    assert _all_still_there(*signed)
