"""Hostile text in every field stays text: nothing is fetched, nothing is embedded."""

import base64
import socket

import pytest

from clients.exports import rendering
from clients.exports.rendering import ORIGIN, RefusedURL, StaticFilesFetcher, html_to_pdf
from clients.exports.services import export_request, export_run
from clients.models import ExportJob
from tests.factories_documents import full_record
from tests.pdfcheck import embedded_files, pdf_text, squash

HOSTILE = [
    '<link rel="attachment" href="file:///etc/passwd">',
    '<img src="http://127.0.0.1:{port}/x.png">',
    '<style>body{{background:url("file:///etc/passwd")}}</style>',
    '<span style="background:url(http://127.0.0.1:{port}/css)">x</span>',
]


@pytest.fixture
def listener():
    """A port on this machine that records whether anything connected to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    yield sock
    sock.close()


def nobody_connected(sock) -> bool:
    try:
        conn, _ = sock.accept()
    except BlockingIOError:
        return True
    conn.close()
    return False


@pytest.fixture
def recorded_fetchers(monkeypatch):
    fetchers: list[StaticFilesFetcher] = []

    class Recording(StaticFilesFetcher):
        def __init__(self):
            super().__init__()
            fetchers.append(self)

    monkeypatch.setattr(rendering, "StaticFilesFetcher", Recording)
    return fetchers


def test_the_fetcher_serves_the_apps_static_files_from_disk():
    fetcher = StaticFilesFetcher()
    response = fetcher.fetch(f"{ORIGIN}/static/pdf/print.css")
    assert b"@page" in response.read()
    font = fetcher.fetch(f"{ORIGIN}/static/fonts/source-serif/SourceSerifPro-Regular.ttf")
    assert len(font.read()) > 10_000
    png = "data:image/png;base64,iVBORw0KGgo="
    assert fetcher.fetch(png).read().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:6379/",
        "https://example.org/static/pdf/print.css",
        f"{ORIGIN}/etc/passwd",
        f"{ORIGIN}/static/../../../etc/passwd",
        f"{ORIGIN}/static/%2e%2e/%2e%2e/etc/passwd",
        f"{ORIGIN}/static//etc/passwd",
        "data:text/html,<script>1</script>",
        "data:application/pdf;base64,JVBERi0=",
        "ftp://127.0.0.1/x",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    fetcher = StaticFilesFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_raw_hostile_markup_fetches_nothing_outside_the_allow_list(listener, recorded_fetchers):
    # The second wall: even markup that escaped the templates cannot fetch or embed.
    port = listener.getsockname()[1]
    body = "".join(h.format(port=port) for h in HOSTILE)
    # The app's stylesheet is parsed once per process, with a fetcher of its own:
    # parse it first, so that the only fetcher recorded is the document's.
    rendering.print_stylesheet()
    recorded_fetchers.clear()
    pdf = html_to_pdf(
        f"<html lang='en'><head><title>t</title></head><body>{body}<p>ok</p></body></html>"
    )
    (fetcher,) = recorded_fetchers
    assert fetcher.refused, "the hostile URLs reached the fetcher and were refused"
    assert all(not url.startswith(f"{ORIGIN}/static/") for url in fetcher.refused)
    assert not [u for u in fetcher.requested if u not in fetcher.refused]
    assert embedded_files(pdf) == []
    assert nobody_connected(listener)


@pytest.mark.django_db
@pytest.mark.usefixtures("private_media")
def test_hostile_text_in_every_field_appears_literally_in_every_document(
    client_record, ana, dee, listener, recorded_fetchers, settings
):
    port = listener.getsockname()[1]
    hostile = " ".join(h.format(port=port) for h in HOSTILE)
    for obj in (client_record, ana, client_record.clinic):
        for field in obj._meta.concrete_fields:
            text = field.get_internal_type() in {"CharField", "TextField"}
            if text and not field.choices and field.name not in {"password", "email"}:
                setattr(obj, field.name, hostile[: field.max_length or None])
        obj.save()
    # Every free-text field of the plan, sessions, addenda and exercises, too.
    record = full_record(client_record, ana, text=hostile)

    settings.EXPORT_MAX_ACTIVE_PER_PERSON = 5  # all asked for at once, on purpose
    jobs = [
        export_request(kind="treatment_plan", client=client_record, by=ana),
        export_request(
            kind="session_summary",
            client=client_record,
            by=ana,
            params={"date_from": "2000-01-01", "date_to": "2100-01-01"},
        ),
        export_request(kind="caseload_pdf", client=None, by=dee),
        export_request(
            kind="safe_space_card",
            client=client_record,
            by=ana,
            params={"plan_id": str(record.safe_space.pk)},
        ),
        export_request(
            kind="reparenting_letter",
            client=client_record,
            by=ana,
            params={"letter_id": str(record.letter.pk)},
        ),
    ]
    for job in jobs:
        export_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == ExportJob.Status.DONE, job.error
        with job.file.open("rb") as handle:
            pdf = handle.read()
        assert embedded_files(pdf) == []
        text = squash(pdf_text(pdf))
        assert squash(hostile[:100]) in text, job.kind
        if job.kind != "caseload_pdf":
            # Untruncated free text (a note, a description, the letter) stays whole.
            assert squash(hostile) in text, job.kind
    assert recorded_fetchers, "each render used the recording fetcher"
    # The app's static files, and the exercises' own pictures (map, chart) as SVG data URLs.
    allowed = (f"{ORIGIN}/static/", "data:image/svg+xml;base64,")
    for fetcher in recorded_fetchers:
        assert fetcher.refused == []
        assert all(url.startswith(allowed) for url in fetcher.requested)
    svgs = [u for f in recorded_fetchers for u in f.requested if u.startswith(allowed[1])]
    # The map prints in two pictures (its ties; its figures and legend, under HTML labels).
    assert len(svgs) == 3, "the plan's map (two layers) and chart"
    pictures = [base64.b64decode(url.split(",", 1)[1]).decode() for url in svgs]
    assert all("<link" not in p and "<img" not in p for p in pictures)  # escaped text only
    assert any("&lt;link" in p for p in pictures), "the map's figure labels, escaped"
    assert nobody_connected(listener)
