"""One way of doing each thing: checked on the source, so a second way cannot creep back."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("attachment_app", "clients", "exercises")
AUDIT_MODULE = ROOT / "attachment_app" / "audit.py"


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
