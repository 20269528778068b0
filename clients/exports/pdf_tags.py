"""Finish WeasyPrint's tagged PDF where PDF/UA asks more than WeasyPrint 70 writes.

Run as WeasyPrint's own `finisher` hook (write_pdf(finisher=...)): it gets the pydyf
document after drawing and tagging, before anything is serialised, so no PDF is
parsed back and no second library is needed at run time.

- Margin boxes (running header, footer, page numbers, the DRAFT mark) are drawn as
  `/Span <</MCID n>> BDC` marked content, but WeasyPrint leaves their structure
  elements out of the tree (its tags.py: an Artifact element in the tree is PDF 2.0
  only). Content that is neither in the tree nor an artifact fails PDF/UA (Matterhorn
  01-005), so each such sequence becomes `/Artifact <</Type /Pagination>> BDC`, and its
  slot in the parent tree is emptied.
- Table header cells get /Scope (Matterhorn 15-003): /Row for `<th scope="row">`,
  /Column otherwise, as WeasyPrint itself assumes when it links cells to headers.
"""

from __future__ import annotations

import pydyf
from weasyprint import Document

NULL = b"null"


def _number(reference: bytes) -> int:
    return int(reference.split()[0])


class _Objects:
    def __init__(self, pdf: pydyf.PDF) -> None:
        self.pdf = pdf

    def get(self, reference):
        return self.pdf.objects[_number(reference)]


def _referenced_mcids(objects: _Objects, root) -> set[tuple[int, int]]:
    """(page object number, MCID) of every marked-content sequence the tree reaches."""
    found: set[tuple[int, int]] = set()
    stack = [objects.get(ref) for ref in root["K"]]
    while stack:
        element = stack.pop()
        page = _number(element["Pg"]) if "Pg" in element else None
        for kid in element.get("K", ()):
            if isinstance(kid, int):
                found.add((page, kid))
            elif isinstance(kid, bytes):
                child = objects.get(kid)
                if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
                    stack.append(child)
    return found


def _untagged_to_artifacts(pdf: pydyf.PDF) -> None:
    objects = _Objects(pdf)
    root = objects.get(pdf.catalog["StructTreeRoot"])
    referenced = _referenced_mcids(objects, root)
    parent_tree = objects.get(root["ParentTree"])["Nums"]
    slots = dict(zip(parent_tree[0::2], parent_tree[1::2], strict=True))
    for index, page_reference in enumerate(pdf.page_references):
        page = objects.get(page_reference)
        content = objects.get(page["Contents"]).stream
        for i, item in enumerate(content):
            if not (
                isinstance(item, pydyf.Dictionary)
                and "MCID" in item
                and i + 1 < len(content)
                and content[i + 1] == b"BDC"
            ):
                continue
            mcid = item["MCID"]
            if (_number(page_reference), mcid) in referenced:
                continue
            content[i - 1] = "/Artifact"
            content[i] = pydyf.Dictionary({"Type": "/Pagination"})
            # The page's slots are its MCIDs in order, 0..n-1: empty this one.
            page_slots = slots.get(index)
            if page_slots is not None and mcid < len(page_slots):
                page_slots[mcid] = NULL


def _header_scopes(document: Document) -> None:
    for page in document.pages:
        for box in page._page_box.descendants():
            mark = getattr(box, "mark", None)
            if mark is None or box.element is None or box.element_tag != "th":
                continue
            scope = box.element.attrib.get("scope", "col")
            mark["A"]["Scope"] = {"row": "/Row", "rowgroup": "/Row"}.get(scope, "/Column")


def finish_tags(document: Document, pdf: pydyf.PDF) -> None:
    if "StructTreeRoot" not in pdf.catalog:
        return  # not a tagged variant: nothing to finish
    _header_scopes(document)
    _untagged_to_artifacts(pdf)
