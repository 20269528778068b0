"""One way of doing each thing: checked on the source, so a second way cannot creep back."""

import ast
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
