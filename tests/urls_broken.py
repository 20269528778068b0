"""A URLconf for tests: the app's own URLs plus a view that crashes and a download."""

import io

from django.http import FileResponse
from django.urls import path

from attachment_app.urls import handler400, handler403, handler404, handler500  # noqa: F401
from attachment_app.urls import urlpatterns as app_urlpatterns


def broken(request):
    raise RuntimeError("secret-detail that must never reach the page")


def download(request):
    return FileResponse(io.BytesIO(b"%PDF-1.7 test"), filename="summary.pdf")


urlpatterns = [path("broken/", broken), path("download/", download), *app_urlpatterns]
