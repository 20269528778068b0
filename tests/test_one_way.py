"""One way of doing each thing: checked on the source, so a second way cannot creep back."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("attachment_app", "clients", "exercises")
AUDIT_MODULE = ROOT / "attachment_app" / "audit.py"
LAYERS = {"views", "forms", "selectors", "charts", "services"}


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def test_the_source_scan_finds_the_apps():
    assert len(list(app_modules())) > 100


def audit_problems(tree: ast.Module) -> list[str]:
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "attachment_app.audit":
            writers = {a.name for a in node.names} & {"audit_record", "audit_request"}
            problems += [f"imports {name}" for name in sorted(writers)]
        if isinstance(node, ast.FunctionDef) and (
            node.name == "audit" or node.name.startswith("_audit")
        ):
            problems.append(f"line {node.lineno}: a wrapper around audit ({node.name})")
        if not isinstance(node, ast.Call):
            continue
        name = called_name(node)
        if name == "AuditEvent" or (
            name in {"create", "bulk_create"}
            and isinstance(node.func, ast.Attribute)
            and "AuditEvent" in ast.unparse(node.func.value)
        ):
            problems.append(f"line {node.lineno}: writes AuditEvent rows directly")
        if name == "audit" and node.args:
            problems.append(f"line {node.lineno}: audit() called with positional arguments")
    return problems


@pytest.mark.parametrize(
    "path",
    [p for p in app_modules() if p != AUDIT_MODULE],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_audit_rows_are_written_only_by_the_one_audit_call(path):
    assert audit_problems(parsed(path)) == []


def test_the_audit_scan_names_each_other_way():
    source = (
        "from attachment_app.audit import audit_request\n"
        "def _audit(request, action):\n"
        "    audit(request, action)\n"
        "AuditEvent.objects.create(action='view')\n"
        "AuditEvent(action='view').save()\n"
    )
    assert sorted(audit_problems(ast.parse(source))) == [
        "imports audit_request",
        "line 2: a wrapper around audit (_audit)",
        "line 3: audit() called with positional arguments",
        "line 4: writes AuditEvent rows directly",
        "line 5: writes AuditEvent rows directly",
    ]


@pytest.mark.parametrize("app", ["clients", "exercises"])
def test_each_layer_of_an_app_is_one_package(app):
    root = ROOT / app
    assert (
        sorted(
            p.name for p in root.glob("*.py") if "_" in p.stem and p.stem.split("_")[0] in LAYERS
        )
        == []
    )
    for layer in ("views", "forms", "selectors"):
        assert (root / layer / "__init__.py").exists() or (root / f"{layer}.py").exists()


def view_imports(path: Path) -> list[str]:
    """The other view modules a view module imports (its package's `common` helpers aside)."""
    app = path.parent.parent.name
    found = []
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == f"{app}.views":
                found += [a.name for a in node.names if a.name != "common"]
            elif node.module.startswith(f"{app}.views.") and node.module != f"{app}.views.common":
                found.append(node.module)
    return found


@pytest.mark.parametrize(
    "path",
    sorted([*ROOT.glob("clients/views/*.py"), *ROOT.glob("exercises/views/*.py")]),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_view_module_imports_another(path):
    assert view_imports(path) == []


def test_the_view_scan_sees_a_view_importing_a_view(tmp_path):
    views = tmp_path / "clients" / "views"
    views.mkdir(parents=True)
    (views / "caseload.py").write_text(
        "from clients.views.clients import ask_to_confirm\nfrom clients.views.common import x\n"
    )
    assert view_imports(views / "caseload.py") == ["clients.views.clients"]


# One way to build URLs. An object that is a page says where it lives in its model
# (get_absolute_url, and url_for(ids) for rows read as plain values): Python uses
# redirect(obj) or obj.get_absolute_url(), templates {{ obj.get_absolute_url }}. Every
# other page is reached by its name: {% url %} in templates, reverse() or
# redirect("name", ...) in Python. No path is ever written by hand.
OBJECT_PAGES = {
    "clients:client_detail": "clients/models/clients.py",
    "clients:appointment_detail": "clients/models/appointments.py",
    "clients:session_detail": "clients/models/sessions.py",
    "exercises:exploration_detail": "exercises/models/exploration.py",
    "exercises:map_detail": "exercises/models/maps.py",
    "exercises:safe_space_detail": "exercises/models/safe_space.py",
}
# Route tables are where paths are written; these modules match request paths, building none.
PATH_MATCHERS = {
    "attachment_app/middleware.py": "the second-factor gate lets these path prefixes through",
    "clients/access.py": "the companion boundary keeps a client account inside these prefixes",
}
URL_ATTRIBUTE = re.compile(
    r"\b(href|action|formaction|src|hx-(?:get|post|put|patch|delete)|data-[\w-]*url)=\"([^\"]*)\""
)
TEMPLATE_TAG = re.compile(r"\{[{%].*?[%}]\}", re.S)
PATH_PIECE = re.compile(r"^/?[a-z][\w.-]*/$")


def app_path_prefixes(patterns=None) -> set[str]:
    """The first path segments the project serves (clients, exercises, accounts...)."""
    from django.urls import URLResolver, get_resolver

    found = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        segment = str(pattern.pattern).lstrip("^").split("/")[0]
        if not segment and isinstance(pattern, URLResolver):
            found |= app_path_prefixes(pattern.url_patterns)
        elif segment and "<" not in segment and "(" not in segment:
            found.add(segment.rstrip("$"))
    return found


def hand_built_urls(tree: ast.Module, prefixes: set[str], *, where: str = "") -> list[str]:
    app_path = re.compile("^/({})(/|$)".format("|".join(map(re.escape, sorted(prefixes)))))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if app_path.match(node.value):
                problems.append(f"line {node.lineno}: a path written by hand: {node.value!r}")
            if node.value in OBJECT_PAGES and OBJECT_PAGES[node.value] != where:
                problems.append(
                    f"line {node.lineno}: {node.value} by name; the object's get_absolute_url"
                )
        if isinstance(node, ast.JoinedStr):
            pieces = node.values
            for before, piece in zip(pieces, pieces[1:], strict=False):
                if (
                    isinstance(before, ast.FormattedValue)
                    and isinstance(piece, ast.Constant)
                    and re.match(r"^/?[a-z][\w-]*/", piece.value)
                ):
                    problems.append(f"line {node.lineno}: a path built in an f-string")
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Add)
            and any(
                isinstance(side, ast.Constant)
                and isinstance(side.value, str)
                and PATH_PIECE.match(side.value)
                for side in (node.left, node.right)
            )
        ):
            problems.append(f"line {node.lineno}: a path built by concatenation")
    return problems


