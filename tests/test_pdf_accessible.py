"""Every kind of exported PDF, parsed back, meets PDF/UA in substance (tests/pdfua.py).

veraPDF cannot run here; README, "Validators", lists the Matterhorn checkpoints covered.
"""

from collections.abc import Iterator

import pytest
from django.template.loader import render_to_string
from weasyprint import HTML

from attachment_app.dates import clinic_dates
from clients.exports import registry
from clients.exports.rendering import (
    BASE_URL,
    StaticFilesFetcher,
    font_config,
    html_to_pdf,
    print_stylesheet,
)
from clients.exports.services import export_context, export_request, export_run
from clients.models import ExportJob
from exercises.exports import svg_image_src
from exercises.svg.charts import PlanePoint, style_plane_svg
from tests.factories_documents import full_record
from tests.pdfcheck import pdf_text, squash
from tests.pdfua import font_names, header_scopes, pdfua_problems, without_artifacts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

# A name typed without spaces, a pasted URL: 300 characters with nowhere to break.
LONG_WORD = ("Unbrokenwordwithoutanyspace" * 12)[:296] + "END!"


def params_for(kind: str, record) -> dict:
    """What each kind needs to render (a new kind fails the test until it is added here)."""
    return {
        registry.TREATMENT_PLAN: {},
        registry.SESSION_SUMMARY: {"date_from": "2000-01-01", "date_to": "2100-01-01"},
        registry.CASELOAD_PDF: {},
        registry.SAFE_SPACE_CARD: {"plan_id": str(record.safe_space.pk)},
        registry.REPARENTING_LETTER: {"letter_id": str(record.letter.pk)},
        registry.CONSENT: {"consent_id": str(record.consent.pk)},
        registry.DISCHARGE_SUMMARY: {"discharge_id": str(record.discharge.pk)},
        registry.RELEASE_BUNDLE: {"release_id": str(record.release.pk)},
    }[kind]


def pdf_kinds() -> list[registry.DocumentKind]:
    kinds = registry.documents("client") + registry.documents("clinic")
    return [k for k in kinds if k.format == "pdf"]


def document_jobs(client_record, ana, dee, *, text: str = "") -> Iterator[ExportJob]:
    """A requested job for every PDF kind, on one full record: one at a time, as each
    person may have only a few documents being prepared at once."""
    record = full_record(client_record, ana, text=text)
    for kind in pdf_kinds():
        clinic_wide = kind.scope == "clinic"
        yield export_request(
            kind=kind.key,
            client=None if clinic_wide else client_record,
            by=dee if clinic_wide else ana,
            # Draft copies carry the most: every section and the DRAFT mark on each page.
            params={
                **params_for(kind.key, record),
                **({"include_drafts": True} if kind.has_drafts else {}),
            },
        )


def every_document(client_record, ana, dee, *, text: str = "") -> dict[str, bytes]:
    pdfs = {}
    for job in document_jobs(client_record, ana, dee, text=text):
        export_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == ExportJob.Status.DONE, (job.kind, job.error)
        with job.file.open("rb") as handle:
            pdfs[job.kind] = handle.read()
    return pdfs


def test_the_registry_lists_every_kind_this_test_renders():
    assert {k.key for k in pdf_kinds()} == {
        registry.TREATMENT_PLAN,
        registry.SESSION_SUMMARY,
        registry.CASELOAD_PDF,
        registry.SAFE_SPACE_CARD,
        registry.REPARENTING_LETTER,
        registry.CONSENT,
        registry.DISCHARGE_SUMMARY,
        registry.RELEASE_BUNDLE,
    }


def test_every_kind_of_document_is_tagged_in_substance(client_record, ana, dee):
    failures = {}
    for kind, pdf in every_document(client_record, ana, dee).items():
        problems = {check: found for check, found in pdfua_problems(pdf).items() if found}
        if problems:
            failures[kind] = {
                check: found[:5] + [f"({len(found)})"] for check, found in problems.items()
            }
    assert not failures, failures


def test_running_headers_page_numbers_and_the_draft_mark_are_artifacts(client_record, ana, dee):
    pdf = every_document(client_record, ana, dee)[registry.TREATMENT_PLAN]
    printed, read_out = pdf_text(pdf), pdf_text(without_artifacts(pdf))
    for margin_text in ("DRAFT · not signed", "page 1 of", "Confidential psychotherapy record"):
        assert margin_text in printed  # still on the page ...
        assert margin_text not in read_out  # ... but not read out as the document's content
    assert "Feel steadier when apart" in read_out  # the plan itself is content


def test_a_long_unbroken_word_wraps_and_is_extracted_whole_from_every_document(
    client_record, ana, dee
):
    # The caseload lists names only: the client's name carries the word there.
    client_record.legal_last_name = LONG_WORD[
        : type(client_record)._meta.get_field("legal_last_name").max_length
    ]
    client_record.save()
    for kind, pdf in every_document(client_record, ana, dee, text=LONG_WORD).items():
        word = LONG_WORD if kind != registry.CASELOAD_PDF else client_record.legal_last_name
        text = pdf_text(pdf)
        assert squash(word) in squash(text), f"{kind}: the word is cut off"
        # No page is wide enough for it on one line: whole on one line means past the edge.
        longest = max(len(part) for line in text.splitlines() for part in line.split())
        assert longest < min(120, len(word)), (
            f"{kind}: a line runs {longest} characters without a break"
        )


def test_the_client_and_session_facts_are_tables_with_row_headers_not_lists(
    client_record, ana, dee
):
    pdfs = every_document(client_record, ana, dee)
    plan = header_scopes(pdfs[registry.TREATMENT_PLAN])
    assert plan.count("/Row") >= 4  # client, date of birth, clinic, therapist
    sessions = header_scopes(pdfs[registry.SESSION_SUMMARY])
    assert sessions.count("/Row") >= 4 + 3 * 3  # the header, and 3 facts for each of 3 sessions
    assert header_scopes(pdfs[registry.CASELOAD_PDF]) == ["/Column"] * 5


def test_text_in_the_exercises_pictures_is_set_in_the_documents_own_fonts(db):
    points = [PlanePoint(label="1 Jan", anxiety=5, avoidance=2)]
    picture = svg_image_src(style_plane_svg(points))
    pdf = html_to_pdf(
        f'<!DOCTYPE html><html lang="en"><title>t</title><img src="{picture}" alt="Chart">'
    )
    fonts = font_names(pdf)
    assert fonts and all(name.startswith("Print-") for name in fonts), fonts


def test_nothing_in_any_document_runs_past_the_right_margin(client_record, ana, dee):
    """Laid out as the worker lays it out: every box ends inside the page's text column
    (a fixed-layout table once added its cells' padding to widths that made 100%)."""
    for job in document_jobs(client_record, ana, dee):
        document = registry.get_document(job.kind)
        with clinic_dates(job.clinic):
            html = render_to_string(document.template, export_context(job, document))
        pages = (
            HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
            .render(stylesheets=[print_stylesheet()], font_config=font_config())
            .pages
        )
        for number, page in enumerate(pages, start=1):
            page_box = page._page_box
            right = page_box.content_box_x() + page_box.width
            for box in page_box.descendants():
                end = box.border_box_x() + box.border_width()
                assert end <= right + 0.01, (job.kind, number, box.element_tag, end - right)
        job.delete()  # laid out here, never run: not left waiting
