"""Where exported documents are kept, read from the environment (STORAGES["exports"]).

- `local` (the default): a folder on this host, PRIVATE_MEDIA_ROOT, files 0600 in
  folders 0700. Right for one machine; several hosts do not share it.
- `s3`: an S3-compatible bucket through django-storages (AWS S3, MinIO, Ceph, ...),
  shared by every web and worker process wherever it runs. Objects are private,
  written with server-side encryption, and never handed out by URL: downloads
  stream through the app's own views, which check access.

Half-set configuration stops the app at start-up rather than writing psychotherapy
records somewhere nobody meant (a bucket named while the local folder is chosen, a key
id without its secret, a KMS key without KMS encryption).
"""

from django.core.exceptions import ImproperlyConfigured

from attachment_app.env import env_str

EXPORTS = "exports"
S3_VARIABLES = (
    "EXPORT_S3_BUCKET",
    "EXPORT_S3_ENDPOINT_URL",
    "EXPORT_S3_REGION",
    "EXPORT_S3_ACCESS_KEY_ID",
    "EXPORT_S3_SECRET_ACCESS_KEY",
    "EXPORT_S3_PREFIX",
    "EXPORT_S3_SSE",
    "EXPORT_S3_KMS_KEY_ID",
)
ENCRYPTIONS = ("AES256", "aws:kms")


def local_exports_storage(location: str) -> dict:
    """The embedded default: readable by the app's own user only."""
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": location,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }


def s3_exports_storage(
    *,
    bucket: str,
    endpoint_url: str = "",
    region: str = "",
    access_key: str = "",
    secret_key: str = "",
    prefix: str = "",
    encryption: str = "AES256",
    kms_key_id: str = "",
) -> dict:
    if not bucket:
        raise ImproperlyConfigured("EXPORT_STORAGE=s3 needs EXPORT_S3_BUCKET")
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured(
            "Set both EXPORT_S3_ACCESS_KEY_ID and EXPORT_S3_SECRET_ACCESS_KEY, or neither "
            "(then boto3 finds credentials itself: AWS_* variables, an instance role)"
        )
    if endpoint_url and not endpoint_url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"EXPORT_S3_ENDPOINT_URL must start with https:// or http://, not {endpoint_url!r}"
        )
    if encryption not in ENCRYPTIONS:
        raise ImproperlyConfigured(
            f"EXPORT_S3_SSE must be one of {', '.join(ENCRYPTIONS)}, not {encryption!r}"
        )
    if kms_key_id and encryption != "aws:kms":
        raise ImproperlyConfigured("EXPORT_S3_KMS_KEY_ID needs EXPORT_S3_SSE=aws:kms")
    object_parameters = {"ServerSideEncryption": encryption}
    if kms_key_id:
        object_parameters["SSEKMSKeyId"] = kms_key_id
    return {
        "BACKEND": "attachment_app.s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "location": prefix.strip("/"),
            # An S3-compatible server at its own address (MinIO, a test server) is
            # reached by path: bucket names need no DNS of their own.
            "addressing_style": "path" if endpoint_url else None,
            "signature_version": "s3v4",
            # Requested on every object: encrypted at rest by the server.
            "object_parameters": object_parameters,
            # No ACL on objects: they are as private as the bucket (never public).
            "default_acl": None,
            # One object per job, named by the job: preparing it again replaces it.
            "file_overwrite": True,
        },
    }


def exports_storage_from_env(default_location: str) -> dict:
    """STORAGES["exports"] from EXPORT_STORAGE and the EXPORT_S3_* variables."""
    kind = env_str("EXPORT_STORAGE", "local").strip().lower() or "local"
    if kind == "local":
        stray = [name for name in S3_VARIABLES if env_str(name)]
        if stray:
            raise ImproperlyConfigured(
                f"{', '.join(stray)} set while EXPORT_STORAGE is local: set EXPORT_STORAGE=s3 "
                "to keep exports in the bucket, or unset them"
            )
        return local_exports_storage(env_str("PRIVATE_MEDIA_ROOT", default_location))
    if kind == "s3":
        return s3_exports_storage(
            bucket=env_str("EXPORT_S3_BUCKET"),
            endpoint_url=env_str("EXPORT_S3_ENDPOINT_URL"),
            region=env_str("EXPORT_S3_REGION"),
            access_key=env_str("EXPORT_S3_ACCESS_KEY_ID"),
            secret_key=env_str("EXPORT_S3_SECRET_ACCESS_KEY"),
            prefix=env_str("EXPORT_S3_PREFIX"),
            encryption=env_str("EXPORT_S3_SSE") or "AES256",
            kms_key_id=env_str("EXPORT_S3_KMS_KEY_ID"),
        )
    raise ImproperlyConfigured(f"EXPORT_STORAGE must be local or s3, not {kind!r}")
