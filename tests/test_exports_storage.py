"""Exported files go through Django's storage API ("exports"): a local folder by default,
an S3-compatible bucket when the app runs on more than one machine.

The bucket is a real S3 server (moto's server mode) on 127.0.0.1, started in the test
session; the worker is a real Celery process. Nothing leaves the machine.
"""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from attachment_app.storage_settings import exports_storage_from_env
from clients.exports.services import export_request, export_run, exports_expire
from clients.exports.storage import export_storage
from clients.models import ExportJob
from tests.conftest import CeleryWorker, need, wait_until
from tests.exports_helpers import downloaded
from tests.pdfcheck import is_tagged, pdf_pages_text

S3_ENV = (
    "EXPORT_STORAGE",
    "EXPORT_S3_BUCKET",
    "EXPORT_S3_ENDPOINT_URL",
    "EXPORT_S3_REGION",
    "EXPORT_S3_ACCESS_KEY_ID",
    "EXPORT_S3_SECRET_ACCESS_KEY",
    "EXPORT_S3_PREFIX",
    "EXPORT_S3_SSE",
    "EXPORT_S3_KMS_KEY_ID",
)


@pytest.fixture
def clean_env(monkeypatch):
    for name in S3_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


# Settings from the environment ---------------------------------------------------------


def test_with_nothing_set_exports_stay_in_the_private_local_folder(clean_env, tmp_path):
    clean_env.setenv("PRIVATE_MEDIA_ROOT", str(tmp_path))
    config = exports_storage_from_env("unused")
    assert config["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert config["OPTIONS"] == {
        "location": str(tmp_path),
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    }


def test_s3_settings_ask_for_encryption_and_never_a_public_object(clean_env):
    clean_env.setenv("EXPORT_STORAGE", "s3")
    clean_env.setenv("EXPORT_S3_BUCKET", "clinic-exports")
    options = exports_storage_from_env("unused")["OPTIONS"]
    assert options["bucket_name"] == "clinic-exports"
    assert options["object_parameters"] == {"ServerSideEncryption": "AES256"}
    assert options["default_acl"] is None and options["endpoint_url"] is None
    clean_env.setenv("EXPORT_S3_SSE", "aws:kms")
    clean_env.setenv("EXPORT_S3_KMS_KEY_ID", "alias/clinic")
    assert exports_storage_from_env("unused")["OPTIONS"]["object_parameters"] == {
        "ServerSideEncryption": "aws:kms",
        "SSEKMSKeyId": "alias/clinic",
    }


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"EXPORT_STORAGE": "s3"}, "EXPORT_S3_BUCKET"),
        ({"EXPORT_S3_BUCKET": "b"}, "EXPORT_STORAGE is local"),
        ({"EXPORT_STORAGE": "S4"}, "local or s3"),
        (
            {"EXPORT_STORAGE": "s3", "EXPORT_S3_BUCKET": "b", "EXPORT_S3_ACCESS_KEY_ID": "k"},
            "EXPORT_S3_SECRET_ACCESS_KEY",
        ),
        (
            {"EXPORT_STORAGE": "s3", "EXPORT_S3_BUCKET": "b", "EXPORT_S3_SECRET_ACCESS_KEY": "s"},
            "EXPORT_S3_ACCESS_KEY_ID",
        ),
        (
            {"EXPORT_STORAGE": "s3", "EXPORT_S3_BUCKET": "b", "EXPORT_S3_ENDPOINT_URL": "minio"},
            "https://",
        ),
        ({"EXPORT_STORAGE": "s3", "EXPORT_S3_BUCKET": "b", "EXPORT_S3_SSE": "none"}, "AES256"),
        (
            {"EXPORT_STORAGE": "s3", "EXPORT_S3_BUCKET": "b", "EXPORT_S3_KMS_KEY_ID": "k"},
            "aws:kms",
        ),
    ],
)
def test_half_set_storage_settings_stop_the_app_at_start_up(clean_env, env, says):
    for name, value in env.items():
        clean_env.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=says):
        exports_storage_from_env("unused")


def test_the_bucket_storage_never_makes_a_url(s3_exports):
    with pytest.raises(ValueError, match="never by URL"):
        export_storage.url("exports/1/x.pdf")


# The bucket, in process ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_prepared_file_lives_encrypted_in_the_bucket_and_expiry_deletes_it(
    s3_exports, client_record, ana, as_ana, settings
):
    s3, bucket, _ = s3_exports
    job = export_request(kind="treatment_plan", client=client_record, by=ana)
    job = export_run(job_id=job.pk)
    key = f"exports/{job.clinic_id}/{job.pk}.pdf"
    assert job.file.name == key and s3.keys(bucket) == [key]
    head = s3.client().head_object(Bucket=bucket, Key=key)
    assert head["ServerSideEncryption"] == "AES256"
    stored = s3.client().get_object(Bucket=bucket, Key=key)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == job.checksum

    response = as_ana.get(reverse("clients:export_download", args=[client_record.pk, job.pk]))
    assert response.status_code == 200 and "Location" not in response
    assert downloaded(response) == stored

    later = timezone.now() + dt.timedelta(days=client_record.clinic.export_retention_days + 1)
    assert exports_expire(now=later) == 1
    assert s3.keys(bucket) == []
    assert ExportJob.objects.get().status == ExportJob.Status.EXPIRED
    assert exports_expire(now=later) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("damage", ["changed", "missing"])
