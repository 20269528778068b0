"""Measure server time of pages as a ratio to a floor page, in one process and run.

Cases are interleaved with the floor, the order is reversed each round, and
each case's figure is the median of its per-round ratios, so drift in machine
speed during the run (other processes, CPU frequency) cancels out. CPU time
(time.process_time, this process only: Python, templates, the ORM's side of
each query) comes first; wall time (which also includes the database server's
work and waiting) second.
"""

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    name: str
    cpu_ms: float  # median time per call
    wall_ms: float
    cpu_ratio: float  # median of per-round ratios to the floor
    wall_ratio: float


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    # As timeit does: no collector pauses inside a sample, where they would land
    # on whichever case happened to trigger them.
    gc.collect()
    gc.disable()
    try:
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for _ in range(repeat):
            fn()
        return (time.process_time() - cpu0) / repeat, (time.perf_counter() - wall0) / repeat
    finally:
        gc.enable()


def measure(
    cases: dict[str, Callable[[], object]],
    floor: Callable[[], object],
    rounds: int = 15,
    repeat: int = 5,
    warmup: int = 2,
) -> list[Result]:
    """Time each case against `floor`; returns one Result per case plus the floor itself."""
    named = {"floor": floor, **cases}
    for _ in range(warmup):
        for fn in named.values():
            fn()
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in named}
    order = list(named)
    for i in range(rounds):
        for name in order if i % 2 == 0 else reversed(order):
            samples[name].append(_time(named[name], repeat))
    results = []
    for name in named:
        cpu = [s[0] for s in samples[name]]
        wall = [s[1] for s in samples[name]]
        floor_cpu = [s[0] for s in samples["floor"]]
        floor_wall = [s[1] for s in samples["floor"]]
        results.append(
            Result(
                name=name,
                cpu_ms=statistics.median(cpu) * 1000,
                wall_ms=statistics.median(wall) * 1000,
                cpu_ratio=statistics.median(c / f for c, f in zip(cpu, floor_cpu, strict=True)),
                wall_ratio=statistics.median(w / f for w, f in zip(wall, floor_wall, strict=True)),
            )
        )
    return results


def table(results: list[Result], targets: dict[str, float]) -> str:
    lines = [
        f"{'case':<22} {'CPU ms':>8} {'CPU x':>7} {'wall ms':>8} {'wall x':>7} {'target':>7}  ok",
        "-" * 68,
    ]
    for r in results:
        target = targets.get(r.name)
        ok = "" if target is None else ("yes" if r.cpu_ratio <= target else "NO")
        lines.append(
            f"{r.name:<22} {r.cpu_ms:8.2f} {r.cpu_ratio:7.2f} {r.wall_ms:8.2f} "
            f"{r.wall_ratio:7.2f} {'' if target is None else f'{target:.0f}x':>7}  {ok}"
        )
    return "\n".join(lines)
