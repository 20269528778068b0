"""PDF rendering benchmark (not a test). Run: .venv/bin/python bench/pdf.py [--rounds 25]

Measured in one run, in this order:
1. Render cost as ratios to a one-paragraph WeasyPrint page in the same process:
   a 5-page treatment plan and a one-session summary, through the app's own
   templates, print stylesheet, fonts and URL fetcher. Cases are interleaved in
   a shuffled order each round; the figure is the median of per-round paired
   ratios, CPU time first (wall time beside it).
2. Throughput: PDFs per minute with one and with two worker processes (forked
   after setup, like Celery's prefork pool, each with its own FontConfiguration).
3. Memory: a worker's resident set after 200 renders against after warm-up.

Targets (issue #6): plan <= 30x, summary <= 8x, two workers >= 1.7x one,
RSS after 200 renders <= 1.2x after warm-up.
"""

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attachment_app.settings.base")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from attachment_app.models import Clinic, User  # noqa: E402
from clients.exports.registry import get_document  # noqa: E402
from clients.exports.rendering import html_to_pdf  # noqa: E402
from clients.models import Client, PlanRevision  # noqa: E402

FLOOR_HTML = "<p>A single paragraph of text, rendered on its own as the floor.</p>"
PRODUCED = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 30))
PHRASE = (
    "notices the pull to withdraw when a partner is late, names the fear of being left, "
    "practises a grounding breath, and asks for reassurance in words rather than by checking"
)
WORDS = PHRASE.split(" ")


def sentence(seed: int, length: int = 18) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + "."


def people():
    clinic = Clinic(name="Demo Clinic")
    therapist = User(full_name="Ana Therapist", credentials="LCSW", clinic=clinic)
    client = Client(
        clinic=clinic,
        legal_first_name="Robin",
        legal_last_name="Example",
        preferred_name="Rob",
        date_of_birth=dt.date(1990, 5, 17),
        primary_therapist=therapist,
        attachment_hypothesis="anxious",
        attachment_hypothesis_date=dt.date(2026, 9, 1),
    )
    return clinic, therapist, client


def session_line(n: int, note: bool) -> dict:
    return {
        "date": dt.date(2026, 6, 1) + dt.timedelta(weeks=n),
        "start_time": dt.time(10, 0),
        "duration_minutes": 50,
        "modality": "In person",
        "attendance": "Attended",
        "therapist": "Ana Therapist",
        "draft": n % 9 == 0,
        "signed_at": PRODUCED,
        "signed_by": "Ana Therapist",
        "techniques": ["inner child work", "mindfulness and body awareness"][: 1 + n % 2],
        "distress_before": 6,
        "distress_after": 4,
        "note": [sentence(n * 10 + i, 40) for i in range(3)] if note else [],
        "addenda": [{"date": dt.date(2026, 6, 3), "author": "Ana Therapist", "text": sentence(n)}]
        if note
        else [],
    }


def plan_context() -> dict:
    clinic, therapist, client = people()
    goals = [
        {
            "title": sentence(g, 8),
            "objectives": [
                {
                    "text": sentence(g * 10 + o, 22),
                    "target_date": dt.date(2027, 1 + o, 1),
                    "status": "in progress",
                    "progress": 20 * o,
                }
                for o in range(4)
            ],
            "interventions": [
                {"technique": t, "frequency": "weekly"}
                for t in ("inner child work", "emotion-focused techniques", "mindfulness")
            ],
        }
        for g in range(7)
    ]
    return {
        "document": get_document("treatment_plan"),
        "client": client,
        "clinic": clinic,
        "therapist": therapist,
        "produced_at": PRODUCED,
        "draft": True,
        "revision": PlanRevision(number=3, status="draft", review_date=dt.date(2027, 3, 1)),
        "formulation": {
            "hypothesis": "Anxious",
            "hypothesis_date": dt.date(2026, 9, 1),
            "patterns": [sentence(p, 70) for p in range(5)],
        },
        "goals": goals,
        "participation": sentence(99, 30),
        "sessions": [session_line(n, note=False) for n in range(40)],
        "sections": [],
    }


def summary_context() -> dict:
    clinic, therapist, client = people()
    return {
        "document": get_document("session_summary"),
        "client": client,
        "clinic": clinic,
        "therapist": therapist,
        "produced_at": PRODUCED,
        "draft": False,
        "sessions": [session_line(1, note=True)],
        "date_from": None,
        "date_to": None,
    }


PLAN = ("pdf/treatment_plan.html", plan_context())
SUMMARY = ("pdf/session_summary.html", summary_context())


def render(case) -> bytes:
    template, context = case
    return html_to_pdf(render_to_string(template, context))


