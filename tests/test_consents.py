"""Intake consents: versioned clinic documents, signatures with the exact version, the
release gate, the PDF, and the no-consent flag."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from attachment_app.models import AuditEvent, Clinic
from clients.exports.services import export_request, export_run
from clients.models import Client, ClientConsent, ConsentKind, ConsentTemplate, ExportJob
from clients.selectors.consents import client_consents
from clients.services.consents import (
    ReleaseNotAuthorized,
    consent_revoke,
    consent_sign,
    consent_template_save,
    release_authorization_current,
)
from tests.factories import ClientFactory
from tests.factories_consents import consent_template, signed_consent
from tests.pdfcheck import pdf_text, squash

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def as_dee(client, dee):
    client.force_login(dee)
    return client


# The clinic's documents ---------------------------------------------------------------


def test_editing_a_document_makes_a_new_version_and_keeps_the_old(clinic, dee):
    first = consent_template_save(
        clinic=clinic, kind="treatment", title="Consent", body="Version one text.", by=dee
    )
    second = consent_template_save(
        clinic=clinic, kind="treatment", title="Consent", body="Version two text.", by=dee
    )
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.body == "Version one text."
    with pytest.raises(PermissionError):
        first.save()
    assert AuditEvent.objects.filter(summary="Consent document “Consent to treatment”: version 2")


def test_saving_the_same_text_again_makes_no_version(clinic, dee):
    consent_template_save(clinic=clinic, kind="treatment", title="T", body="Text.", by=dee)
    with pytest.raises(ValidationError) as caught:
        consent_template_save(clinic=clinic, kind="treatment", title="T", body="Text.", by=dee)
    assert "body" in caught.value.message_dict
    assert ConsentTemplate.objects.count() == 1


def test_the_admin_writes_and_edits_documents_on_the_settings_pages(as_dee, clinic):
    listing = as_dee.get(reverse("clients:consent_templates")).content.decode()
    assert "Not written yet" in listing and "Authorization to release information" in listing
    response = as_dee.post(
        reverse("clients:consent_template_new"),
        {"kind": "telehealth", "title": "Telehealth", "body": "Sessions by video."},
    )
    template = ConsentTemplate.objects.get(clinic=clinic, kind="telehealth")
    assert response["Location"] == template.get_absolute_url()
    edit = as_dee.get(template.get_absolute_url()).content.decode()
    assert "Sessions by video." in edit and "Version 1" in edit
    as_dee.post(template.get_absolute_url(), {"title": "Telehealth", "body": "By phone too."})
    assert list(
        ConsentTemplate.objects.filter(kind="telehealth").values_list("version", flat=True)
    ) == [2, 1]


def test_an_empty_document_is_refused_beside_the_field(as_dee):
    response = as_dee.post(
        reverse("clients:consent_template_new"), {"kind": "treatment", "title": "T", "body": "  "}
    )
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert b'value="T"' in response.content  # what was typed stays


def test_a_therapist_does_not_edit_the_clinics_documents(as_ana, clinic):
    template = consent_template(clinic)
    assert as_ana.get(reverse("clients:consent_templates")).status_code == 403
    assert as_ana.get(template.get_absolute_url()).status_code == 404


# Signing ------------------------------------------------------------------------------


def sign_form(client_record, **changes) -> dict:
    return {
        "read_confirmed": "on",
        "signed_name": f"{client_record.legal_first_name} {client_record.legal_last_name}",
        "signed_on": TODAY().isoformat(),
        **changes,
    }


def test_the_client_signs_on_the_clinicians_screen_and_the_exact_version_is_kept(
    as_ana, client_record, ana
):
    template = consent_template(client_record.clinic)
    url = reverse("clients:consent_sign", args=[client_record.pk, template.pk])
    page = as_ana.get(url).content.decode()
    assert template.body.split("\n")[0][:60] in page
    response = as_ana.post(url, sign_form(client_record, signed_name="  robin   EXAMPLE "))
    consent = ClientConsent.objects.get(client=client_record)
    assert response["Location"] == consent.get_absolute_url()
    assert consent.template == template and consent.kind == "treatment"
    assert consent.signed_name == "robin EXAMPLE" and consent.witnessed_by == ana
    assert AuditEvent.objects.filter(
        client_id=client_record.pk, summary="Consent signed: Consent to treatment, version 1"
    ).exists()
    # A later edit of the document leaves the signed version as it was.
    consent_template_save(
        clinic=client_record.clinic, kind="treatment", title="New", body="Changed.", by=ana
    )
    detail = as_ana.get(consent.get_absolute_url()).content.decode()
    assert "As signed: version 1" in detail and "Changed." not in detail


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"read_confirmed": ""}, "read_confirmed"),
        ({"signed_name": ""}, "signed_name"),
        ({"signed_name": "Someone Else"}, "signed_name"),
        ({"signed_on": "2020-01-01"}, "signed_on"),
        ({"signed_on": "not a date"}, "signed_on"),
        ({"signed_on": "9999-99-99"}, "signed_on"),
    ],
)
def test_an_incomplete_signature_is_refused_beside_the_field(as_ana, client_record, changes, field):
    template = consent_template(client_record.clinic)
    url = reverse("clients:consent_sign", args=[client_record.pk, template.pk])
    data = sign_form(client_record, **changes)
    response = as_ana.post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ClientConsent.objects.exists()
    if data["signed_name"]:
        assert data["signed_name"].encode() in response.content  # nothing typed is lost


def test_a_version_replaced_while_the_client_read_it_is_not_signed(as_ana, client_record, ana):
    old = consent_template(client_record.clinic)
    consent_template_save(
        clinic=client_record.clinic, kind="treatment", title="New", body="Newer text.", by=ana
    )
    url = reverse("clients:consent_sign", args=[client_record.pk, old.pk])
    response = as_ana.post(url, sign_form(client_record))
    assert response.status_code == 200
    assert "changed this document" in response.content.decode()
    assert not ClientConsent.objects.exists()


def test_a_release_authorization_records_to_whom_what_and_until_when(as_ana, client_record):
    template = consent_template(client_record.clinic, ConsentKind.RELEASE)
    url = reverse("clients:consent_sign", args=[client_record.pk, template.pk])
    missing = as_ana.post(url, sign_form(client_record))
    assert {"recipient", "information", "expires_on"} <= set(missing.context["form"].errors)
    until = TODAY() + dt.timedelta(days=90)
    as_ana.post(
        url,
        sign_form(
            client_record,
            recipient="Dr. Lee, Riverside Family Practice",
            information="Dates of attendance.",
            purpose="Coordination of care",
            expires_on=until.isoformat(),
        ),
    )
    consent = ClientConsent.objects.get(kind="release")
    assert consent.recipient == "Dr. Lee, Riverside Family Practice"
    assert consent.expires_on == until


def test_an_authorization_ending_today_or_before_is_refused(client_record, ana):
    template = consent_template(client_record.clinic, ConsentKind.RELEASE)
    with pytest.raises(ValidationError) as caught:
        consent_sign(
            client=client_record,
            template=template,
            signed_name="Robin Example",
            signed_on=TODAY(),
            read_confirmed=True,
            recipient="Dr. Lee",
            information="Dates.",
            expires_on=TODAY(),
            by=ana,
        )
    assert "expires_on" in caught.value.message_dict


def test_another_clinics_document_cannot_be_signed(as_ana, client_record, other_clinic):
    theirs = consent_template(other_clinic)
    url = reverse("clients:consent_sign", args=[client_record.pk, theirs.pk])
    assert as_ana.get(url).status_code == 404
    assert as_ana.post(url, sign_form(client_record)).status_code == 404


# The release gate -----------------------------------------------------------------------


def test_no_release_without_a_current_authorization_for_that_recipient(client_record, ana):
    recipient = "Dr. Lee, Riverside Family Practice"
    with pytest.raises(ReleaseNotAuthorized):
        release_authorization_current(client=client_record, recipient=recipient)
    consent = signed_consent(client_record, ConsentKind.RELEASE, recipient=recipient)
    found = release_authorization_current(
        client=client_record, recipient="  dr. lee,  RIVERSIDE family practice"
    )
    assert found == consent
    with pytest.raises(ReleaseNotAuthorized):
        release_authorization_current(client=client_record, recipient="Dr. Someone Else")
    with pytest.raises(ReleaseNotAuthorized):  # after its end date
        release_authorization_current(
            client=client_record, recipient=recipient, on=consent.expires_on + dt.timedelta(1)
        )
    with pytest.raises(ReleaseNotAuthorized):  # before it was signed
        release_authorization_current(
            client=client_record, recipient=recipient, on=consent.signed_on - dt.timedelta(1)
        )
    other = ClientFactory(primary_therapist=ana)
    with pytest.raises(ReleaseNotAuthorized):  # another client's authorization
        release_authorization_current(client=other, recipient=recipient)
    consent_revoke(consent=consent, by=ana)
    with pytest.raises(ReleaseNotAuthorized):  # withdrawn
        release_authorization_current(client=client_record, recipient=recipient)


def test_withdrawing_needs_the_confirmation_and_keeps_the_signed_copy(as_ana, client_record):
    consent = signed_consent(client_record)
    url = reverse("clients:consent_withdraw", args=[client_record.pk, consent.pk])
    as_ana.post(url, {})
    consent.refresh_from_db()
    assert consent.revoked_at is None
    as_ana.post(url, {"confirm": "yes"})
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert not client_consents(client_record).treatment_signed


# The PDF ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("private_media")
def test_the_signed_consent_pdf_names_the_version_and_the_signer(client_record, ana):
    consent_template_save(
        clinic=client_record.clinic, kind="treatment", title="Old", body="Old text.", by=ana
    )
    template = consent_template_save(
        clinic=client_record.clinic,
        kind="treatment",
        title="Consent to attachment-based therapy",
        body="I agree to take part.\n\nI may stop at any time.",
        by=ana,
    )
    consent = consent_sign(
        client=client_record,
        template=template,
        signed_name="Robin Example",
        signed_on=TODAY(),
        read_confirmed=True,
        by=ana,
    )
    job = export_request(
        kind="consent", client=client_record, by=ana, params={"consent_id": str(consent.pk)}
    )
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    with job.file.open("rb") as handle:
        text = squash(pdf_text(handle.read()))
    assert squash("version 2") in text and squash("Robin Example") in text
    assert squash("I may stop at any time.") in text and squash("Old text.") not in text


def test_the_pdf_is_asked_for_only_for_the_clients_own_consent(as_ana, client_record, ana):
    other = signed_consent(ClientFactory(primary_therapist=ana))
    response = as_ana.post(
        reverse("clients:export_create", args=[client_record.pk]),
        {"kind": "consent", "consent_id": str(other.pk)},
    )
    assert response.status_code == 200 and not ExportJob.objects.exists()


# The flag -------------------------------------------------------------------------------


def test_a_client_without_consent_to_treatment_is_flagged_on_home_and_caseload(
    as_ana, client_record, dee
):
    client = Browser()
    home = as_ana.get(reverse("clients:home"))
    assert home.context["counts"]["no_consent"] == 1
    assert "No signed consent to treatment (1)" in home.content.decode()
    client.force_login(dee)
    caseload = client.get(reverse("clients:caseload") + "?needs=no_consent")
    assert [c.pk for c in caseload.context["page"].object_list] == [client_record.pk]
    signed_consent(client_record)
    assert as_ana.get(reverse("clients:home")).context["counts"]["no_consent"] == 0
    caseload = client.get(reverse("clients:caseload") + "?needs=no_consent")
    assert list(caseload.context["page"].object_list) == []


def test_a_withdrawn_consent_flags_the_client_again(as_ana, client_record, ana):
    consent_revoke(consent=signed_consent(client_record), by=ana)
    assert as_ana.get(reverse("clients:home")).context["counts"]["no_consent"] == 1


def test_the_client_page_shows_the_consents(as_ana, client_record):
    signed_consent(client_record, ConsentKind.RELEASE)
    page = as_ana.get(reverse("clients:client_consents", args=[client_record.pk]))
    html = page.content.decode()
    assert "No signed consent to treatment." in html
    assert "Dr. Lee, Riverside Family Practice" in html
    detail = as_ana.get(reverse("clients:client_detail", args=[client_record.pk])).content
    assert b"Open consents" in detail


# The demo ---------------------------------------------------------------------------------


def test_the_demo_has_each_document_and_one_client_in_care_without_consent():
    call_command(
        "seed_demo", "--password", "a-long-demo-password", "--clients", "12", stdout=StringIO()
    )
    demo = Clinic.objects.get(name="Demo Clinic")
    kinds = set(ConsentTemplate.objects.filter(clinic=demo).values_list("kind", flat=True))
    assert kinds == set(ConsentKind.values)
    in_care = Client.objects.filter(clinic=demo, primary_therapist__isnull=False).exclude(
        status="waitlist"
    )
    unsigned = in_care.exclude(consents__kind="treatment")
    assert unsigned.count() == 1 and in_care.count() > 5
    assert ClientConsent.objects.filter(kind="release").exists()
    call_command(
        "seed_demo", "--password", "a-long-demo-password", "--clients", "12", stdout=StringIO()
    )
    assert in_care.exclude(consents__kind="treatment").count() == 1
