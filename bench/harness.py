"""The measuring method every bench section shares, and the results it writes.

Method (issue 9): the floor and the cases run interleaved, one batch of each
per round, in an order reversed every other round, for several rounds within
a time bound. Each case's figure is the median over rounds of its ratio to the
floor *of the same round*, so drift of the machine during the run cancels out.
CPU time (time.process_time, this process only) comes first because two cores
shared with PostgreSQL make wall time noisy; wall time is reported beside it.
Each floor's absolute value is recorded, and a section whose floor moved more
than 3x from the previous bench/results.json is marked noisy.

A bench module adds a section with the `@section` decorator: a function that
takes the Context and returns a Section. Within a section, `measure()` does
the rounds for in-process callables.
"""

import json
import math
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# BENCH_RESULTS: another file, for a run that must not replace the README's figures
# (the growth section's run at the larger scale).
RESULTS = Path(os.environ.get("BENCH_RESULTS") or Path(__file__).resolve().parent / "results.json")
NOISE_FACTOR = 3.0


@dataclass
class Case:
    """One thing to time: `run` does one iteration (one request, one render...)."""

    name: str
    run: Callable[[], object]
    target: float | None = None  # the largest acceptable ratio to the floor
    note: str = ""


@dataclass
class Timing:
    name: str
    iterations: int  # per batch
    cpu_ms: float  # median per iteration over rounds
    wall_ms: float
    cpu_ratio: float | None = None  # median over rounds of case / floor
    wall_ratio: float | None = None
    cpu_rounds: list[float] = field(default_factory=list)
    wall_rounds: list[float] = field(default_factory=list)


@dataclass
class Measured:
    floor: Timing
    cases: list[Timing]
    rounds: int
    seconds: float


def _batch(run: Callable[[], object], iterations: int) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(iterations):
        run()
    return (
        (time.process_time() - cpu) * 1000 / iterations,
        (time.perf_counter() - wall) * 1000 / iterations,
    )


def measure(
    floor: Case,
    cases: list[Case],
    *,
    budget_s: float = 30.0,
    min_rounds: int = 3,
    max_rounds: int = 40,
    batch_s: float = 0.1,
) -> Measured:
    """Time `cases` against `floor` in interleaved rounds; see the module docstring."""
    everything = [floor, *cases]
    iterations = {}
    for case in everything:  # warm caches and imports, then size a batch
        case.run()
        _, wall = _batch(case.run, 1)
        iterations[case.name] = max(1, math.ceil(batch_s * 1000 / max(wall, 0.01)))
    started = time.perf_counter()
    per_round: list[dict[str, tuple[float, float]]] = []
    while len(per_round) < max_rounds and (
        len(per_round) < min_rounds or time.perf_counter() - started < budget_s
    ):
        order = everything if len(per_round) % 2 == 0 else everything[::-1]
        per_round.append({c.name: _batch(c.run, iterations[c.name]) for c in order})

    def timing(case: Case, with_ratio: bool) -> Timing:
        cpu = [r[case.name][0] for r in per_round]
        wall = [r[case.name][1] for r in per_round]
        result = Timing(
            case.name, iterations[case.name], statistics.median(cpu), statistics.median(wall)
        )
        if with_ratio:
            result.cpu_rounds = [
                c / max(r[floor.name][0], 1e-6) for c, r in zip(cpu, per_round, strict=True)
            ]
            result.wall_rounds = [
                w / max(r[floor.name][1], 1e-6) for w, r in zip(wall, per_round, strict=True)
            ]
            result.cpu_ratio = statistics.median(result.cpu_rounds)
            result.wall_ratio = statistics.median(result.wall_rounds)
        return result

    return Measured(
        floor=timing(floor, with_ratio=False),
        cases=[timing(c, with_ratio=True) for c in cases],
        rounds=len(per_round),
        seconds=time.perf_counter() - started,
    )


@dataclass
class Row:
    """One line of a section's table: a case and its figures."""

    name: str
    figures: dict[str, Any]
    target: str = ""  # how the target reads, e.g. "<= 8x"
    met: bool | None = None  # None: no target yet


@dataclass
class Section:
    key: str
    title: str
    floor_name: str
    floor: dict[str, float]  # absolute values of the floor (ms, req/s, ...)
    floor_figure: str  # which of them is compared with the previous run
    columns: list[str]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    noisy: bool = False
    details: dict[str, Any] = field(default_factory=dict)  # e.g. query plans, in results.json


