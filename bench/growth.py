"""Growth: the same pages at 10,000 clients and at 100,000 clients (1,000,000 sessions).

The larger scale is ten clinics the size of the bench clinic in one database
(<bench database>_growth), the bench clinic being the first: every page shows
the same rows at both scales, so what changes is only how much the database
holds. A page that reads more than its own rows (a scan, a count over the whole
table, an OFFSET, a missing index) shows up as a ratio above 1.3x or as a
different number of queries.

The larger database is seeded once (COPY, a few minutes) and reused. Its pages
are measured by a second `python -m bench --reuse --clinics 10 --only pages`
(its own floor, its own rounds), and each page's CPU ratio to its floor is set
beside this run's: ratios, not milliseconds, so the two processes compare.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.harness import Context, Row, Section, section
from bench.pages import LAST, pages

CLINICS = 10
# The larger run's own results (its seed counts stay known when it is reused).
GROWTH_RESULTS = Path(__file__).resolve().parent / "results-growth.json"
TARGET = 1.3


def growth_url(database_url: str) -> str:
    return f"{database_url}_growth"


def larger_scale(context: Context) -> dict:
    """Run the pages section on the larger database in a child process; its results."""
    env = dict(
        os.environ,
        BENCH_DATABASE_URL=growth_url(context.database_url),
        BENCH_BROKER_URL=context.broker_url,
        BENCH_RESULTS=str(GROWTH_RESULTS),
    )
    command = [sys.executable, "-m", "bench", "--reuse", "--no-collectstatic", "--only", "pages"]
    command += ["--clinics", str(CLINICS), "--scale", f"{context.scale:g}"]
    if context.quick:
        command.append("--quick")
    subprocess.run(command, env=env, check=True, cwd=Path(__file__).resolve().parent.parent)
    return json.loads(GROWTH_RESULTS.read_text())


@section("growth", order=15)
def growth(context: Context) -> Section:
    small = LAST.get("pages") or pages(context)
    large = larger_scale(context)
    large_pages = next(s for s in large["sections"] if s["key"] == "pages")
    large_rows = {r["name"]: r["figures"] for r in large_pages["rows"]}
    rows = []
    for row in small.rows:
        other = large_rows.get(row.name)
        if other is None:
            continue
        ratio = other["x floor CPU"] / max(row.figures["x floor CPU"], 1e-6)
        same_queries = other["queries"] == row.figures["queries"]
        rows.append(
            Row(
                name=row.name,
                figures={
                    "x floor 10k": row.figures["x floor CPU"],
                    "x floor 100k": other["x floor CPU"],
                    "100k / 10k": round(ratio, 2),
                    "wall 100k / 10k": round(
                        other["x floor wall"] / max(row.figures["x floor wall"], 1e-6), 2
                    ),
                    "queries 10k": row.figures["queries"],
                    "queries 100k": other["queries"],
                },
                target=f"<= {TARGET:g}x, same queries",
                met=ratio <= TARGET and same_queries,
            )
        )
    seed = large.get("seed", {})
    return Section(
        key="growth",
        title=f"Growth: the pages at {CLINICS} times the clinic in one database (CPU ratios)",
        floor_name="GET /ping at each scale",
        floor={
            "cpu_ms_10k": small.floor["cpu_ms"],
            "cpu_ms_100k": large_pages["floor"]["cpu_ms"],
        },
        floor_figure="cpu_ms_100k",
        columns=[
            "x floor 10k",
            "x floor 100k",
            "100k / 10k",
            "wall 100k / 10k",
            "queries 10k",
            "queries 100k",
        ],
        rows=rows,
        details={"larger scale seed": seed, "larger scale pages": large_pages},
        notes=[
            f"larger scale: {seed.get('clients', '?')} clients, {seed.get('sessions', '?')} "
            f"sessions in {growth_url(context.database_url).rsplit('/', 1)[-1]}",
            "CPU is this process's; wall includes PostgreSQL and is shown for the queries",
        ],
    )
