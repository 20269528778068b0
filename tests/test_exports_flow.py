"""Asking for a document over HTTP, watching the job, downloading it; the sweeper."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from attachment_app.models import AuditEvent
from clients.exports import services
from clients.exports.services import export_request, export_run, exports_sweep
from clients.models import ExportJob
from clients.timeline import timeline_sources
from tests.exports_helpers import broker_at, downloaded
from tests.factories_exports import ExportJobFactory, TherapySessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def job_urls(job):
    args = [job.client_id, job.pk]
    return (
        reverse("clients:export_detail", args=args),
        reverse("clients:export_download", args=args),
    )


def test_asking_for_a_plan_creates_a_job_and_shows_its_page(as_ana, client_record):
    response = as_ana.post(
        reverse("clients:export_create", args=[client_record.pk]), {"kind": "treatment_plan"}
    )
    job = ExportJob.objects.get()
    detail, _ = job_urls(job)
    assert response.status_code == 302 and response["Location"] == detail
    assert job.parameters == {} and job.requested_by.email == "ana@test.example"
    assert AuditEvent.objects.filter(action="export", client_id=client_record.pk).exists()
    page = as_ana.get(detail)
    assert page.status_code == 200
    assert b"<progress" in page.content and b'data-hx-trigger="every 1s"' in page.content


def test_a_session_summary_form_error_is_shown_beside_the_field(as_ana, client_record):
    response = as_ana.post(
        reverse("clients:export_create", args=[client_record.pk]),
        {"kind": "session_summary", "date_from": "2026-05-01"},
    )
    assert response.status_code == 200
    assert b"Give a start and an end date." in response.content
    assert b'value="2026-05-01"' in response.content
    assert not ExportJob.objects.exists()


def test_polling_stops_once_the_job_is_done_and_offers_the_download(as_ana, client_record):
    job = export_request(kind="treatment_plan", client=client_record, by=as_ana_user(as_ana))
    detail, download = job_urls(job)
    polling = as_ana.get(detail, headers={"HX-Request": "true"})
    assert b'data-hx-trigger="every 1s"' in polling.content and b"<html" not in polling.content
    export_run(job_id=job.pk)
    done = as_ana.get(detail, headers={"HX-Request": "true"})
    assert b"hx-trigger" not in done.content
    assert download.encode() in done.content
    assert b'value="100"' in done.content


def as_ana_user(as_ana):
    from attachment_app.models import User

    return User.objects.get(email="ana@test.example")


def test_the_download_is_an_attachment_never_cached_and_audited(as_ana, client_record, ana):
    job = export_request(kind="treatment_plan", client=client_record, by=ana)
    export_run(job_id=job.pk)
    _, download = job_urls(job)
    response = as_ana.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="treatment-plan-')
    assert "Robin" not in disposition and "Example" not in disposition
    assert "no-store" in response["Cache-Control"]
    assert downloaded(response).startswith(b"%PDF")
    event = AuditEvent.objects.filter(action="download").get()
    assert event.client_id == client_record.pk and event.object_id == str(job.pk)


def test_a_job_not_finished_has_nothing_to_download(as_ana, client_record, ana):
    job = ExportJobFactory(client=client_record)
    _, download = job_urls(job)
    assert as_ana.get(download).status_code == 404


def test_a_clinic_admin_without_care_cannot_see_a_clients_export(client, client_record, dee):
    job = ExportJobFactory(client=client_record)
    client.force_login(dee)
    for url in job_urls(job):
        assert client.get(url).status_code == 404


def test_a_failed_job_explains_itself_and_can_be_tried_again(as_ana, client_record):
    job = ExportJobFactory(
        client=client_record, status=ExportJob.Status.FAILED, error="Preparing took too long."
    )
    detail, _ = job_urls(job)
    page = as_ana.get(detail)
    assert b"Preparing took too long." in page.content and b"Try again" in page.content
    response = as_ana.post(reverse("clients:export_retry", args=[client_record.pk, job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ExportJob.Status.QUEUED and job.error == "" and job.attempts == 0


def test_with_the_broker_down_asking_still_succeeds_and_the_job_waits(
    as_ana, client_record, django_capture_on_commit_callbacks
):
    with broker_at("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        response = as_ana.post(
            reverse("clients:export_create", args=[client_record.pk]),
            {"kind": "treatment_plan"},
        )
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.QUEUED and job.enqueued_at is None


def test_the_clinic_admin_exports_the_caseload_and_downloads_it(client, dee, client_record):
    client.force_login(dee)
    assert client.get(reverse("clients:clinic_exports")).status_code == 200
    response = client.post(reverse("clients:clinic_exports"), {"kind": "caseload_pdf"})
    job = ExportJob.objects.get()
    assert job.client is None and job.clinic_id == dee.clinic_id
    assert response["Location"] == reverse("clients:clinic_export_detail", args=[job.pk])
    export_run(job_id=job.pk)
    download = client.get(reverse("clients:clinic_export_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/pdf")
    assert download["Content-Disposition"].endswith('.pdf"')


def test_a_therapist_or_another_clinic_cannot_reach_the_caseload_report(client, dee, ben, olivia):
    job = export_request(kind="caseload_pdf", client=None, by=dee)
    client.force_login(ben)
    assert client.get(reverse("clients:clinic_exports")).status_code == 403
    assert client.get(reverse("clients:clinic_export_detail", args=[job.pk])).status_code == 404
    client.force_login(olivia)
    assert client.get(reverse("clients:clinic_export_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("clients:clinic_export_download", args=[job.pk])).status_code == 404


def test_the_client_page_offers_the_documents(as_ana, client_record):
    TherapySessionFactory(client=client_record, date=dt.date(2026, 4, 6))
    page = as_ana.get(reverse("clients:client_detail", args=[client_record.pk]))
    assert b"Prepare treatment plan (PDF)" in page.content
    assert b"Prepare session summary (PDF)" in page.content


def test_the_timeline_has_an_exports_source(client_record, ana):
    job = ExportJobFactory(client=client_record)
    (source,) = [s for s in timeline_sources() if s.kind == "exports"]
    assert source.label == "Exports"
    (entry,) = source.entries(client_record)
    assert entry.title == "Treatment plan exported"
    assert str(job.pk) in entry.url


# The sweeper ------------------------------------------------------------------


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(services, "export_enqueue", lambda *, job_id: calls.append(job_id) or True)
    return calls


def test_the_sweeper_resends_a_job_never_enqueued(client_record, sent):
    job = ExportJobFactory(
        client=client_record, requested_at=timezone.now() - dt.timedelta(minutes=1)
    )
    fresh = ExportJobFactory(client=client_record)
    result = exports_sweep()
    assert sent == [job.pk] and result.resent == 1
    assert fresh.pk not in sent


def test_the_sweeper_resends_a_job_whose_worker_vanished(client_record, sent):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    job = ExportJobFactory(
        client=client_record,
        status=ExportJob.Status.RUNNING,
        attempts=1,
        started_at=long_ago,
        enqueued_at=long_ago,
    )
    ExportJobFactory(
        client=client_record,
        status=ExportJob.Status.RUNNING,
        attempts=1,
        started_at=timezone.now(),
        enqueued_at=timezone.now(),
    )
    assert exports_sweep().resent == 1
    assert sent == [job.pk]


def test_a_job_that_keeps_crashing_is_failed_in_plain_words(client_record, sent):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    job = ExportJobFactory(
        client=client_record, status=ExportJob.Status.RUNNING, attempts=3, started_at=long_ago
    )
    assert exports_sweep().failed == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert "stopped unexpectedly 3 times" in job.error
    assert sent == []


def test_a_redelivered_job_after_too_many_crashes_fails_instead_of_running(client_record):
    job = ExportJobFactory(client=client_record, status=ExportJob.Status.RUNNING, attempts=3)
    assert export_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and not job.file


def test_a_broken_render_fails_with_a_plain_message(client_record, ana, monkeypatch):
    def broken(html, **kwargs):
        raise RuntimeError("cairo exploded at /srv/secret/path")

    monkeypatch.setattr(services, "html_to_pdf", broken)
    job = export_request(kind="treatment_plan", client=client_record, by=ana)
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error.startswith("Something went wrong while preparing the document.")
    assert "cairo" not in job.error


def test_a_transient_database_error_is_left_for_a_retry(client_record, ana, monkeypatch):
    from django.db import OperationalError

    def flaky(html, **kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(services, "html_to_pdf", flaky)
    job = export_request(kind="treatment_plan", client=client_record, by=ana)
    with pytest.raises(OperationalError):
        export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.QUEUED and job.attempts == 1


def test_the_sweep_command_reports_what_it_did(client_record, sent):
    from io import StringIO

    from django.core.management import call_command

    ExportJobFactory(client=client_record, requested_at=timezone.now() - dt.timedelta(minutes=5))
    out = StringIO()
    call_command("sweep_exports", stdout=out)
    assert out.getvalue().strip() == "1 resent, 0 failed"


def test_the_task_is_configured_for_redelivery_below_the_visibility_timeout(settings):
    from clients.tasks import render_export

    assert render_export.acks_late and render_export.reject_on_worker_lost
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert render_export.time_limit < visibility
    assert "sweep-exports" in settings.CELERY_BEAT_SCHEDULE


def test_a_job_retried_too_often_stops_being_resent(client_record):
    job = ExportJobFactory(client=client_record, status=ExportJob.Status.QUEUED, attempts=9)
    assert export_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED


@pytest.mark.parametrize("jobs", [1, 6])
def test_the_documents_panel_costs_the_same_queries_however_many_jobs(
    rf, ana, client_record, django_assert_num_queries, jobs
):
    from django.template import Context, Template

    ExportJobFactory.create_batch(jobs, client=client_record)
    TherapySessionFactory.create_batch(jobs, client=client_record)
    request = rf.get("/")
    request.user = ana
    panel = Template("{% load exports %}{% client_exports_panel client %}")
    with django_assert_num_queries(2):  # the recent jobs; the sessions to choose from
        html = panel.render(Context({"request": request, "client": client_record}))
    assert html.count("exports/") >= jobs


def test_a_kind_registered_by_another_app_gets_its_own_parameters(as_ana, client_record):
    from clients.exports import registry

    def clean(client, by, params):
        if params.get("letter_id") != "42":
            raise registry.InvalidParameters("Choose a letter.")
        return {"letter_id": params["letter_id"]}

    registry.register_document(
        registry.DocumentKind(
            key="scratch_letter",  # a scratch kind: exercises' own kinds stay registered
            label="Scratch letter",
            filename="letter",
            template="pdf/_base.html",
            build_context=lambda job: {},
            clean_parameters=clean,
            parameter_names=("letter_id",),
            one_click=False,
        )
    )
    url = reverse("clients:export_create", args=[client_record.pk])
    try:
        refused = as_ana.post(url, {"kind": "scratch_letter", "letter_id": "7"})
        accepted = as_ana.post(url, {"kind": "scratch_letter", "letter_id": "42"})
    finally:
        registry._DOCUMENTS.pop("scratch_letter")
    assert refused.status_code == 200 and b"Choose a letter." in refused.content
    assert accepted.status_code == 302
    assert ExportJob.objects.get().parameters == {"letter_id": "42"}


def test_a_damaged_file_is_never_handed_out(as_ana, client_record, ana, private_media):
    job = export_request(kind="treatment_plan", client=client_record, by=ana)
    export_run(job_id=job.pk)
    job.refresh_from_db()
    (private_media / job.file.name).write_bytes(b"%PDF-1.7 truncated")
    detail, download = job_urls(job)
    response = as_ana.get(download)
    assert response.status_code == 302 and response["Location"] == detail
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "damaged" in job.error
    assert not AuditEvent.objects.filter(action="download").exists()


def _imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_service_or_export_module_imports_the_celery_tasks():
    clients = Path(__file__).resolve().parent.parent / "clients"
    modules = [*(clients / "services").rglob("*.py"), *(clients / "exports").rglob("*.py")]
    assert clients / "exports" / "services.py" in modules
    offenders = sorted(
        str(path.relative_to(clients.parent))
        for path in modules
        if path.name != "tasks.py" and "clients.tasks" in _imports_of(path)
    )
    assert offenders == [], "tasks import services, never the reverse"
