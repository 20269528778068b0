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
import math
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as `python bench/pdf.py`, the script's folder comes first on sys.path, and
# bench/queue.py (the queue benchmark) would shadow the standard library's queue.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attachment_app.settings.base")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from attachment_app.models import Clinic, User  # noqa: E402
from clients.exports.registry import get_document, sections_for  # noqa: E402
from clients.exports.rendering import html_to_pdf  # noqa: E402
from clients.models import Client, PlanRevision  # noqa: E402
from exercises.exports import svg_image_src  # noqa: E402
from exercises.models import RelationshipMap, SafeSpacePlan, SafeSpacePractice  # noqa: E402
from exercises.svg.charts import AID, PlanePoint, style_plane_svg  # noqa: E402
from exercises.svg.relationship_map import describe_tie, render_map_svg  # noqa: E402

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
    """A session as documents.py's _session_line gives it (full=note)."""
    line = {
        "date": dt.date(2026, 6, 1) + dt.timedelta(weeks=n),
        "start_time": dt.time(10, 0),
        "duration_minutes": 50,
        "modality": "In person",
        "attendance": "Attended",
        "therapist": "Ana Therapist",
        "draft": n % 9 == 0,
        "signed_at": PRODUCED,
        "signed_by": "Ana Therapist",
        "late_entry": False,
        "techniques": ["Inner child work", "Mindfulness and body awareness"][: 1 + n % 2],
        "distress_before": 6,
        "distress_after": 4,
        "note": [],
        "addenda": [],
    }
    if note:
        line.update(
            note_format="DAP (data, assessment, plan)",
            note=[
                {"label": label, "text": sentence(n * 10 + i, 40)}
                for i, label in enumerate(("Data", "Assessment", "Plan"))
            ],
            homework=sentence(n + 5, 14),
            risk_level="None identified",
            risk_note="",
            addenda=[
                {
                    "date": PRODUCED,
                    "author": "Ana Therapist",
                    "reason": "Clarification",
                    "text": sentence(n),
                }
            ],
        )
    return line


def map_section() -> dict:
    """A realistic current map: the client and seven key figures, eight ties, two themes."""
    roles = [
        ("mother", "Mum"),
        ("father", "Dad"),
        ("partner", "Sam"),
        ("sibling", "Alex"),
        ("friend", "Jo"),
        ("friend", "Priya"),
        ("colleague", "Manager"),
    ]
    figures = [
        {
            "id": "f0",
            "role": "client",
            "label": "Robin",
            "deceased": False,
            "x": 400,
            "y": 280,
            "note": "",
        }
    ]
    for i, (role, label) in enumerate(roles, start=1):
        angle = 2 * math.pi * i / len(roles)
        figures.append(
            {
                "id": f"f{i}",
                "role": role,
                "label": label,
                "deceased": i == 2,
                "x": int(400 + 280 * math.cos(angle)),
                "y": int(280 + 200 * math.sin(angle)),
                "note": "",
            }
        )
    kinds = [
        "close",
        "conflict",
        "close_conflicted",
        "distant",
        "close",
        "fused",
        "cut_off",
        "focused_on",
    ]
    ties = [
        {
            "id": f"t{i}",
            "source": f"f{1 + i % 7}",
            "target": "f0",
            "closeness": 1 + i % 5,
            "trust": 2 + i % 4,
            "tension": i % 5,
            "direction": "one_way" if i % 3 == 0 else "mutual",
            "kind": kinds[i],
            "note": "",
        }
        for i in range(8)
    ]
    data = {
        "title": "Key relationships",
        "date": "2026-09-29",
        "figures": figures,
        "ties": ties,
        "themes": [],
    }
    names = {f["id"]: f["label"] for f in figures}
    return {
        "map": RelationshipMap(title="Key relationships", date=dt.date(2026, 9, 29)),
        "src": svg_image_src(render_map_svg(data, dom_id="plan-map")),
        "figure_count": len(figures),
        "tie_count": len(ties),
        "ties": [describe_tie(t, names) for t in ties],
        "themes": [
            {
                "name": "Fear of being a burden",
                "note": sentence(401, 14),
                "figures": ["Mum", "Sam"],
            },
            {
                "name": "Closeness after conflict",
                "note": sentence(402, 12),
                "figures": ["Sam", "Jo"],
            },
        ],
    }


