"""The treatment-plan PDF's print rules: no forced page breaks, and keep-together only on
small blocks, so no page is left half empty where the next section could have started."""

import re
from pathlib import Path

PRINT_CSS = Path("static/pdf/print.css").read_text()
PLAN_TEMPLATES = [
    Path("templates/pdf/treatment_plan.html"),
    *Path("templates/exercises/pdf").glob("_plan_*.html"),
]
# Blocks small enough to keep together: a list item, a signature, a chart row, an addendum.
SMALL = {
    "ul.lines > li",
    ".goal li",
    ".goal .interventions",
    ".signature",
    ".addendum",
    ".keep",
    ".chart-row",
    "body.warm .card",
    "ul.steps > li",
}


def rules() -> list[tuple[str, str]]:
    css = re.sub(r"/\*.*?\*/", "", PRINT_CSS, flags=re.S)
    return [(sel.strip(), body) for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)]


def test_the_plan_has_no_forced_page_breaks():
    for selector, body in rules():
        assert not re.search(r"(page-)?break-before:\s*(page|always)", body), selector
        assert not re.search(r"(page-)?break-after:\s*(page|always)", body), selector
    for template in PLAN_TEMPLATES:
        assert "break-before" not in template.read_text(), template


def test_only_small_blocks_are_kept_together():
    for selector, body in rules():
        if "break-inside: avoid" in body:
            for part in selector.split(","):
                assert part.strip() in SMALL, part


def test_the_map_is_not_inside_a_keep_together_block():
    html = Path("templates/exercises/pdf/_plan_relationship_map.html").read_text()
    head = html.split("_map_picture.html")[0]
    assert 'class="keep"' not in head
