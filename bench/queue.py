"""The queue floor: a no-op task's round trip through Redis and a real worker.

The heartbeat task (attachment_app/tasks.py) is enqueued and the bench polls
the database until the worker's write appears: the least any export can take
from request to "download ready". Export cases (bench/pdf.py) register here
with `queue_case(name, make_run, target)`: make_run(seeded) returns a callable
that requests one export and returns when it is ready.
"""

import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness import Case, Context, Section, measure, ratio_row, section

QUEUE_CASES: list[tuple[str, Callable[[object], Callable[[], object]], float | None]] = []


def queue_case(
    name: str, make_run: Callable[[object], Callable[[], object]], target: float | None = None
) -> None:
    QUEUE_CASES.append((name, make_run, target))


class Worker:
    """A Celery worker process on the bench database, stopped by its pid."""

    def __init__(self, concurrency: int = 1) -> None:
        self.concurrency = concurrency
        self.log = Path(tempfile.mkdtemp(prefix="bench-worker-")) / "worker.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Worker":
        from attachment_app.celery import app

        app.control.purge()
        celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    celery,
                    "-A",
                    "attachment_app",
                    "worker",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    str(self.concurrency),
                    "--pool",
                    "prefork",
                    "-n",
                    f"bench-{os.getpid()}@%h",
                    "--without-gossip",
                    "--without-mingle",
                ],
                env=dict(os.environ),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while "ready." not in self.log.read_text(errors="replace"):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"worker did not start:\n{self.log.read_text()[-2000:]}")
            time.sleep(0.1)
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def heartbeat_round_trip() -> Callable[[], None]:
    from attachment_app.models import WorkerHeartbeat
    from attachment_app.tasks import heartbeat

    numbers = itertools.count()

    def run() -> None:
        name = f"bench-{os.getpid()}-{next(numbers)}"
        heartbeat.delay(name)
        deadline = time.monotonic() + 30
        while not WorkerHeartbeat.objects.filter(name=name).exists():
            if time.monotonic() > deadline:
                raise AssertionError("the worker did not run the heartbeat within 30 s")
            time.sleep(0.0005)

    return run


@section("queue", order=30)
def queue(context: Context) -> Section:
    from attachment_app.models import WorkerHeartbeat

    with Worker():
        floor = Case("no-op task round trip", heartbeat_round_trip())
        cases = [Case(name, make(context.seeded), target) for name, make, target in QUEUE_CASES]
        measured = measure(floor, cases, budget_s=3 if context.quick else 10, batch_s=0.2)
    WorkerHeartbeat.objects.filter(name__startswith="bench-").delete()
    return Section(
        key="queue",
        title="Queue: request to ready through Redis and a real worker (wall time first)",
        floor_name=floor.name,
        floor={
            "wall_ms": round(measured.floor.wall_ms, 3),
            "cpu_ms": round(measured.floor.cpu_ms, 3),
        },
        floor_figure="wall_ms",
        columns=["x floor wall", "wall ms", "x floor CPU", "CPU ms"],
        rows=[
            ratio_row(t, c.target, primary="wall")
            for t, c in zip(measured.cases, cases, strict=True)
        ],
        notes=[
            f"{measured.rounds} rounds; CPU is this process only (enqueue and polling), "
            "the worker's time shows in wall time",
            "export cases (bench/pdf.py): the export service's request, a real worker "
            "rendering the PDF, polled until the job is done",
        ],
    )
