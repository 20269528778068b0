"""The S3-compatible storage of exported documents (STORAGES["exports"] with EXPORT_STORAGE=s3).

django-storages' S3Storage, less one thing: it never makes a URL. A psychotherapy
record leaves the bucket only through the app's download views (access checked,
audited, checksum verified), never through a link that works for whoever holds it.
"""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Exported files are served by the app's download views, never by URL.")