@dataclass
class Context:
    """What every section gets: the seeded clinic and the run's options."""

    seeded: Any
    quick: bool = False
    profile: str = ""  # a case name: print where its time goes (cProfile)
    database_url: str = ""
    broker_url: str = ""
    scale: float = 1.0


SectionFunction = Callable[[Context], Section | None]
SECTIONS: dict[str, tuple[int, SectionFunction]] = {}


def section(key: str, order: int = 50) -> Callable[[SectionFunction], SectionFunction]:
    """Register a bench section; sections run in `order`, then by key."""

    def register(function: SectionFunction) -> SectionFunction:
        SECTIONS[key] = (order, function)
        return function

    return register


def ratio_row(timing: Timing, target: float | None, primary: str = "cpu", **extra: Any) -> Row:
    """The usual row of an in-process section: ratios first, then absolutes.

    The target is checked against the `primary` ratio: CPU for work done in
    this process, wall where the work happens elsewhere (a worker, a server).
    """
    ratio = timing.cpu_ratio if primary == "cpu" else timing.wall_ratio
    return Row(
        name=timing.name,
        figures={
            "x floor CPU": round(timing.cpu_ratio or 0, 2),
            "x floor wall": round(timing.wall_ratio or 0, 2),
            "CPU ms": round(timing.cpu_ms, 2),
            "wall ms": round(timing.wall_ms, 2),
            **extra,
        },
        target=f"<= {target:g}x" if target else "",
        met=None if target is None else (ratio or 0) <= target,
    )


def profile(run: Callable[[], object], seconds: float = 3.0, top: int = 25) -> str:
    """Where one case's CPU time goes: cProfile over repeated runs, by cumulative time.

    Timed by this process's CPU clock, as the figures are: waiting for PostgreSQL
    does not show (its plans are in results.json).
    """
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile(time.process_time)
    deadline = time.perf_counter() + seconds
    runs = 0
    profiler.enable()
    while time.perf_counter() < deadline:
        run()
        runs += 1
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return f"{runs} runs\n{out.getvalue()}"


def mark_noisy(sections: list[Section], previous: dict[str, Any] | None) -> list[str]:
    """Flag each section whose floor moved more than NOISE_FACTOR from the last run."""
    moved = []
    before = {s["key"]: s for s in (previous or {}).get("sections", [])}
    for current in sections:
        old = before.get(current.key)
        if not old or current.floor_figure not in old.get("floor", {}):
            continue
        then, now = old["floor"][current.floor_figure], current.floor[current.floor_figure]
        if then > 0 and now > 0 and max(then / now, now / then) > NOISE_FACTOR:
            current.noisy = True
            moved.append(
                f"{current.key}: floor {current.floor_figure} {then:g} -> {now:g} "
                f"(moved more than {NOISE_FACTOR:g}x since the previous run)"
            )
    return moved


def table(sections: list[Section]) -> str:
    out = []
    for s in sections:
        floor = ", ".join(f"{v:g} {k}" for k, v in s.floor.items())
        out.append(f"\n## {s.title}{'  [NOISY]' if s.noisy else ''}")
        out.append(f"floor: {s.floor_name}: {floor}")
        header = ["case", *s.columns, "target", ""]
        lines = [header]
        for row in s.rows:
            met = {True: "met", False: "MISSED", None: ""}[row.met]
            lines.append(
                [row.name, *(_fmt(row.figures.get(c)) for c in s.columns), row.target, met]
            )
        widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
        for n, line in enumerate(lines):
            cells = [
                str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            ]
            out.append("  ".join(cells).rstrip())
            if n == 0:
                out.append("  ".join("-" * w for w in widths))
        out += [f"note: {note}" for note in s.notes]
    return "\n".join(out)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}" if value < 100 else f"{value:.0f}"
    return str(value)


def previous_results() -> dict[str, Any] | None:
    try:
        return json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        return None


def write_results(
    sections: list[Section], *, seed: dict[str, Any], started: float, noisy: list[str]
) -> dict:
    results = {
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "seconds": round(time.perf_counter() - started, 1),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "seed": seed,
        "noisy": noisy,
        "sections": [asdict(s) for s in sections],
    }
    RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return results
