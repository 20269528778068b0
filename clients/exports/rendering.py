"""HTML → PDF with WeasyPrint, safely and cheaply.

- One FontConfiguration and one parsed print stylesheet per process: a worker
  renders many documents, and building either costs more than a small page.
- The URL fetcher serves only the app's own static files, read from disk
  through the staticfiles finders. Everything else is refused: file://,
  http(s):// (even to ourselves), and data: URLs outside a small allow-list.
  Templates are autoescaped, so client text can never become markup; the
  fetcher is the second wall.
- Presentational hints off; PDF/UA-1, so the PDF is tagged and its text extractable;
  pdf_tags.finish_tags completes the tagging (artifacts, header scopes) in WeasyPrint's
  finisher hook.
"""

from __future__ import annotations

import base64
import mimetypes
import posixpath
import threading
import urllib.parse

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from clients.exports.pdf_tags import finish_tags

# A reserved, never-resolving origin: relative URLs in templates resolve against
# it, and the fetcher maps only its /static/ paths to files on disk.
ORIGIN = "https://exports.invalid"
BASE_URL = ORIGIN + "/"
PRINT_STYLESHEET = "pdf/print.css"
DATA_URL_TYPES = frozenset({"image/png", "image/svg+xml"})
PDF_VARIANT = "pdf/ua-1"


class RefusedURL(ValueError):
    """A document asked for something outside the allow-list."""


class StaticFilesFetcher(URLFetcher):
    """Serve /static/… of the app from disk; refuse every other URL. Records each call."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False, timeout=1)
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        self.requested.append(url)
        try:
            if url.startswith("data:"):
                return self._data(url)
            return self._static(url)
        except RefusedURL:
            self.refused.append(url)
            raise

    def _static(self, url: str) -> URLFetcherResponse:
        parts = urllib.parse.urlsplit(url)
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if f"{parts.scheme}://{parts.netloc}" != ORIGIN or not parts.path.startswith(prefix):
            raise RefusedURL(f"refused: {url[:80]}")
        name = urllib.parse.unquote(parts.path[len(prefix) :])
        if posixpath.normpath(name) != name or name.startswith(("/", "..")):
            raise RefusedURL(f"refused: {url[:80]}")
        path = finders.find(name)
        if not path:
            raise RefusedURL(f"no such static file: {name[:80]}")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def _data(self, url: str) -> URLFetcherResponse:
        header, _, payload = url[len("data:") :].partition(",")
        media_type, *params = header.split(";")
        if media_type.strip().lower() not in DATA_URL_TYPES:
            raise RefusedURL(f"refused data URL of type {media_type[:40]!r}")
        if "base64" in params:
            body = base64.b64decode(payload, validate=True)
        else:
            body = urllib.parse.unquote_to_bytes(payload)
        return URLFetcherResponse(url, body, {"Content-Type": media_type})


class _Process:
    """Per-process rendering state, built on first use (after a worker forks)."""

    lock = threading.Lock()
    font_config: FontConfiguration | None = None
    stylesheet: CSS | None = None


def font_config() -> FontConfiguration:
    if _Process.font_config is None:
        with _Process.lock:
            if _Process.font_config is None:
                _Process.font_config = FontConfiguration()
    return _Process.font_config


def print_stylesheet() -> CSS:
    if _Process.stylesheet is None:
        fonts = font_config()
        with _Process.lock:
            if _Process.stylesheet is None:
                _Process.stylesheet = CSS(
                    url=f"{BASE_URL}{settings.STATIC_URL.strip('/')}/{PRINT_STYLESHEET}",
                    url_fetcher=StaticFilesFetcher(),
                    font_config=fonts,
                )
    return _Process.stylesheet


def html_to_pdf(html: str, *, fetcher: StaticFilesFetcher | None = None) -> bytes:
    """Render a whole HTML document (from an autoescaped template) to PDF bytes.

    The same HTML gives the same bytes: dates in the PDF's metadata come from
    the document's own <meta name="dcterms.created"> and no random identifier
    is written, so a job rendered twice has one checksum.
    """
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher or StaticFilesFetcher())
    return document.write_pdf(
        stylesheets=[print_stylesheet()],
        font_config=font_config(),
        pdf_variant=PDF_VARIANT,
        presentational_hints=False,
        finisher=finish_tags,
    )
