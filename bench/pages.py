"""Pages in process, through the full middleware, as a signed-in user.

Floor: GET /ping, a login-protected page that does nothing (session, user and
every middleware, no view work). A feature adds a page with one line:

    page_case("caseload: first page", lambda s: "/caseload/", who="admin", target=15)

`who` names a person of the Seeded clinic (therapist, admin); the path gets
the Seeded clinic. Each case is checked to answer 200 before it is timed.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from attachment_app import freshness
from bench.harness import Case, Context, Section, measure, profile, ratio_row, section


@dataclass
class PageCase:
    name: str
    path: Callable[[object], str]
    who: str = "therapist"
    target: float | None = None  # largest acceptable CPU ratio to /ping
    changed: bool = False  # the records change before each visit: nothing kept is used


PAGE_CASES: list[PageCase] = []
LAST: dict[str, Section] = {}  # this run's pages section, for bench/growth.py


def page_case(
    name: str,
    path: Callable[[object], str],
    *,
    who: str = "therapist",
    target: float | None = None,
    changed: bool = False,
) -> None:
    PAGE_CASES.append(PageCase(name, path, who, target, changed))


# Targets from issue 16: every therapist page within 6x of the floor (issue 9 had 8x).
page_case("therapist home", lambda s: "/", target=6)
page_case("client detail", lambda s: f"/clients/{s.client.pk}/", target=6)
# What a page costs when nothing kept can be used (attachment_app.freshness): the figure
# for a clinic where someone saved something since the last visit. No target.
page_case("therapist home, after a change", lambda s: "/", changed=True)
page_case("client detail, after a change", lambda s: f"/clients/{s.client.pk}/", changed=True)
page_case(
    "client timeline, 300 entries", lambda s: f"/clients/{s.timeline_client.pk}/timeline/", target=6
)
page_case(
    "session list, 300 sessions", lambda s: f"/clients/{s.timeline_client.pk}/sessions/", target=6
)
# The caseload cases are in bench/caseload.py, the map page in bench/exercises.py.


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def getter(browser: Client, path: str, *, changed: bool = False) -> Callable[[], object]:
    def get() -> object:
        if changed:
            # A token of its own for this visit; the other cases' kept summaries stay valid.
            before = freshness.token()
            freshness.records_changed()
        response = browser.get(path)
        if changed:
            cache.set(freshness.CHANGED_KEY, before, timeout=None)
        if response.status_code != 200:
            raise AssertionError(f"GET {path} answered {response.status_code}")
        return response

    return get


def slowest_select_plan(captured: list[dict]) -> dict | None:
    """The request's SELECT that PostgreSQL takes longest over, with its plan.

    Each SELECT is run again under EXPLAIN ANALYZE (only SELECTs: ANALYZE
    executes the statement) and ranked by execution time, which depends far
    less on the machine's load than the time the request saw.
    """
    worst = None
    for query in captured:
        if not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            plan = [row[0] for row in cursor.fetchall()]
        ms = float(plan[-1].rsplit(":", 1)[1].split()[0])  # "Execution Time: 0.123 ms"
        if worst is None or ms > worst["ms"]:
            worst = {"ms": ms, "sql": query["sql"], "plan": plan}
    return worst


@section("pages", order=10)
def pages(context: Context) -> Section:
    seeded = context.seeded
    browsers = {"therapist": signed_in(seeded.therapist), "admin": signed_in(seeded.admin)}
    floor = Case("GET /ping", getter(browsers["therapist"], "/ping"))
    cases, queries, plans = [], {}, {}
    for page in PAGE_CASES:
        path = page.path(seeded)
        case = Case(page.name, getter(browsers[page.who], path, changed=page.changed), page.target)
        freshness.records_changed()  # counted on a first visit: nothing kept yet
        with CaptureQueriesContext(connection) as captured:
            case.run()  # also proves the page answers 200 before it is timed
        queries[page.name] = len(captured.captured_queries)
        plans[page.name] = slowest_select_plan(captured.captured_queries)
        cases.append(case)
        if context.profile == page.name:
            print(profile(case.run))
    measured = measure(floor, cases, budget_s=10 if context.quick else 30)
    LAST["pages"] = Section(
        key="pages",
        title="Pages in process, full middleware (django.test.Client, signed in)",
        floor_name=floor.name,
        floor={
            "cpu_ms": round(measured.floor.cpu_ms, 3),
            "wall_ms": round(measured.floor.wall_ms, 3),
        },
        floor_figure="cpu_ms",
        columns=["x floor CPU", "x floor wall", "CPU ms", "wall ms", "queries"],
        rows=[
            ratio_row(t, c.target, queries=queries[c.name])
            for t, c in zip(measured.cases, cases, strict=True)
        ],
        details={"slowest SELECT per page": plans},
        notes=[
            *(
                f"{name}: slowest SELECT takes PostgreSQL {plan['ms']} ms (plan in results.json)"
                for name, plan in plans.items()
                if plan
            ),
            f"{measured.rounds} rounds in {measured.seconds:.0f} s; "
            "ratios are medians of per-round ratios",
        ],
    )
    return LAST["pages"]