def floor() -> bytes:
    return HTML(string=FLOOR_HTML).write_pdf()


def timed(fn) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def pages(pdf: bytes) -> int:
    import io

    return len(PdfReader(io.BytesIO(pdf)).pages)


def ratios(rounds: int) -> dict:
    cases = {
        "floor": floor,
        "plan": lambda: render(PLAN),
        "summary": lambda: render(SUMMARY),
    }
    for fn in cases.values():  # warm-up: fonts, stylesheet, template cache
        fn()
        fn()
    samples: dict[str, list[tuple[float, float]]] = {k: [] for k in cases}
    rng = random.Random(7)
    for _ in range(rounds):
        order = list(cases)
        rng.shuffle(order)
        for name in order:
            samples[name].append(timed(cases[name]))
    out = {}
    for name in ("plan", "summary"):
        cpu = [s[0] / f[0] for s, f in zip(samples[name], samples["floor"], strict=True)]
        wall = [s[1] / f[1] for s, f in zip(samples[name], samples["floor"], strict=True)]
        out[name] = {
            "cpu_ratio": statistics.median(cpu),
            "wall_ratio": statistics.median(wall),
            "median_cpu_ms": 1000 * statistics.median(s[0] for s in samples[name]),
        }
    out["floor_median_cpu_ms"] = 1000 * statistics.median(s[0] for s in samples["floor"])
    return out


def _worker(count: int, start, done) -> None:
    render(PLAN)  # warm-up before the clock starts
    render(SUMMARY)
    start.wait()
    cpu = time.process_time()
    for i in range(count):
        render(PLAN if i % 2 == 0 else SUMMARY)
    done.put(time.process_time() - cpu)


def throughput(processes: int, per_process: int) -> tuple[float, float]:
    """PDFs per minute by the wall clock, and CPU milliseconds per PDF inside the workers."""
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(processes + 1)
    done = ctx.Queue()
    workers = [
        ctx.Process(target=_worker, args=(per_process, start, done)) for _ in range(processes)
    ]
    for w in workers:
        w.start()
    start.wait()
    began = time.perf_counter()
    cpu = sum(done.get() for _ in workers)
    elapsed = time.perf_counter() - began
    for w in workers:
        w.join()
    renders = processes * per_process
    return renders / elapsed * 60, 1000 * cpu / renders


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def _memory(result) -> None:
    for i in range(20):
        render(PLAN if i % 2 == 0 else SUMMARY)
    warm = rss_kib()
    for i in range(200):
        render(PLAN if i % 2 == 0 else SUMMARY)
    result.put((warm, rss_kib()))


def memory() -> dict:
    ctx = multiprocessing.get_context("fork")
    result = ctx.Queue()
    process = ctx.Process(target=_memory, args=(result,))
    process.start()
    warm, after = result.get()
    process.join()
    return {"rss_warm_mib": warm / 1024, "rss_after_200_mib": after / 1024, "ratio": after / warm}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--per-process", type=int, default=30)
    args = parser.parse_args()

    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cores, load average {load:.1f} (other work skews the throughput)")
    print(f"5-page plan: {pages(render(PLAN))} pages; summary: {pages(render(SUMMARY))} page(s)")
    r = ratios(args.rounds)
    print(f"floor (one paragraph): {r['floor_median_cpu_ms']:.1f} ms CPU")
    for name, target in (("plan", 30), ("summary", 8)):
        v = r[name]
        print(
            f"{name:8s} {v['median_cpu_ms']:6.1f} ms CPU  ratio {v['cpu_ratio']:5.1f}x CPU, "
            f"{v['wall_ratio']:5.1f}x wall  (target <= {target}x)"
        )
    one, one_cpu = throughput(1, args.per_process)
    two, two_cpu = throughput(2, args.per_process)
    print(f"throughput: {one:.0f} PDFs/min with 1 process, {two:.0f} with 2 ({two / one:.2f}x)")
    # With idle cores the wall figure follows the CPU figure: per-PDF CPU cost that
    # does not rise with a second process means nothing is shared or serialised.
    print(
        f"  CPU per PDF: {one_cpu:.0f} ms with 1 process, {two_cpu:.0f} ms with 2 "
        f"(CPU-bound scaling {2 * one_cpu / two_cpu:.2f}x on 2 free cores)"
    )
    m = memory()
    print(
        f"worker RSS: {m['rss_warm_mib']:.1f} MiB after warm-up, "
        f"{m['rss_after_200_mib']:.1f} MiB after 200 renders ({m['ratio']:.2f}x)"
    )
    results = {
        "load_average": load,
        "ratios": r,
        "throughput": {"one": one, "two": two, "cpu_ms": [one_cpu, two_cpu]},
        "memory": m,
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