def test_the_path_matchers_name_paths_the_project_serves():
    """The prefixes written by hand in PATH_MATCHERS are the route table's, so a renamed
    route cannot leave a boundary letting an old path through or keeping a new one out."""
    from django.conf import settings

    from attachment_app.middleware import MfaRequiredMiddleware
    from clients.access import COMPANION_ALSO_ALLOWED, COMPANION_PREFIX

    served = app_path_prefixes()
    static = "/" + settings.STATIC_URL.strip("/") + "/"
    prefixes = {
        COMPANION_PREFIX,
        *COMPANION_ALSO_ALLOWED,
        *MfaRequiredMiddleware.ALLOWED_PREFIXES,
    }
    assert sorted(p for p in prefixes if p != static and p.strip("/") not in served) == []


def template_urls(text: str) -> list[str]:
    problems = []
    for match in URL_ATTRIBUTE.finditer(text):
        literal = TEMPLATE_TAG.sub("", match.group(2))
        if "/" in literal and not literal.startswith(("https://", "http://www.w3.org/")):
            problems.append(f"a path written by hand: {match.group(0)}")
    for name in OBJECT_PAGES:
        if f"{{% url '{name}'" in text or f'{{% url "{name}"' in text:
            problems.append(f"{{% url '{name}' %}}: the object's get_absolute_url")
    return problems


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in app_modules()
        if p.name != "urls.py" and str(p.relative_to(ROOT)) not in PATH_MATCHERS
    ],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_app_code_builds_no_path_by_hand(path):
    where = str(path.relative_to(ROOT))
    assert hand_built_urls(parsed(path), app_path_prefixes(), where=where) == []


@pytest.mark.parametrize(
    "path", sorted((ROOT / "templates").rglob("*.html")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_templates_build_no_path_by_hand(path):
    assert template_urls(path.read_text()) == []


def test_the_url_scans_name_each_hand_built_path():
    source = (
        'redirect("/clients/")\n'
        'url = f"/clients/{client.pk}/"\n'
        'edit = f"{base}edit/"\n'
        'more = client.get_absolute_url() + "sessions/"\n'
        'redirect("clients:client_detail", client.pk)\n'
        'redirect("clients:plan_detail", client.pk)\n'
        'label = f"{done}/{total} done"\n'
    )
    assert sorted(hand_built_urls(ast.parse(source), {"clients", "exercises"})) == [
        "line 1: a path written by hand: '/clients/'",
        "line 2: a path written by hand: '/clients/'",
        "line 3: a path built in an f-string",
        "line 4: a path built by concatenation",
        "line 5: clients:client_detail by name; the object's get_absolute_url",
    ]
    assert template_urls(
        '<a href="/clients/">x</a><a href="{{ c.get_absolute_url }}edit/">e</a>'
        "<a href=\"{% url 'clients:client_detail' c.pk %}\">c</a>"
        "<a href=\"{% url 'clients:plan_detail' c.pk %}?tab=goals#now\">p</a>"
        '<a href="https://example.org/help">h</a>'
    ) == [
        'a path written by hand: href="/clients/"',
        'a path written by hand: href="{{ c.get_absolute_url }}edit/"',
        "{% url 'clients:client_detail' %}: the object's get_absolute_url",
    ]


# Views stay short: validation and cleaned values live in forms, state changes (and their
# audit rows) in services, what a page reads in selectors. A view longer than this moves
# its work out; the count is the body's lines, without its docstring and decorators.
VIEW_MAX_LINES = 30


def long_functions(tree: ast.Module, limit: int = VIEW_MAX_LINES) -> list[str]:
    found = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        body = node.body
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            body = body[1:]
        lines = body[-1].end_lineno - body[0].lineno + 1 if body else 0
        if lines > limit:
            found.append(f"{node.name}: {lines} lines")
    return found


@pytest.mark.parametrize(
    "path",
    sorted([*ROOT.glob("clients/views/*.py"), *ROOT.glob("exercises/views/*.py")]),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_views_are_short(path):
    assert long_functions(parsed(path)) == []


def test_the_view_length_scan_counts_the_body_only():
    body = "\n".join(f"    x{i} = {i}" for i in range(31))
    source = (
        "@with_client(care=True)\n"
        f'def long_view(request):\n    """A docstring\n\n    of four lines."""\n{body}\n'
        f'def short_view(request):\n    """Doc."""\n' + "\n".join(body.splitlines()[:30]) + "\n"
    )
    assert long_functions(ast.parse(source)) == ["long_view: 31 lines"]
