"""The Nu Html Checker (vnu.jar) over saved pages: one JVM start for all of them.

.ci/run installs the jar with `npm ci --prefix .ci/vnu` (pinned in .ci/vnu/package-lock.json);
VNU_JAR points elsewhere if it lives somewhere else.
"""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JAR = ROOT / ".ci" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_jar() -> Path | None:
    jar = Path(os.environ.get("VNU_JAR") or DEFAULT_JAR)
    return jar if jar.is_file() else None


def java() -> str | None:
    return shutil.which("java")


@dataclass(frozen=True)
class Message:
    file: str
    kind: str  # "error" or "info" (a warning: subType "warning")
    line: int | None
    text: str
    extract: str

    def __str__(self) -> str:
        return f"{Path(self.file).name}:{self.line}: {self.text}  [{self.extract.strip()[:90]}]"


def validate(files: list[Path]) -> list[Message]:
    """Every message vnu has about the files (errors, and warnings as kind "warning")."""
    if not files:
        return []
    run = subprocess.run(
        [java(), "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    messages = []
    for m in json.loads(run.stderr)["messages"]:
        kind = "warning" if m.get("subType") == "warning" else m["type"]
        messages.append(
            Message(
                file=m.get("url", "").removeprefix("file:"),
                kind=kind,
                line=m.get("lastLine"),
                text=m.get("message", ""),
                extract=m.get("extract", ""),
            )
        )
    return messages
