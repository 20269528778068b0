"""No SQL built from strings, and no sort order taken straight from the query string.

ruff's S608 (in CI) flags SQL assembled with f-strings or %; this test keeps out
the ORM's escape hatches and `order_by(request.GET[...])`, so sort and filter
parameters always pass through an allow-list in the view or form.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["attachment_app", "clients", "exercises"]

UNSORTED = "sort order straight from the request: use an allow-list"
FORBIDDEN = {
    r"\.extra\(": "QuerySet.extra() takes raw SQL",
    r"\.raw\(": "Manager.raw() takes raw SQL",
    r"\bRawSQL\(": "RawSQL takes raw SQL",
    r"order_by\(\s*\*?\s*request\.": UNSORTED,
    r"order_by\(\s*\*?\s*(params|query|qs)\[": UNSORTED,
    r"execute\(\s*f[\"']": "SQL built with an f-string",
    r"execute\([^)]*%\s*\(": "SQL built with % formatting",
}


def python_sources() -> list[Path]:
    files = []
    for app in APPS:
        files += [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    return files


def test_no_sql_is_built_from_strings_and_no_sort_comes_straight_from_the_request():
    found = []
    for path in python_sources():
        text = path.read_text()
        for pattern, why in FORBIDDEN.items():
            for match in re.finditer(pattern, text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {why}")
    assert not found, "\n".join(found)


def test_the_scan_sees_the_apps():
    assert len(python_sources()) > 20
