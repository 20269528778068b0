"""PDF/UA in substance: a tagged PDF read back with pikepdf, the checks veraPDF would make.

Each function returns a list of problems (empty when the document passes), so a test
can report all of them at once. The Matterhorn Protocol checkpoint each one covers is
named in its docstring (README, "Validators").
"""

import io
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Dictionary, Name

TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
PAINT_OPERATORS = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do"}


def open_pdf(pdf_bytes: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(pdf_bytes))


@dataclass
class MarkedContent:
    """What the content streams of a document hold, by page."""

    mcids: set[tuple[int, int]] = field(default_factory=set)  # (page object id, MCID)
    artifacts: int = 0
    untagged: list[str] = field(default_factory=list)  # content outside MCID and Artifact


def _properties(resources, operand):
    if isinstance(operand, Dictionary):
        return operand
    props = resources.get("/Properties") if resources is not None else None
    if props is not None and operand in props:
        return props[operand]
    return Dictionary()


def _walk_stream(stream_owner, resources, page_id, found: MarkedContent, where: str, inherited):
    # A stack of what each open marked-content sequence is: "mcid", "artifact" or "other".
    stack: list[str] = list(inherited)
    for operands, operator in pikepdf.parse_content_stream(stream_owner):
        op = str(operator)
        if op == "BDC":
            tag, props = operands[0], _properties(resources, operands[1])
            if tag == Name.Artifact:
                found.artifacts += 1
                stack.append("artifact")
            elif "/MCID" in props:
                found.mcids.add((page_id, int(props.MCID)))
                stack.append("mcid")
            else:
                stack.append("other")
        elif op == "BMC":
            if operands[0] == Name.Artifact:
                found.artifacts += 1
                stack.append("artifact")
            else:
                stack.append("other")
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op in TEXT_OPERATORS or op in PAINT_OPERATORS:
            covered = any(kind in {"mcid", "artifact"} for kind in stack)
            if op == "Do" and resources is not None:
                xobject = resources.get("/XObject", {}).get(operands[0])
                if xobject is not None and xobject.get("/Subtype") == Name.Form:
                    # A form XObject's content is judged as if drawn here.
                    _walk_stream(
                        xobject,
                        xobject.get("/Resources", resources),
                        page_id,
                        found,
                        f"{where} form {operands[0]}",
                        stack,
                    )
                    continue
            if not covered:
                found.untagged.append(f"{where}: {op} outside tagged content and artifacts")


def marked_content(pdf: pikepdf.Pdf) -> MarkedContent:
    found = MarkedContent()
    for number, page in enumerate(pdf.pages, start=1):
        _walk_stream(page.obj, page.obj.get("/Resources"), page.obj.objgen, found, f"p{number}", [])
    return found


def structure_elements(pdf: pikepdf.Pdf):
    """Every structure element, depth first, with the page it inherits."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return

    def walk(node, page):
        kids = node.get("/K")
        if kids is None:
            return
        if not isinstance(kids, pikepdf.Array):
            kids = [kids]
        for kid in kids:
            if isinstance(kid, Dictionary) and "/S" in kid and kid.get("/Type") != Name.MCR:
                kid_page = kid.get("/Pg", page)
                yield kid, kid_page
                yield from walk(kid, kid_page)

    yield from walk(root, None)


def mcids_in_structure(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    """(page, MCID) pairs the structure tree points at."""
    referenced = set()
    for element, page in structure_elements(pdf):
        kids = element.get("/K")
        if kids is None:
            continue
        if not isinstance(kids, pikepdf.Array):
            kids = [kids]
        for kid in kids:
            if isinstance(kid, int) and page is not None:
                referenced.add((page.objgen, int(kid)))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                kid_page = kid.get("/Pg", page)
                referenced.add((kid_page.objgen, int(kid.MCID)))
    return referenced


def untagged_content(pdf: pikepdf.Pdf) -> list[str]:
    """Matterhorn 01-005 (content neither tagged nor an artifact), 01-001/-002 (artifacts
    tagged, tagged content not marked as artifact): every marked-content sequence with an
    MCID is referenced by the structure tree, and nothing is drawn outside of one or an
    artifact."""
    found = marked_content(pdf)
    orphans = sorted(found.mcids - mcids_in_structure(pdf))
    problems = [
        f"MCID {mcid} on page object {page} is not in the structure tree" for page, mcid in orphans
    ]
    return problems + found.untagged


def _attribute(element, key: str):
    attributes = element.get("/A")
    if attributes is None:
        return None
    if isinstance(attributes, Dictionary):
        attributes = [attributes]
    for attribute in attributes:
        if isinstance(attribute, Dictionary) and key in attribute:
            return attribute[key]
    return None


def headers_without_scope(pdf: pikepdf.Pdf) -> list[str]:
    """Matterhorn 15-003: every TH says whether it heads a row, a column or both."""
    return [
        f"TH #{n} has no /Scope"
        for n, (element, _page) in enumerate(structure_elements(pdf))
        if str(element.S) == "/TH" and _attribute(element, "/Scope") is None
    ]


def figures_without_alt(pdf: pikepdf.Pdf) -> list[str]:
    """Matterhorn 13-004: every Figure has alternative text."""
    return [
        f"Figure #{n} has no /Alt"
        for n, (element, _page) in enumerate(structure_elements(pdf))
        if str(element.S) == "/Figure" and not str(element.get("/Alt", "")).strip()
    ]


def structure_types(pdf: pikepdf.Pdf) -> list[str]:
    return [str(element.S) for element, _page in structure_elements(pdf)]


def fonts_not_embedded(pdf: pikepdf.Pdf) -> list[str]:
    """Matterhorn 31-009 (and 31-001..): every font's program is in the file."""
    problems, seen = [], set()

    def check(resources):
        if resources is None:
            return
        for name, font in (resources.get("/Font") or {}).items():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            if font.get("/Subtype") == Name.Type3:
                continue  # glyphs drawn by content streams: nothing to embed
            fonts = font.get("/DescendantFonts") or [font]
            for f in fonts:
                descriptor = f.get("/FontDescriptor") or {}
                if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    problems.append(f"font {name} ({f.get('/BaseFont')}) is not embedded")
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == Name.Form:
                check(xobject.get("/Resources"))

    for page in pdf.pages:
        check(page.obj.get("/Resources"))
    return problems


