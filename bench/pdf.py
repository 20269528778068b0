"""PDFs against a one-paragraph WeasyPrint page rendered in the same process.

Measured in one `make bench` run (section "pdf"):
1. Render cost as ratios to the floor (CPU first, wall beside it), by the
   shared method in bench/harness.py: a 5-page treatment plan, a one-session
   summary and a 50-session date-range summary, through the app's own
   templates, print stylesheet, fonts and URL fetcher.
2. Throughput: PDFs per minute with one and with two worker processes (forked
   after setup, like Celery's prefork pool).
3. Memory: a worker's resident set after 200 renders against after warm-up.
The export's request-to-ready time through Redis and a real worker is a case
of the queue section (its floor: a no-op task's round trip).

Targets (issue 6, restated in issue 9): plan <= 30x, one-session summary <= 8x,
two workers >= 1.7x one, RSS after 200 renders <= 1.2x after warm-up.
"""

import datetime as dt
import io
import math
import multiprocessing
import random
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connections
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader
from weasyprint import HTML

from attachment_app.models import Clinic, User
from bench.harness import Case, Context, Row, Section, measure, profile, ratio_row, section
from bench.queue import queue_case
from clients.exports.registry import get_document, sections_for
from clients.exports.rendering import html_to_pdf
from clients.models import Client, PlanRevision
from exercises.exports import svg_image_src
from exercises.models import RelationshipMap, SafeSpacePlan, SafeSpacePractice
from exercises.svg.charts import AID, PlanePoint, style_plane_svg
from exercises.svg.relationship_map import describe_tie, render_map_svg

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


def summary_context(sessions: int = 1) -> dict:
    clinic, therapist, client = people()
    lines = [session_line(n + 1, note=True) for n in range(sessions)]
    ranged = sessions > 1
    return {
        "document": get_document("session_summary"),
        "client": client,
        "clinic": clinic,
        "therapist": therapist,
        "produced_at": PRODUCED,
        "draft": False,
        "sessions": lines,
        "date_from": lines[0]["date"] if ranged else None,
        "date_to": lines[-1]["date"] if ranged else None,
    }


PLAN = ("pdf/treatment_plan.html", plan_context())
SUMMARY = ("pdf/session_summary.html", summary_context())
SUMMARY_50 = ("pdf/session_summary.html", summary_context(50))


def render(case) -> bytes:
    template, context = case
    return html_to_pdf(render_to_string(template, context))


def floor_page() -> bytes:
    return HTML(string=FLOOR_HTML).write_pdf()


def timed(fn) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


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
    connections.close_all()  # a forked child must not share the parent's socket
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
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    result = ctx.Queue()
    process = ctx.Process(target=_memory, args=(result,))
    process.start()
    warm, after = result.get()
    process.join()
    return {"rss_warm_mib": warm / 1024, "rss_after_200_mib": after / 1024, "ratio": after / warm}


@section("pdf", order=40)
def pdf(context: Context) -> Section:
    floor = Case("one-paragraph WeasyPrint page", floor_page)
    cases = [
        Case("treatment plan, 5 pages", lambda: render(PLAN), 30),
        Case("session summary, 1 session", lambda: render(SUMMARY), 8),
        Case("session summary, 50 sessions", lambda: render(SUMMARY_50)),
    ]
    page_counts = {
        "treatment plan, 5 pages": pages(render(PLAN)),
        "session summary, 1 session": pages(render(SUMMARY)),
        "session summary, 50 sessions": pages(render(SUMMARY_50)),
    }
    for case in cases:
        if context.profile == case.name:
            print(profile(case.run, seconds=10))
    measured = measure(floor, cases, budget_s=15 if context.quick else 40, min_rounds=3)
    rows = [
        ratio_row(t, c.target, pages=page_counts[c.name])
        for t, c in zip(measured.cases, cases, strict=True)
    ]
    per_process = 8 if context.quick else 24
    one, one_cpu = throughput(1, per_process)
    two, two_cpu = throughput(2, per_process)
    rows.append(
        Row(
            name="PDFs/min, 1 worker process",
            figures={"PDFs/min": round(one, 1), "CPU ms": round(one_cpu, 1)},
        )
    )
    rows.append(
        Row(
            name="PDFs/min, 2 worker processes",
            figures={
                "PDFs/min": round(two, 1),
                "CPU ms": round(two_cpu, 1),
                "x 1 process": round(two / one, 2),
            },
            target=">= 1.7x",
            met=two / one >= 1.7,
        )
    )
    m = memory()
    rows.append(
        Row(
            name="worker RSS after 200 renders",
            figures={
                "RSS MiB": round(m["rss_after_200_mib"], 1),
                "x warm RSS": round(m["ratio"], 2),
            },
            target="<= 1.2x",
            met=m["ratio"] <= 1.2,
        )
    )
    return Section(
        key="pdf",
        title="PDFs (WeasyPrint, the app's templates, fonts and fetcher; CPU first)",
        floor_name=floor.name,
        floor={
            "cpu_ms": round(measured.floor.cpu_ms, 2),
            "wall_ms": round(measured.floor.wall_ms, 2),
        },
        floor_figure="cpu_ms",
        columns=[
            "x floor CPU",
            "x floor wall",
            "CPU ms",
            "wall ms",
            "pages",
            "PDFs/min",
            "x 1 process",
            "RSS MiB",
            "x warm RSS",
        ],
        rows=rows,
        details={"memory": m},
        notes=[
            f"{measured.rounds} rounds in {measured.seconds:.0f} s",
            f"throughput: {per_process} PDFs per process (plan and one-session summary "
            "alternating); CPU ms is per PDF inside the workers",
            f"RSS {m['rss_warm_mib']:.1f} MiB after 20 warm-up renders",
        ],
    )


def export_round_trip(kind: str, params) -> Callable[[object], Callable[[], object]]:
    """Request to download ready: the export service's request, a real worker, polling."""

    def make(seeded) -> Callable[[], object]:
        from clients.exports.services import export_request
        from clients.models import ExportJob

        def run() -> None:
            job = export_request(
                kind=kind, client=seeded.timeline_client, by=seeded.therapist, params=params(seeded)
            )
            deadline = time.monotonic() + 60
            while True:
                status = ExportJob.objects.filter(pk=job.pk).values_list("status", flat=True)[0]
                if status == ExportJob.Status.DONE:
                    return
                if status == ExportJob.Status.FAILED or time.monotonic() > deadline:
                    raise AssertionError(f"export {kind} ended {status}")
                time.sleep(0.002)

        return run

    return make


def _one_session(seeded) -> dict:
    return {"session_id": str(seeded.timeline_client.sessions.order_by("-date").first().pk)}


def _fifty_sessions(seeded) -> dict:
    dates = list(
        seeded.timeline_client.sessions.order_by("-date").values_list("date", flat=True)[:50]
    )
    return {"date_from": dates[-1].isoformat(), "date_to": dates[0].isoformat()}


queue_case("export: session summary, 1 session", export_round_trip("session_summary", _one_session))
queue_case(
    "export: session summary, 50 sessions", export_round_trip("session_summary", _fifty_sessions)
)