def chart_section() -> dict:
    points = [
        PlanePoint(
            label=f"{dt.date(2026, 1, 10) + dt.timedelta(weeks=6 * i):%d %b %Y}",
            anxiety=6 - i // 2,
            avoidance=3 + i % 2,
        )
        for i in range(5)
    ]
    return {"points": points, "src": svg_image_src(style_plane_svg(points, size=300)), "aid": AID}


def safe_space_section() -> dict:
    plan = SafeSpacePlan(
        kind="place",
        name="The beach hut",
        cue_word="Tide",
        seen="Grey-blue water, a towel.",
        heard="Waves, gulls far away.",
        felt="Warm planks under bare feet.",
        techniques=["feet_on_floor", "paced_breathing", "54321"],
        own_techniques="Hold the smooth stone from my pocket",
    )
    practices = [
        SafeSpacePractice(
            date=dt.date(2026, 10, 1) + dt.timedelta(weeks=w),
            distress_before=7 - w % 2,
            distress_after=4 - w % 3,
        )
        for w in range(5)
    ]
    return {
        "plan": plan,
        "anchors": plan.anchors(),
        "techniques": plan.technique_list(),
        "practices": practices,
    }


def plan_context() -> dict:
    """A realistic 5-page plan through the real templates: formulation, five goals, the
    exercises' three sections (map, chart, safe-space plan) and 16 sessions since the
    last revision, one line each."""
    clinic, therapist, client = people()
    techniques = [
        "Inner child work",
        "Emotion-focused techniques",
        "Mindfulness and body awareness",
        "Corrective emotional experiences",
    ]
    goals = [
        {
            "title": sentence(g, 9),
            "objectives": [
                {
                    "text": sentence(g * 10 + o, 20),
                    "target_date": dt.date(2027, 1 + o, 1),
                    "status": "In progress",
                    "progress": 20 * o,
                }
                for o in range(3)
            ],
            "interventions": [
                {"technique": t, "description": "", "frequency": "weekly"}
                for t in techniques[g % 4 : g % 4 + 2]
            ],
        }
        for g in range(5)
    ]
    paragraphs = lambda seed, n: [sentence(seed + i, 45) for i in range(n)]  # noqa: E731
    sections = {
        "relationship_map": map_section,
        "exploration_chart": chart_section,
        "safe_space_plan": safe_space_section,
    }
    return {
        "document": get_document("treatment_plan"),
        "client": client,
        "clinic": clinic,
        "therapist": therapist,
        "produced_at": PRODUCED,
        "draft": True,
        "revision": PlanRevision(number=3, status="draft", review_date=dt.date(2027, 3, 1)),
        "since": PRODUCED - dt.timedelta(weeks=26),
        "formulation": {
            "hypothesis": "Anxious",
            "hypothesis_date": dt.date(2026, 9, 1),
            "presenting": paragraphs(100, 1),
            "evidence": paragraphs(200, 2),
            "patterns": paragraphs(300, 2),
            "change_wishes": paragraphs(400, 1),
        },
        "goals": goals,
        "strengths": [sentence(501, 25)],
        "supports": [sentence(502, 25)],
        "participation": {"agreed": True, "date": dt.date(2026, 9, 1), "note": sentence(99, 14)},
        "sessions": [session_line(n, note=False) for n in range(16)],
        "sections": [
            {"key": s.key, "template": s.template, "context": sections[s.key]()}
            for s in sections_for("treatment_plan")
        ],
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
