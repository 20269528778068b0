"""Read pip-audit's JSON: fail on a known vulnerability, say loudly what went unchecked."""

import json
import sys
from pathlib import Path

path = Path(sys.argv[1])
if not path.exists() or not path.read_text().strip():
    print("WARNING: pip-audit produced no report; dependencies were NOT checked.", file=sys.stderr)
    sys.exit(0)
dependencies = json.loads(path.read_text())["dependencies"]
vulnerable = [d for d in dependencies if d.get("vulns")]
unchecked = [d for d in dependencies if d.get("skip_reason")]
for dep in vulnerable:
    ids = ", ".join(v["id"] for v in dep["vulns"])
    print(f"VULNERABLE: {dep['name']} {dep.get('version', '')}: {ids}", file=sys.stderr)
if unchecked:
    print(
        f"WARNING: {len(unchecked)} of {len(dependencies)} dependencies could not be checked "
        "against the advisory service (unreachable from here); they are NOT known to be safe.",
        file=sys.stderr,
    )
if vulnerable:
    sys.exit(1)
print(f"pip-audit: {len(dependencies) - len(unchecked)} checked, no known vulnerability.")