def language_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Matterhorn 11-001: the natural language of the text can be determined (catalog /Lang)."""
    return [] if str(pdf.Root.get("/Lang", "")).strip() else ["the catalog has no /Lang"]


def title_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Matterhorn 07-001/07-002: a viewer shows the document's title, not its file name."""
    preferences = pdf.Root.get("/ViewerPreferences") or {}
    return [] if preferences.get("/DisplayDocTitle") else ["DisplayDocTitle is not true"]


def heading_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Matterhorn 14-002 (the first heading is H1), 14-003 (no level skipped going down)."""
    levels = [
        int(str(element.S)[2:])
        for element, _page in structure_elements(pdf)
        if str(element.S) in {f"/H{n}" for n in range(1, 7)}
    ]
    problems = [] if not levels or levels[0] == 1 else [f"the first heading is H{levels[0]}"]
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            problems.append(f"H{after} follows H{before}")
    return problems


def unicode_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Matterhorn 10-001 / 31-027, in part: every composite font maps its glyphs to Unicode."""
    problems = []
    for page in pdf.pages:
        for name, font in (page.obj.get("/Resources", {}).get("/Font") or {}).items():
            if font.get("/Subtype") == Name.Type0 and "/ToUnicode" not in font:
                problems.append(f"font {name} has no /ToUnicode")
    return problems


def pdfua_problems(pdf_bytes: bytes) -> dict[str, list[str]]:
    """Every check above, by name: {} problems everywhere means the document passes."""
    with open_pdf(pdf_bytes) as pdf:
        return {
            "untagged content": untagged_content(pdf),
            "TH without scope": headers_without_scope(pdf),
            "figure without alt": figures_without_alt(pdf),
            "font not embedded": fonts_not_embedded(pdf),
            "language": language_problems(pdf),
            "title": title_problems(pdf),
            "headings": heading_problems(pdf),
            "unicode": unicode_problems(pdf),
        }


def without_artifacts(pdf_bytes: bytes) -> bytes:
    """The PDF with the text of its artifacts removed: what assistive technology reads."""
    with open_pdf(pdf_bytes) as pdf:
        for page in pdf.pages:
            kept, stack = [], []
            for operands, operator in pikepdf.parse_content_stream(page.obj):
                op = str(operator)
                if op in {"BDC", "BMC"}:
                    stack.append(operands[0] == Name.Artifact)
                elif op == "EMC" and stack:
                    stack.pop()
                elif op in TEXT_OPERATORS and any(stack):
                    continue
                kept.append(pikepdf.ContentStreamInstruction(operands, operator))
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def header_scopes(pdf_bytes: bytes) -> list[str]:
    """The /Scope of every TH, in order ("/Row", "/Column", or "" when missing)."""
    with open_pdf(pdf_bytes) as pdf:
        return [
            str(_attribute(element, "/Scope") or "")
            for element, _page in structure_elements(pdf)
            if str(element.S) == "/TH"
        ]


def font_names(pdf_bytes: bytes) -> set[str]:
    """The base names of every font the pages (and their form XObjects) use, subset tag off."""
    names = set()
    with open_pdf(pdf_bytes) as pdf:

        def collect(resources):
            if resources is None:
                return
            for font in (resources.get("/Font") or {}).values():
                names.add(str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1])
            for xobject in (resources.get("/XObject") or {}).values():
                if xobject.get("/Subtype") == Name.Form:
                    collect(xobject.get("/Resources"))

        for page in pdf.pages:
            collect(page.obj.get("/Resources"))
    return names