def test_a_damaged_or_missing_object_is_never_handed_out(
    s3_exports, client_record, ana, as_ana, damage
):
    s3, bucket, _ = s3_exports
    job = export_run(job_id=export_request(kind="treatment_plan", client=client_record, by=ana).pk)
    if damage == "changed":
        s3.client().put_object(Bucket=bucket, Key=job.file.name, Body=b"%PDF-1.7 truncated")
    else:
        s3.client().delete_object(Bucket=bucket, Key=job.file.name)
    response = as_ana.get(reverse("clients:export_download", args=[client_record.pk, job.pk]))
    assert response.status_code == 302
    assert ExportJob.objects.get().status == ExportJob.Status.FAILED


@pytest.fixture
def unreachable_bucket(s3_exports, settings):
    """The exports storage pointed at a closed port, answering at once (no retries)."""
    from botocore.config import Config

    from attachment_app.storage_settings import s3_exports_storage
    from tests.conftest import free_port

    s3, bucket, _ = s3_exports

    def cut() -> None:
        config = s3_exports_storage(
            bucket=bucket,
            endpoint_url=f"http://127.0.0.1:{free_port()}",
            region=s3.region,
            access_key=s3.access_key,
            secret_key=s3.secret_key,
        )
        config["OPTIONS"]["client_config"] = Config(
            s3={"addressing_style": "path"},
            signature_version="s3v4",
            retries={"max_attempts": 1, "mode": "standard"},
            connect_timeout=1,
        )
        settings.STORAGES = {**settings.STORAGES, "exports": config}

    return cut


@pytest.mark.django_db
def test_a_bucket_out_of_reach_is_a_retry_not_a_failed_document(
    unreachable_bucket, client_record, ana
):
    from clients.exports.services import TRANSIENT_ERRORS

    job = export_request(kind="treatment_plan", client=client_record, by=ana)
    unreachable_bucket()
    with pytest.raises(TRANSIENT_ERRORS):  # the task retries it (autoretry_for)
        export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.QUEUED and not job.error


@pytest.mark.django_db
def test_a_download_while_the_bucket_is_out_of_reach_says_try_again_soon(
    unreachable_bucket, client_record, ana, as_ana
):
    job = export_run(job_id=export_request(kind="treatment_plan", client=client_record, by=ana).pk)
    unreachable_bucket()
    response = as_ana.get(reverse("clients:export_download", args=[client_record.pk, job.pk]))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    # Nothing is wrong with the document: it stays ready for when the bucket is back.
    assert ExportJob.objects.get().status == ExportJob.Status.DONE


# A real worker writes to the bucket; the app streams the file back ---------------------


@pytest.mark.services
def test_the_worker_renders_into_the_bucket_and_the_app_streams_it_back(
    transactional_db, s3_exports, tmp_path, as_ana, client_record, settings
):
    from django.db import connection

    need(connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    need(bool(settings.CELERY_BROKER_URL), "set CELERY_BROKER_URL to a Redis database")
    s3, bucket, _ = s3_exports
    # The worker's local folder stays empty: the file can only come from the bucket.
    local = tmp_path / "worker_local"
    local.mkdir()
    worker = CeleryWorker(tmp_path, extra_env={"PRIVATE_MEDIA_ROOT": str(local)})
    worker.start()
    try:
        response = as_ana.post(
            reverse("clients:export_create", args=[client_record.pk]), {"kind": "treatment_plan"}
        )
        assert response.status_code == 302
        job = wait_until(
            lambda: ExportJob.objects.filter(status__in=["done", "failed"]).first(), timeout=60
        )
    finally:
        worker.stop()
    assert job.status == ExportJob.Status.DONE, job.error
    assert "clients.render_export" in worker.log_path.read_text()
    assert s3.keys(bucket) == [f"exports/{job.clinic_id}/{job.pk}.pdf"]
    assert not any(local.rglob("*"))

    download = as_ana.get(reverse("clients:export_download", args=[client_record.pk, job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download["Cache-Control"]
    pdf = downloaded(download)
    assert hashlib.sha256(pdf).hexdigest() == job.checksum
    pages = pdf_pages_text(pdf)
    assert "Robin Example" in pages[0] and "page 1 of" in pages[0]
    assert is_tagged(pdf)
