"""Retention of closed records: the destruction date, the legal hold, and destruction by
two people that leaves a tombstone and the audit trail and nothing clinical. Through the
services, then the pages."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from attachment_app.audit import audit_verify
from attachment_app.models import AuditEvent, User
from clients.drafts import draft_kind
from clients.models import (
    Client,
    ConsentTemplate,
    DischargeSummary,
    ExportJob,
    LegalHold,
    RecordDestruction,
    TherapySession,
)
from clients.models.retention import AGE_OF_MAJORITY, add_years, destruction_date
from clients.selectors.retention import retention_report
from clients.services.drafts import draft_delete
from clients.services.retention import (
    legal_hold_lift,
    legal_hold_set,
    record_destruction_confirm,
    record_destruction_date,
    record_destruction_request,
    record_destruction_withdraw,
)
from tests import factories_exercises as fx
from tests.factories import ClientFactory, UserFactory, companion_account_for
from tests.factories_documents import full_record
from tests.factories_sessions import TherapySessionFactory, signed_session

pytestmark = pytest.mark.django_db

CANARY = "CANARYQ7 fictional clinical text"
TODAY = dt.date(2040, 6, 1)


def close(client, *, on: dt.date) -> Client:
    """A discharged record with a signed closing summary dated `on`."""
    DischargeSummary._base_manager.filter(client=client).delete()
    DischargeSummary.objects.create(
        client=client,
        reason="goals_met",
        discharge_date=on,
        discharged_by=client.primary_therapist,
        status=DischargeSummary.Status.SIGNED,
        signed_at=timezone.now(),
        signed_by=client.primary_therapist,
    )
    Client.objects.filter(pk=client.pk).update(status=Client.Status.DISCHARGED)
    client.refresh_from_db()
    return client


@pytest.fixture
def lee(clinic):
    """A second clinic admin of the same clinic."""
    return UserFactory(
        email="lee@test.example",
        full_name="Lee Admin",
        clinic=clinic,
        is_therapist=False,
        is_clinic_admin=True,
    )


@pytest.fixture
def closed(client_record):
    """Ana's client, discharged long enough ago to be past the clinic's 7 years."""
    return close(client_record, on=dt.date(2030, 1, 15))


# --- The destruction date ---------------------------------------------------------------


def test_an_adult_record_is_kept_the_clinics_adult_years_after_discharge(closed):
    closed.clinic.retention_years_adult = 10
    assert destruction_date(closed, dt.date(2030, 1, 15)) == dt.date(2040, 1, 15)
    closed.clinic.save()
    assert record_destruction_date(closed) == dt.date(2040, 1, 15)


def test_a_minors_record_is_kept_from_the_age_of_majority_when_that_is_later(closed):
    clinic = closed.clinic
    clinic.retention_years_adult, clinic.retention_years_minor = 7, 5
    closed.intake_date = dt.date(2026, 3, 1)
    closed.date_of_birth = dt.date(2014, 2, 1)  # 12 at intake, 16 at discharge
    majority = dt.date(2014 + AGE_OF_MAJORITY, 2, 1)
    assert destruction_date(closed, dt.date(2030, 1, 15)) == add_years(majority, 5)
    # When the adult rule runs later, it wins.
    clinic.retention_years_minor = 1
    assert destruction_date(closed, dt.date(2030, 1, 15)) == dt.date(2037, 1, 15)


def test_an_adult_at_intake_follows_the_adult_rule_only(closed):
    closed.clinic.retention_years_minor = 40
    closed.intake_date = dt.date(2026, 3, 1)
    closed.date_of_birth = dt.date(1990, 2, 1)
    assert destruction_date(closed, dt.date(2030, 1, 15)) == dt.date(2037, 1, 15)


def test_29_february_plus_years_is_28_february():
    assert add_years(dt.date(2028, 2, 29), 7) == dt.date(2035, 2, 28)


def test_an_open_record_has_no_destruction_date(client_record):
    assert record_destruction_date(client_record) is None


def test_the_report_lists_records_past_their_date_and_soon_due(closed, dee, ana, ben):
    soon = close(ClientFactory(primary_therapist=ben), on=dt.date(2033, 7, 1))
    later = close(ClientFactory(primary_therapist=ben), on=dt.date(2035, 1, 1))
    report = retention_report(user=dee, today=TODAY)
    assert [row.client for row in report["past"]] == [closed]
    assert [row.client for row in report["soon"]] == [soon]
    assert later not in [row.client for row in report["past"] + report["soon"]]
    assert retention_report(user=ana, today=TODAY)["past"] == []


# --- The legal hold ---------------------------------------------------------------------


def test_a_clinic_admin_sets_and_lifts_a_hold_with_reasons_audited(closed, dee, ana):
    with pytest.raises(PermissionDenied):
        legal_hold_set(client=closed, by=ana, reason="Subpoena")
    with pytest.raises(ValidationError):
        legal_hold_set(client=closed, by=dee, reason="  ")
    hold = legal_hold_set(client=closed, by=dee, reason="Subpoena of 1 May")
    with pytest.raises(ValidationError):
        legal_hold_set(client=closed, by=dee, reason="Again")
    legal_hold_lift(client=closed, by=dee, reason="Case closed")
    hold.refresh_from_db()
    assert (hold.lifted_by, hold.lift_reason) == (dee, "Case closed")
    summaries = AuditEvent.objects.filter(client_id=closed.pk).values_list("summary", flat=True)
    assert {"Legal hold set", "Legal hold lifted"} <= set(summaries)


def test_a_hold_refuses_the_request_and_the_confirmation(closed, dee, lee):
    legal_hold_set(client=closed, by=dee, reason="Subpoena")
    with pytest.raises(ValidationError, match="legal hold"):
        record_destruction_request(client=closed, by=dee, today=TODAY)
    legal_hold_lift(client=closed, by=dee, reason="Case closed")
    destruction = record_destruction_request(client=closed, by=dee, today=TODAY)
    legal_hold_set(client=closed, by=lee, reason="A second case")
    with pytest.raises(ValidationError, match="legal hold"):
        record_destruction_confirm(destruction=destruction, by=lee, today=TODAY)
    assert Client.objects.filter(pk=closed.pk).exists()


# --- Two people, and the date -----------------------------------------------------------


def test_destruction_is_refused_before_the_date(closed, dee):
    with pytest.raises(ValidationError, match="kept until 2037-01-15"):
        record_destruction_request(client=closed, by=dee, today=dt.date(2037, 1, 14))
    assert record_destruction_request(client=closed, by=dee, today=dt.date(2037, 1, 15))


def test_an_open_record_is_never_destroyed(client_record, dee):
    with pytest.raises(ValidationError, match="discharged"):
        record_destruction_request(client=client_record, by=dee, today=TODAY)


def test_only_a_clinic_admin_asks(closed, ana, olivia):
    for who in (ana, olivia):
        with pytest.raises(PermissionDenied):
            record_destruction_request(client=closed, by=who, today=TODAY)


def test_the_one_who_asked_cannot_confirm_nor_a_colleague(closed, dee, ben, olivia):
    destruction = record_destruction_request(client=closed, by=dee, today=TODAY)
    with pytest.raises(ValidationError, match="second person"):
        record_destruction_confirm(destruction=destruction, by=dee, today=TODAY)
    for who in (ben, olivia):
        with pytest.raises(PermissionDenied):
            record_destruction_confirm(destruction=destruction, by=who, today=TODAY)
    assert Client.objects.filter(pk=closed.pk).exists()


def test_the_clinician_or_a_second_admin_confirms(closed, dee, lee, ana, ben):
    first = record_destruction_request(client=closed, by=dee, today=TODAY)
    record_destruction_confirm(destruction=first, by=ana, today=TODAY)
    assert not Client.objects.filter(pk=closed.pk).exists()
    other = close(ClientFactory(primary_therapist=ben), on=dt.date(2030, 1, 1))
    second = record_destruction_request(client=other, by=dee, today=TODAY)
    record_destruction_confirm(destruction=second, by=lee, today=TODAY)
    second.refresh_from_db()
    assert (second.status, second.confirmed_by, second.requested_by) == ("destroyed", lee, dee)


def test_a_withdrawn_request_cannot_be_confirmed(closed, dee, lee):
    destruction = record_destruction_request(client=closed, by=dee, today=TODAY)
    record_destruction_withdraw(destruction=destruction, by=lee)
    with pytest.raises(ValidationError, match="no longer waiting"):
        record_destruction_confirm(destruction=destruction, by=lee, today=TODAY)
    # A new request may follow.
    assert record_destruction_request(client=closed, by=dee, today=TODAY)


# --- Nothing clinical remains -----------------------------------------------------------


def _every_text_value(model) -> list[str]:
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]
    if not fields:
        return []
    return [str(v) for row in model._base_manager.values_list(*fields) for v in row]


def _client_models() -> list[type[models.Model]]:
    """Every model with a foreign key to Client, in any app."""
    return [
        m
        for m in apps.get_models()
        for f in m._meta.concrete_fields
        if f.is_relation and f.related_model is Client
    ]


def _full_record(client, therapist, private_media) -> None:
    full_record(client, therapist, text=CANARY, private_text=CANARY)
    signed_session(client, date=dt.date(2029, 3, 1), note_data=CANARY)
    fx.shared_letter_of(client)
    fx.check_in_of(client)
    fx.first_exploration(client)
    # A draft deleted a moment ago: its undo copy goes with the record too.
    draft = TherapySessionFactory(client=client, date=dt.date(2029, 4, 1), note_data=CANARY)
    draft_delete(kind=draft_kind("session"), obj=draft, by=therapist)
    job = ExportJob.objects.create(
        clinic=client.clinic, client=client, kind="treatment_plan", requested_by=therapist
    )
    job.file.save("plan.pdf", ContentFile(CANARY.encode()))
    companion = companion_account_for(client, email="canaryq7@example.test")
    EmailAddress.objects.create(user=companion, email=companion.email, verified=True)
    client.childhood_history = CANARY
    client.legal_last_name = "CANARYQ7"
    client.save()


def test_destruction_leaves_a_tombstone_the_audit_trail_and_nothing_clinical(
    closed, dee, ana, ben, private_media, django_capture_on_commit_callbacks
):
    _full_record(closed, ana, private_media)
    close(closed, on=dt.date(2030, 1, 15))
    kept = ClientFactory(primary_therapist=ben, legal_first_name="Kept")
    signed_session(kept, date=dt.date(2029, 3, 1))
    fx.first_map(kept)
    fx.shared_letter_of(kept)
    fx.check_in_of(kept)
    kept_counts = {m: m._base_manager.filter(client=kept).count() for m in _client_models()}
    job_file = ExportJob.objects.get(client=closed).file
    storage, name = job_file.storage, job_file.name
    assert storage.exists(name)
    record_id = closed.pk
    audit_rows = AuditEvent.objects.filter(client_id=record_id).count()

    destruction = record_destruction_request(client=closed, by=dee, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        record_destruction_confirm(destruction=destruction, by=ana, today=TODAY)

    # No row of any model points at the record, and no text of it is anywhere.
    for model in _client_models():
        assert not model._base_manager.filter(client_id=record_id).exists(), model
    assert not Client.objects.filter(pk=record_id).exists()
    # The audit trail is kept whole; the consent document is the clinic's (the factory
    # writes the canary into its text too), the client's signature of it is gone.
    for model in apps.get_models():
        if model in (AuditEvent, ConsentTemplate):
            continue
        leftovers = [v for v in _every_text_value(model) if "CANARYQ7" in v.upper()]
        assert leftovers == [], model
    assert not storage.exists(name)
    companion = User.objects.get(email__startswith="destroyed-")
    assert not companion.is_active and not companion.has_usable_password()
    # The other client's record is whole.
    assert kept_counts == {m: m._base_manager.filter(client=kept).count() for m in kept_counts}
    # The tombstone, and the audit trail: kept, one row longer, still verifying.
    tomb = RecordDestruction.objects.get(client_uuid=record_id)
    assert (tomb.initials, tomb.discharge_date) == ("RC", dt.date(2030, 1, 15))
    assert tomb.first_service_date is not None and tomb.last_service_date is not None
    assert (tomb.requested_by, tomb.confirmed_by, tomb.client) == (dee, ana, None)
    assert tomb.destroyed_at is not None
    assert AuditEvent.objects.filter(client_id=record_id).count() == audit_rows + 2
    assert AuditEvent.objects.filter(client_id=record_id, action="delete").exists()
    assert audit_verify() is None


def test_a_failed_destruction_rolls_back_whole(closed, dee, ana, monkeypatch):
    signed_session(closed, date=dt.date(2029, 3, 1))
    destruction = record_destruction_request(client=closed, by=dee, today=TODAY)

    def broken(client):
        raise RuntimeError("storage down")

    from clients import destruction as registry

    monkeypatch.setitem(registry._DESTROYERS, "broken", broken)
    with pytest.raises(RuntimeError):
        record_destruction_confirm(destruction=destruction, by=ana, today=TODAY)
    assert TherapySession.objects.filter(client=closed).exists()
    destruction.refresh_from_db()
    assert destruction.status == "requested"


# --- Through the pages ------------------------------------------------------------------


def test_the_record_page_shows_the_destruction_date_and_hold(client, closed, dee):
    client.force_login(dee)
    page = client.get(closed.get_absolute_url())
    assert b"2037" in page.content and b"Destruction date" in page.content
    response = client.post(
        reverse("clients:legal_hold_set", args=[closed.pk]), {"reason": "Subpoena"}
    )
    assert response.status_code == 302
    assert LegalHold.objects.filter(client=closed, lifted_at=None).exists()
    assert b"Legal hold" in client.get(closed.get_absolute_url()).content


def test_the_pages_walk_a_destruction_by_two_people(client, closed, dee, ana, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    client.force_login(dee)
    ask = reverse("clients:destruction_request", args=[closed.pk])
    assert client.post(ask, {"reason": "Yearly review"}).status_code == 400  # box unticked
    assert not RecordDestruction.objects.exists()
    assert client.post(ask, {"confirm": "on"}).status_code == 302
    assert client.post(reverse("clients:destruction_confirm", args=[closed.pk])).status_code == 403
    client.force_login(ana)
    confirm = reverse("clients:destruction_confirm", args=[closed.pk])
    assert client.get(confirm).status_code == 200
    assert client.post(confirm, {"confirm": "on"}).status_code == 302
    assert not Client.objects.filter(pk=closed.pk).exists()
    client.force_login(dee)
    report = client.get(reverse("clients:retention_report"))
    assert report.status_code == 200
    assert str(closed.pk) in report.content.decode()  # the tombstone's row


def test_the_report_reads_in_a_constant_number_of_queries(
    closed, dee, ben, django_assert_max_num_queries
):
    retention_report(user=dee, today=TODAY)  # warm: the clinic, the session
    for n in range(3):
        close(ClientFactory(primary_therapist=ben), on=dt.date(2029, 1, 1 + n))
    with django_assert_max_num_queries(3):
        report = retention_report(user=dee, today=TODAY)
        assert len(report["past"]) == 4
        list(report["destroyed"])


def test_the_retention_pages_pass_the_nu_html_checker(client, closed, dee, lee, ana, tmp_path):
    from tests.conftest import need
    from tests.htmlcheck import java, validate, vnu_jar

    need(java() is not None, "Java runs the Nu Html Checker")
    need(vnu_jar() is not None, "vnu.jar: npm ci --prefix .ci/vnu")
    destruction = record_destruction_request(client=closed, by=dee, today=TODAY)
    gone = close(ClientFactory(primary_therapist=ana), on=dt.date(2029, 1, 1))
    record_destruction_confirm(
        destruction=record_destruction_request(client=gone, by=dee, today=TODAY),
        by=lee,
        today=TODAY,
    )
    pages = [
        (dee, closed.get_absolute_url()),
        (dee, reverse("clients:legal_hold_set", args=[closed.pk])),
        (dee, reverse("clients:destruction_request", args=[closed.pk])),
        (dee, reverse("clients:retention_report")),
        (ana, closed.get_absolute_url()),
        (ana, reverse("clients:destruction_confirm", args=[closed.pk])),
    ]
    files = []
    for n, (who, url) in enumerate(pages):
        client.force_login(who)
        response = client.get(url)
        assert response.status_code == 200, url
        files.append(tmp_path / f"page{n}.html")
        files[-1].write_bytes(response.content)
    legal_hold_set(client=closed, by=dee, reason="Subpoena")
    client.force_login(dee)
    for name, url in [
        ("held", closed.get_absolute_url()),
        ("lift", reverse("clients:legal_hold_lift", args=[closed.pk])),
    ]:
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(client.get(url).content)
    assert destruction.pk
    errors = [m for m in validate(files) if m.kind in ("error", "non-document-error")]
    assert errors == []
