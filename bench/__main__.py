"""`make bench` (python -m bench): seed the large clinic, measure, print, write results.json.

  python -m bench             fresh database, every section (the figure the README quotes)
  python -m bench --reuse     keep the seeded database if it is there
  python -m bench --quick     shorter time bounds, to try a change
  python -m bench --only pages,queue
  python -m bench --reuse --only pages --profile "client detail"   where its time goes
  python -m bench --scale 0.1 a tenth of the clinic (seeding only; for trying the bench itself)
  python -m bench --only pages,growth   the pages at 10,000 and at 100,000 clients

BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/att_bench) is dropped
and created; give each concurrent run its own name (it must contain "bench"). The
growth section keeps its 100,000-client clinic in <that name>_growth (seeded once,
reused). BENCH_BROKER_URL (default redis://127.0.0.1:6379/14) carries the queue.
"""

import argparse
import importlib
import importlib.util
import os
import sys
import time

# Every module that may register sections, cases or seeders; absent ones are skipped,
# so a feature adds its bench by adding its file (and its name here).
BENCH_MODULES = [
    "bench.pages",
    "bench.http",
    "bench.queue",
    "bench.caseload",  # caseload cases (pages: first page, filtered, searched; HTTP)
    "bench.pdf",  # PDF floor, plan, session summary, 50-session summary, memory
    "bench.exercises",  # plan content, maps (a tenth of clients; one of 40 figures), map page
    "bench.growth",  # the pages again at 100,000 clients, 1,000,000 sessions
    "bench.schedule",  # 40 appointments in one week; the week view (table and list)
]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument("--quick", action="store_true", help="shorter time bounds")
    parser.add_argument("--only", default="", help="comma-separated section keys")
    parser.add_argument("--profile", default="", help="a case name: print where its time goes")
    parser.add_argument("--scale", type=float, default=1.0, help="size of the clinic (1 = full)")
    parser.add_argument(
        "--clinics", type=int, default=1, help="that many clinics of that size in one database"
    )
    parser.add_argument(
        "--no-collectstatic",
        action="store_true",
        help="use the static files already collected (the growth section's second run)",
    )
    args = parser.parse_args()
    started = time.perf_counter()

    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/att_bench"
    )
    broker_url = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
    # The app as deployed (base settings, DEBUG off, manifest static files), on the bench database.
    os.environ.update(
        DJANGO_SETTINGS_MODULE="attachment_app.settings.base",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        LOG_LEVEL="WARNING",
    )

    from bench import seed as seeding

    if not args.reuse:
        print(f"Creating {database_url.rsplit('/', 1)[-1]} ...", flush=True)
        seeding.recreate_database(database_url)
    else:
        seeding.ensure_database(database_url)

    import django

    django.setup()
    from django.core.management import call_command

    from bench import harness

    for name in BENCH_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)

    call_command("migrate", verbosity=0)
    if not args.no_collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)
    size = seeding.Size().scaled(args.scale).times(args.clinics)
    if args.reuse and seeding.database_is_seeded():
        print("Reusing the seeded clinic.", flush=True)
        seed_info = (harness.previous_results() or {}).get("seed", {"reused": True})
    else:
        print(
            f"Seeding {size.clients:,} clients, {size.therapists} therapists, "
            f"{size.sessions:,} sessions ...",
            flush=True,
        )
        seed_start = time.perf_counter()
        seed_info = seeding.seed(size)
        seed_info["total_seconds"] = round(time.perf_counter() - seed_start, 1)
    context = harness.Context(
        seeded=seeding.Seeded.load(),
        quick=args.quick,
        profile=args.profile,
        scale=args.scale,
        database_url=database_url,
        broker_url=broker_url,
    )

    only = {k for k in args.only.split(",") if k}
    sections = []
    for key, (_, function) in sorted(harness.SECTIONS.items(), key=lambda kv: (kv[1][0], kv[0])):
        if only and key not in only:
            continue
        print(f"Measuring {key} ...", flush=True)
        result = function(context)
        if result is not None:
            sections.append(result)

    noisy = harness.mark_noisy(sections, harness.previous_results())
    results = harness.write_results(sections, seed=seed_info, started=started, noisy=noisy)
    print(harness.table(sections))
    for line in noisy:
        print(f"NOISY: {line}")
    print(f"\nWhole run: {results['seconds']:.0f} s; written to {harness.RESULTS}")
    missed = [r.name for s in sections for r in s.rows if r.met is False]
    if missed:
        print(f"Targets missed: {', '.join(missed)}")
    sys.exit(0)


if __name__ == "__main__":
    main()
