"""How long the server-side renderer takes for a 40-figure, 120-tie relationship map.

Run: .venv/bin/python bench/map_render.py [--repeat 200]
Target: well under 0.1 s per render. Pure function, so no database is needed.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attachment_app.settings.test")

import django  # noqa: E402

django.setup()

from exercises.svg.relationship_map import render_map_svg  # noqa: E402
from tests.test_exercises_svg import sample_map  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    data = sample_map(figures=40, ties=120, seed=11)
    render_map_svg(data)  # warm up
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        svg = render_map_svg(data)
        times.append(time.perf_counter() - start)
    print(
        f"40 figures, 120 ties, {len(svg) / 1024:.0f} KiB of SVG; {args.repeat} renders: "
        f"median {statistics.median(times) * 1000:.2f} ms, "
        f"p95 {sorted(times)[int(len(times) * 0.95)] * 1000:.2f} ms, "
        f"max {max(times) * 1000:.2f} ms (target < 100 ms)"
    )


if __name__ == "__main__":
    main()
