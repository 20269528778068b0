"""Over HTTP: gunicorn as the compose file runs it, loaded by wrk on 127.0.0.1.

Concurrency 32 for a fixed time per case; the floor is /ping under the same
server. Cases and floor alternate, order reversed each round, and a case's
throughput is read as a ratio to the floor's in the same round. On a 2-core
machine wrk shares the cores with gunicorn and PostgreSQL, so only the ratios
carry over to other machines. A feature adds a URL with one line:

    http_case("caseload view", lambda s: "/caseload/", who="admin", target=0.15)

(target: the smallest acceptable throughput ratio to the floor).
"""

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.test import Client

from bench.harness import Context, Row, Section, section

HERE = Path(__file__).resolve().parent
COMPOSE = HERE.parent / "docker-compose.yml"
CONCURRENCY = 32

HTTP_CASES: list[tuple[str, Callable[[object], str], str, float | None]] = []


def http_case(
    name: str, path: Callable[[object], str], *, who: str = "therapist", target: float | None = None
) -> None:
    HTTP_CASES.append((name, path, who, target))


# Targets (issue 16): client detail at least 0.25x of the floor's throughput (the
# caseload's 0.2x is in bench/caseload.py), no errors.
http_case("client detail", lambda s: f"/clients/{s.client.pk}/", target=0.25)


GUNICORN_OPTIONS = ("--workers", "--threads", "--worker-class", "--timeout")


def compose_gunicorn_options() -> list[str]:
    """The web service's worker options (class, count, threads, timeout), read from
    docker-compose.yml; BENCH_GUNICORN_OPTIONS (e.g. "--worker-class sync --workers 5")
    replaces them, to compare settings before one is written into the compose file."""
    override = os.environ.get("BENCH_GUNICORN_OPTIONS", "").split()
    if override:
        return override
    text = COMPOSE.read_text() if COMPOSE.exists() else ""
    command = re.search(r"exec gunicorn[^\n]*(?:\n[ \t]+--[^\n]*)*", text)
    found = command.group(0) if command else ""
    options = []
    for name in GUNICORN_OPTIONS:
        match = re.search(rf"{name}[ =](\S+)", found)
        if match:
            options += [name, match.group(1)]
    return options or ["--workers", "3", "--timeout", "60"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.options = compose_gunicorn_options()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        self.process = subprocess.Popen(
            [gunicorn, "attachment_app.wsgi", "--bind", f"127.0.0.1:{self.port}", *self.options],
            env=dict(os.environ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2)  # noqa: S310
                return self
            except urllib.error.HTTPError:
                return self  # it answers: that is all we wait for
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def check(self, path: str, cookie: str) -> None:
        """The page answers 200 to the signed-in user (wrk would count a redirect as success)."""
        # Always http://127.0.0.1:<port>: no file: or other scheme can reach here.
        request = urllib.request.Request(self.base + path, headers={"Cookie": cookie})  # noqa: S310
        opener = urllib.request.build_opener(NoRedirect)
        status = opener.open(request, timeout=30).status
        if status != 200:
            raise AssertionError(f"GET {path} answered {status}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wrk(url: str, cookie: str, seconds: float) -> dict:
    output = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(CONCURRENCY),
            "-d",
            f"{seconds:g}s",
            "--timeout",
            "10s",
            "-s",
            str(HERE / "wrk_report.lua"),
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    report = json.loads(next(line for line in output.splitlines() if line.startswith("{")))
    report["rps"] = report["requests"] / (report["duration_us"] / 1e6)
    report["errors"] = sum(report[k] for k in ("connect", "read", "write", "status", "timeout"))
    return report


def session_cookie(user) -> str:
    browser = Client()
    browser.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"


@section("http", order=20)
def http(context: Context) -> Section | None:
    if shutil.which("wrk") is None:
        print("  wrk not found (apt-get install wrk): HTTP section skipped")
        return None
    seeded = context.seeded
    cookies = {"therapist": session_cookie(seeded.therapist), "admin": session_cookie(seeded.admin)}
    seconds = 3 if context.quick else 10
    rounds = 2
    targets = [("GET /ping", "/ping", "therapist", None)]
    targets += [(name, path(seeded), who, target) for name, path, who, target in HTTP_CASES]
    runs: dict[str, list[dict]] = {name: [] for name, *_ in targets}
    with Gunicorn() as server:
        for _name, path, who, _ in targets:
            server.check(path, cookies[who])
            wrk(server.base + path, cookies[who], 2)  # warm every worker
        for n in range(rounds):
            for name, path, who, _ in targets if n % 2 == 0 else targets[::-1]:
                runs[name].append(wrk(server.base + path, cookies[who], seconds))

    floor = runs["GET /ping"]
    rows = []
    for name, _, _, target in targets[1:]:
        # A floor that answered nothing (an overloaded machine) gives 0, not a crash.
        ratios = [
            r["rps"] / f["rps"] if f["rps"] else 0.0 for r, f in zip(runs[name], floor, strict=True)
        ]
        ratio = statistics.median(ratios)
        errors = sum(r["errors"] for r in runs[name])
        rows.append(
            Row(
                name=name,
                figures={
                    "x floor req/s": round(ratio, 3),
                    "req/s": round(statistics.median(r["rps"] for r in runs[name]), 1),
                    "p50 ms": round(statistics.median(r["p50_us"] for r in runs[name]) / 1000, 1),
                    "p99 ms": round(max(r["p99_us"] for r in runs[name]) / 1000, 1),
                    "errors": errors,
                },
                target=(f">= {target:g}x, " if target else "") + "0 errors",
                met=errors == 0 and (target is None or ratio >= target),
            )
        )
    return Section(
        key="http",
        title=f"HTTP: gunicorn {' '.join(server.options)} under wrk, {CONCURRENCY} connections",
        floor_name="GET /ping",
        floor={
            "req/s": round(statistics.median(f["rps"] for f in floor), 1),
            "p50_ms": round(statistics.median(f["p50_us"] for f in floor) / 1000, 2),
            "p99_ms": round(max(f["p99_us"] for f in floor) / 1000, 2),
            "errors": sum(f["errors"] for f in floor),
        },
        floor_figure="req/s",
        columns=["x floor req/s", "req/s", "p50 ms", "p99 ms", "errors"],
        rows=rows,
        notes=[f"{rounds} rounds of {seconds:g} s per case; p99 is the worst round's"],
    )
