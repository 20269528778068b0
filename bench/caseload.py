"""Benchmark: the caseload view and the therapist home at 10,000 clients over 100 therapists.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/att_caseload_bench \
        .venv/bin/python bench/caseload.py [--rounds 15] [--reseed]

Needs PostgreSQL; the database is created if missing, migrated, and seeded
once (bulk inserts; --reseed starts over). Each page is requested in-process
through the full middleware stack by django.test.Client, signed in, and
reported as a ratio to /ping, a trivial signed-in page, by the interleaved
method in bench/caseload_harness.py. Targets: caseload within 15x of the
floor, therapist home within 8x (CPU time).
"""

import argparse
import datetime as dt
import os
import random
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The test settings differ from production only in ways that do not touch a
# request's path (fast password hashing, static files without a manifest, so
# no collectstatic is needed); the middleware is the same.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attachment_app.settings.test")

# Under the shared `make bench` (bench/pages.py, where it exists) the same pages
# are registered as cases there, on its seeded clinic.
try:
    from bench.pages import page_case
except ImportError:  # standalone: this script seeds and measures by itself
    page_case = None
if page_case is not None:
    page_case("caseload: first page", lambda s: "/caseload/", who="admin", target=15)
    page_case(
        "caseload: filtered",
        lambda s: f"/caseload/?status=active&therapist={s.therapist.pk}&sort=-last_session",
        who="admin",
        target=15,
    )
    page_case("caseload: search", lambda s: "/caseload/?q=fictional", who="admin", target=15)

THERAPISTS = 100
CLIENTS = 10_000
TARGETS = {"caseload first page": 15, "caseload filtered": 15, "caseload search": 15, "home": 8}


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')  # name from the operator's own URL


def seed(reseed: bool) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from attachment_app.models import Clinic, User
    from clients.models import (
        Client,
        ClientAssignment,
        ClientStatusChange,
        TherapySession,
        TreatmentPlan,
    )

    clinic = Clinic.objects.filter(name="Bench Clinic").first()
    if clinic and not reseed and Client.objects.filter(clinic=clinic).count() == CLIENTS:
        return
    print("seeding...", flush=True)
    with connection.cursor() as cursor:
        tables = ", ".join(
            m._meta.db_table
            for m in [
                TherapySession,
                TreatmentPlan,
                ClientAssignment,
                ClientStatusChange,
                Client,
            ]
        )
        cursor.execute(f"TRUNCATE {tables} CASCADE")  # the bench database only
    rng = random.Random(3)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        clinic, _ = Clinic.objects.get_or_create(name="Bench Clinic")
        User.objects.filter(email__endswith="@bench.example").delete()
        admin = User.objects.create_user(
            email="admin@bench.example",
            full_name="Bench Admin",
            clinic=clinic,
            is_clinic_admin=True,
        )
        therapists = User.objects.bulk_create(
            User(
                email=f"t{i:03d}@bench.example",
                full_name=f"Therapist {i:03d} Benchmark",
                clinic=clinic,
                is_therapist=True,
                caseload_capacity=rng.randint(60, 100),
                password=make_password(None),  # unusable: the bench signs in with force_login
            )
            for i in range(THERAPISTS)
        )
        clients = []
        for i in range(CLIENTS):
            waitlisted = rng.random() < 0.1
            status = (
                "waitlist"
                if waitlisted
                else rng.choices(["active", "paused", "discharged"], [80, 8, 12])[0]
            )
            clients.append(
                Client(
                    clinic=clinic,
                    legal_first_name=rng.choice(["Avery", "Blake", "Casey", "Dana", "Eden"]),
                    legal_last_name=f"Fictional{i:05d}",
                    date_of_birth=dt.date(rng.randint(1960, 2004), 1, 1),
                    email=f"c{i}@fictional.example",
                    status=status,
                    status_changed_at=now - dt.timedelta(days=rng.randint(1, 400)),
                    intake_date=today - dt.timedelta(days=rng.randint(1, 800)),
                    presenting_concerns="Fictional text.",
                    primary_therapist=None if waitlisted else therapists[i % THERAPISTS],
                )
            )
        Client.objects.bulk_create(clients, batch_size=2000)
        ClientStatusChange.objects.bulk_create(
            (
                ClientStatusChange(client=c, to_status=c.status, changed_at=c.status_changed_at)
                for c in clients
            ),
            batch_size=5000,
        )
        ClientAssignment.objects.bulk_create(
            (
                ClientAssignment(
                    client=c,
                    therapist=c.primary_therapist,
                    assigned_by=admin,
                    started_at=c.status_changed_at,
                )
                for c in clients
                if c.primary_therapist
            ),
            batch_size=5000,
        )
        sessions, plans = [], []
        for c in clients:
            if c.status in ("active", "paused", "discharged") and c.primary_therapist:
                for _ in range(rng.randint(0, 8)):
                    sessions.append(
                        TherapySession(
                            client=c,
                            therapist=c.primary_therapist,
                            date=today - dt.timedelta(days=rng.randint(0, 120)),
                            status="draft" if rng.random() < 0.05 else "signed",
                        )
                    )
                if rng.random() < 0.6:
                    plans.append(
                        TreatmentPlan(
                            client=c, review_date=today + dt.timedelta(days=rng.randint(-30, 90))
                        )
                    )
        TherapySession.objects.bulk_create(sessions, batch_size=5000)
        TreatmentPlan.objects.bulk_create(plans, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {len(clients)} clients, {len(sessions)} sessions, {len(plans)} plans")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database for the benchmark, e.g. .../att_bench")
    ensure_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client as Browser

    from attachment_app.models import User
    from bench.caseload_harness import measure, table

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    seed(args.reseed)

    admin = User.objects.get(email="admin@bench.example")
    therapist = User.objects.get(email="t007@bench.example")
    as_admin, as_therapist = Browser(), Browser()
    as_admin.force_login(admin)
    as_therapist.force_login(therapist)

    def get(browser, url):
        def fetch():
            response = browser.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return fetch

    cases = {
        "caseload first page": get(as_admin, "/caseload/"),
        "caseload filtered": get(
            as_admin, f"/caseload/?status=active&therapist={therapist.pk}&sort=-last_session"
        ),
        "caseload search": get(as_admin, "/caseload/?q=fictional0123"),
        "home": get(as_therapist, "/"),
    }
    results = measure(cases, floor=get(as_admin, "/ping"), rounds=args.rounds, repeat=args.repeat)
    print(f"{CLIENTS} clients, {THERAPISTS} therapists; {args.rounds} rounds x {args.repeat}")
    print(table(results, TARGETS))


if __name__ == "__main__":
    main()
