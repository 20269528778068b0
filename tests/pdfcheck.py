"""Read exported PDFs back: text per page, embedded files, tagging."""

import io
import re

from pypdf import PdfReader


def pdf_pages_text(pdf_bytes: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf_bytes)).pages]


def squash(text: str) -> str:
    """Whitespace-free text, so a phrase broken across lines still matches."""
    return re.sub(r"\s+", "", text)


def pdf_text(pdf_bytes: bytes) -> str:
    return "\n".join(pdf_pages_text(pdf_bytes))


def assert_no_text_in_pdf(pdf_bytes: bytes, text: str) -> None:
    """The text appears nowhere in the PDF: not in its extracted text, nor in its raw bytes."""
    extracted = pdf_text(pdf_bytes)
    assert text not in extracted and squash(text) not in squash(extracted), (
        f"{text!r} is in the PDF's text"
    )
    reader = PdfReader(io.BytesIO(pdf_bytes))
    metadata = " ".join(str(v) for v in (reader.metadata or {}).values())
    assert text not in metadata, f"{text!r} is in the PDF's metadata"


def embedded_files(pdf_bytes: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    names = list(reader.attachments)
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            if annot.get_object().get("/Subtype") == "/FileAttachment":
                names.append("annotation")
    return names


def is_tagged(pdf_bytes: bytes) -> bool:
    root = PdfReader(io.BytesIO(pdf_bytes)).trailer["/Root"]
    return "/StructTreeRoot" in root and bool(root.get("/MarkInfo", {}).get("/Marked"))
