"""Ask for a document, watch it being prepared, download it.

Client documents share the client's clinical scope (`with_client(care=True)`);
clinic documents (the caseload report) belong to the clinic admins of that
clinic. Files are served only here: attachment, server-chosen name, no-store,
one audit row per download.
"""

import hashlib
import logging
import tempfile
import uuid

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from attachment_app.permissions import clinic_admin_required
from clients.access import clinic_exports_visible_to, with_client, with_clinic_export
from clients.exports import services
from clients.exports.forms import ClientExportForm, ClinicExportForm
from clients.exports.registry import get_document, label_for
from clients.models import Client, ExportJob

logger = logging.getLogger(__name__)
# Read from the storage in pieces; up to this much is kept in memory, the rest spills
# to a temporary file readable by the app's user only.
CHUNK = 64 * 1024
IN_MEMORY = 1024 * 1024


def download_name(job: ExportJob) -> str:
    document = get_document(job.kind)
    stem = document.filename if document else "document"
    ext = document.format if document else "pdf"
    # No client name: file names end up in download folders and mail attachments.
    return f"{stem}-{job.requested_at:%Y-%m-%d}-{job.pk.hex[:8]}.{ext}"


def _job_page(request: HttpRequest, job: ExportJob, client: Client | None) -> HttpResponse:
    context = {
        "job": job,
        "client": client,
        "label": label_for(job.kind),
        "urls": {page: job.page_url(page) for page in ("detail", "retry", "download")},
        "filename": download_name(job),
        "max_attempts": settings.EXPORT_MAX_ATTEMPTS,
    }
    if request.htmx:
        return render(request, "clients/exports/_job_status.html", context)
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk if client else None,
        obj=job,
        summary=f"Export job page: {label_for(job.kind)}",
    )
    return render(request, "clients/exports/job_detail.html", context)


def _verified_copy(job: ExportJob) -> tempfile.SpooledTemporaryFile | None:
    """The stored file, copied once from the storage (folder or bucket) while its
    SHA-256 is checked; None when it is missing or damaged."""
    copy = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (FileResponse closes it)
    digest = hashlib.sha256()
    try:
        with job.file.storage.open(job.file.name, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                copy.write(chunk)
    except FileNotFoundError:
        copy.close()
        return None
    except BaseException:
        copy.close()  # the storage out of reach: the caller says so
        raise
    if digest.hexdigest() != job.checksum:
        copy.close()
        return None
    copy.seek(0)
    return copy


def _download(request: HttpRequest, job: ExportJob) -> HttpResponse:
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    try:
        copy = _verified_copy(job)
    except services.TRANSIENT_ERRORS:
        # The bucket (or folder) is briefly unreachable: say so, and when to try again.
        logger.warning("export job %s: storage unreachable for a download", job.pk)
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    if copy is None:
        # Never hand out a damaged or partial file; the job page offers to prepare it again.
        logger.warning("export job %s: stored file missing or damaged", job.pk)
        services.export_fail(job.pk, "The prepared file was damaged. Prepare it again.")
        return redirect(job.get_absolute_url())
    audit(
        request=request,
        action=AuditEvent.Action.DOWNLOAD,
        client_id=job.client_id,
        obj=job,
        summary=f"Downloaded: {label_for(job.kind)}",
    )
    document = get_document(job.kind)
    # Streamed by the app from its verified copy: never a redirect to the bucket.
    response = FileResponse(
        copy,
        as_attachment=True,
        filename=download_name(job),
        content_type=document.content_type if document else "application/octet-stream",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Client documents ---------------------------------------------------------------


@with_client(care=True, while_discharged=True)
@require_http_methods(["GET", "POST"])
def export_create(request: HttpRequest, client: Client) -> HttpResponse:
    form = ClientExportForm(request.POST or None, client=client, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.export_request(
                kind=form.cleaned_data["kind"],
                client=client,
                by=request.user,
                params=form.cleaned_data["params"],
            )
        except services.TooManyExports as exc:
            form.add_error("kind", str(exc))
        else:
            audit(
                request=request,
                action=AuditEvent.Action.EXPORT,
                client_id=job.client_id,
                obj=job,
                summary=f"Export requested: {label_for(job.kind)}",
            )
            return redirect(job.get_absolute_url())
    return render(request, "clients/exports/new.html", {"client": client, "form": form})


def _client_job(client: Client, job_id: uuid.UUID) -> ExportJob:
    jobs = ExportJob.objects.select_related("client", "clinic")
    return get_object_or_404(jobs, pk=job_id, client=client)


@with_client(care=True)
@require_GET
def export_detail(request: HttpRequest, client: Client, job_id: uuid.UUID) -> HttpResponse:
    return _job_page(request, _client_job(client, job_id), client)


@with_client(care=True, while_discharged=True)
@require_POST
def export_retry(request: HttpRequest, client: Client, job_id: uuid.UUID) -> HttpResponse:
    return _retry(request, _client_job(client, job_id))


def _retry(request: HttpRequest, job: ExportJob) -> HttpResponse:
    try:
        job = services.export_retry(job=job, by=request.user)
    except services.TooManyExports as exc:
        messages.error(request, str(exc))
    else:
        audit(
            request=request,
            action=AuditEvent.Action.EXPORT,
            client_id=job.client_id,
            obj=job,
            summary=f"Export retried: {label_for(job.kind)}",
        )
    return redirect(job.get_absolute_url())


@with_client(care=True)
@require_GET
def export_download(request: HttpRequest, client: Client, job_id: uuid.UUID) -> HttpResponse:
    return _download(request, _client_job(client, job_id))


# Clinic documents ------------------------------------------------------------------


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def clinic_exports(request: HttpRequest) -> HttpResponse:
    form = ClinicExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.export_request(
                kind=form.cleaned_data["kind"], client=None, by=request.user, params={}
            )
        except services.TooManyExports as exc:
            form.add_error("kind", str(exc))
        else:
            audit(
                request=request,
                action=AuditEvent.Action.EXPORT,
                client_id=job.client_id,
                obj=job,
                summary=f"Export requested: {label_for(job.kind)}",
            )
            return redirect(job.get_absolute_url())
    jobs = clinic_exports_visible_to(request.user).select_related("requested_by")[:10]
    return render(
        request,
        "clients/exports/clinic_exports.html",
        {
            "form": form,
            "jobs": [(job, label_for(job.kind), job.get_absolute_url()) for job in jobs],
        },
    )


@with_clinic_export()
@require_GET
def clinic_export_detail(request: HttpRequest, job: ExportJob) -> HttpResponse:
    return _job_page(request, job, None)


@with_clinic_export()
@require_POST
def clinic_export_retry(request: HttpRequest, job: ExportJob) -> HttpResponse:
    return _retry(request, job)


@with_clinic_export()
@require_GET
def clinic_export_download(request: HttpRequest, job: ExportJob) -> HttpResponse:
    return _download(request, job)
