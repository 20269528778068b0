"""The large clinic the benchmarks run on, in a PostgreSQL database of its own.

10,000 clients, 100 therapists, 100,000 sessions, treatment plans for a tenth
of the clients; all fictional. The growth scale (bench/growth.py) seeds ten
clinics of that size in one database: 100,000 clients and 1,000,000 sessions,
the bench clinic being the first of them. Rows go in with COPY (through the models, so
defaults and new columns are filled the way Django would). Features that add
data (maps, exercises, exports) register a seeder with `@seeder` and get the
Seeded clinic to add theirs to.
"""

import datetime as dt
import itertools
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import psycopg

CLINIC_NAME = "Bench Group Practice (fictional)"
OTHER_CLINIC_NAME = "Bench Neighbour Practice (fictional)"
THERAPIST_EMAIL = "therapist{:03d}@bench.example"
ADMIN_EMAIL = "admin@bench.example"
TIMELINE_CLIENT = ("Timeline", "Benchmark")  # the client with 300 sessions
TIMELINE_SESSIONS = 300

FIRST = ["Alex", "Sam", "Jordan", "Robin", "Casey", "Morgan", "Riley", "Jamie", "Quinn", "Avery"]
LAST = ["Fictional", "Example", "Sample", "Placeholder", "Testcase", "Madeup", "Invented"]


@dataclass
class Size:
    clients: int = 10_000
    therapists: int = 100
    sessions: int = 100_000
    plan_share: float = 0.1
    clinics: int = 1  # clients and therapists are split evenly; the first is the bench clinic

    def scaled(self, factor: float) -> "Size":
        return Size(
            clients=max(100, int(self.clients * factor)),
            therapists=max(5, int(self.therapists * factor)),
            sessions=max(TIMELINE_SESSIONS + 100, int(self.sessions * factor)),
            plan_share=self.plan_share,
            clinics=self.clinics,
        )

    def times(self, clinics: int) -> "Size":
        """`clinics` clinics the size of this one's, in one database (the growth scale)."""
        return Size(
            clients=self.clients * clinics,
            therapists=self.therapists * clinics,
            sessions=self.sessions * clinics,
            plan_share=self.plan_share,
            clinics=clinics,
        )


@dataclass
class Seeded:
    """Who and what the cases use; found again by name when a run reuses the database."""

    clinic: object
    therapist: object  # therapist 000, with a full caseload
    admin: object  # clinic admin, not a therapist
    client: object  # one of the therapist's clients, with a treatment plan
    timeline_client: object  # the therapist's client with 300 sessions

    @classmethod
    def load(cls) -> "Seeded":
        from attachment_app.models import Clinic, User
        from clients.models import Client

        clinic = Clinic.objects.get(name=CLINIC_NAME)
        therapist = User.objects.get(email=THERAPIST_EMAIL.format(0))
        first, last = TIMELINE_CLIENT
        return cls(
            clinic=clinic,
            therapist=therapist,
            admin=User.objects.get(email=ADMIN_EMAIL),
            # Active: a discharged client's pages are read-only (no forms), and the seed's
            # statuses are drawn at random, so any client would differ between databases.
            client=Client.objects.filter(
                primary_therapist=therapist,
                treatment_plan__isnull=False,
                status=Client.Status.ACTIVE,
            )
            .exclude(legal_first_name=first)
            .order_by("pk")
            .first(),
            timeline_client=Client.objects.get(legal_first_name=first, legal_last_name=last),
        )


Seeder = Callable[[Seeded, Size], dict[str, int]]
SEEDERS: list[tuple[str, Seeder]] = []


def seeder(name: str) -> Callable[[Seeder], Seeder]:
    """Register a feature's seeder; it runs after the core data, in import order.

    Hook for the exercises app: relationship maps for a tenth of the clients and
    one 40-figure map for `seeded.client` (the map page case needs it).
    """

    def register(function: Seeder) -> Seeder:
        SEEDERS.append((name, function))
        return function

    return register


def recreate_database(url: str) -> None:
    """Drop and create the bench database (never the one DATABASE_URL of the app uses)."""
    name = urlsplit(url).path.lstrip("/")
    if not name or "bench" not in name:
        raise SystemExit(f"refusing to recreate {name!r}: a bench database name contains 'bench'")
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def ensure_database(url: str) -> None:
    """Create the bench database if it is not there (a reused one is kept as it is)."""
    name = urlsplit(url).path.lstrip("/")
    if not name or "bench" not in name:
        raise SystemExit(f"refusing to create {name!r}: a bench database name contains 'bench'")
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def database_is_seeded() -> bool:
    from django.db import connection

    from attachment_app.models import Clinic

    try:
        return Clinic.objects.filter(name=CLINIC_NAME).exists()
    except Exception:
        connection.close()
        return False


def copy_objects(objects: Iterable) -> int:
    """COPY model instances into their table, with each field prepared as Django would save it.

    A generator is read as it goes (a million sessions never sit in memory at once).
    """
    from django.db import connection

    objects = iter(objects)
    first = next(objects, None)
    if first is None:
        return 0
    model = type(first)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or not f.auto_created]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in itertools.chain([first], objects):
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
            count += 1
    return count


def seed(size: Size, log: Callable[[str], None] = print) -> dict:
    """Fill an empty, migrated database; returns counts and seconds per step."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from attachment_app.models import Clinic, User
    from clients.models import (
        Client,
        ClientConsent,
        ConsentKind,
        ConsentTemplate,
        PlanRevision,
        TreatmentPlan,
    )

    rng = random.Random(20261128)  # the same clinic every run
    now = timezone.now()
    today = timezone.localdate()
    steps: dict[str, float] = {}
    started = time.perf_counter()

    def step(name: str) -> None:
        nonlocal started
        steps[name] = round(time.perf_counter() - started, 2)
        log(f"  seeded {name} in {steps[name]:.1f} s")
        started = time.perf_counter()

    with transaction.atomic():
        clinic = Clinic.objects.create(name=CLINIC_NAME)
        other = Clinic.objects.create(name=OTHER_CLINIC_NAME)
        # The growth scale's further clinics, each the size of the bench clinic.
        clinics = [clinic] + [
            Clinic.objects.create(name=f"Bench Growth Practice {k} (fictional)")
            for k in range(1, size.clinics)
        ]
        per_clinic = size.therapists // size.clinics
        unusable = make_password(None)  # cases sign in with force_login, never a password
        therapists = User.objects.bulk_create(
            User(
                email=THERAPIST_EMAIL.format(i),
                full_name=f"Therapist {i:03d} (fictional)",
                clinic=clinics[i // per_clinic],
                is_therapist=True,
                caseload_capacity=rng.choice([20, 25, 30]),
                password=unusable,
            )
            for i in range(per_clinic * size.clinics)
        )
        User.objects.create(
            email=ADMIN_EMAIL,
            full_name="Clinic Admin (fictional)",
            clinic=clinic,
            is_clinic_admin=True,
            password=unusable,
        )
        outsider = User.objects.create(
            email="outsider@bench.example",
            full_name="Outsider (fictional)",
            clinic=other,
            is_therapist=True,
            password=unusable,
        )
        step("clinics and people")

        statuses = [Client.Status.ACTIVE] * 6 + [Client.Status.PAUSED, Client.Status.DISCHARGED]
        clients = []
        clients_per_clinic = size.clients // size.clinics
        for i in range(clients_per_clinic * size.clinics):
            k, j = divmod(i, clients_per_clinic)  # the clinic, and the client within it
            own = therapists[k * per_clinic : (k + 1) * per_clinic]
            waitlisted = j % 10 == 9  # a tenth wait for a therapist
            clients.append(
                Client(
                    clinic=clinics[k],
                    legal_first_name=FIRST[j % len(FIRST)],
                    legal_last_name=f"{LAST[j % len(LAST)]}{j:05d}",
                    date_of_birth=dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20_000)),
                    status=Client.Status.WAITLIST if waitlisted else rng.choice(statuses),
                    status_changed_at=now - dt.timedelta(days=rng.randrange(700)),
                    intake_date=today - dt.timedelta(days=rng.randrange(5, 900)),
                    primary_therapist=None if waitlisted else own[j % len(own)],
                )
            )
        first, last = TIMELINE_CLIENT
        timeline = clients[0]
        timeline.legal_first_name, timeline.legal_last_name = first, last
        timeline.status = Client.Status.ACTIVE
        clients += [
            Client(
                clinic=other,
                legal_first_name="Neighbour",
                legal_last_name=f"Client{i:03d}",
                status=Client.Status.ACTIVE,
                primary_therapist=outsider,
            )
            for i in range(100)
        ]
        copy_objects(clients)
        step(f"{len(clients):,} clients")

        # Consent to treatment, signed by nineteen in twenty clients in care, as a clinic
        # keeps it: without it the caseload's no-consent panel counts nearly everyone.
        templates = {
            clinic_id: ConsentTemplate.objects.create(
                clinic_id=clinic_id,
                kind=ConsentKind.TREATMENT,
                version=1,
                title="Consent to treatment",
                body="Fictional consent text for the bench.",
            )
            for clinic_id in {c.clinic_id for c in clients}
        }
        consents = [
            ClientConsent(
                client=c,
                template=templates[c.clinic_id],
                kind=ConsentKind.TREATMENT,
                signed_name=f"{c.legal_first_name} {c.legal_last_name}",
                signed_on=c.intake_date or today,
                read_confirmed=True,
            )
            for i, c in enumerate(clients)
            if c.status != Client.Status.WAITLIST and i % 20
        ]
        copy_objects(consents)
        step(f"{len(consents):,} signed consents to treatment")

        in_care = [c for c in clients if c.primary_therapist_id and c.clinic_id != other.pk]
        others = [c for c in in_care if c is not timeline]
        sessions = itertools.chain(
            (_session(timeline, rng, today, n) for n in range(TIMELINE_SESSIONS)),
            (
                _session(others[n % len(others)], rng, today, n)
                for n in range(size.sessions - TIMELINE_SESSIONS)
            ),
        )
        session_count = copy_objects(sessions)
        with connection.cursor() as cursor:  # what the session signals keep, set in one go
            cursor.execute(
                "UPDATE clients_client c SET last_session_date = s.latest FROM (SELECT "
                "client_id, MAX(date) AS latest FROM clients_therapysession GROUP BY client_id) s "
                "WHERE s.client_id = c.id"
            )
        step(f"{session_count:,} sessions")

        stride = round(1 / size.plan_share)  # every tenth client; never a waitlisted one
        planned = [c for i, c in enumerate(clients[: size.clients]) if i % stride == 0 and i]
        plans = [
            TreatmentPlan(client=c, review_date=today + dt.timedelta(days=rng.randrange(-30, 90)))
            for c in planned
        ]
        copy_objects(plans)
        revisions = []
        for plan in plans:
            therapist_id = plan.client.primary_therapist_id
            revisions.append(
                PlanRevision(
                    plan=plan,
                    number=1,
                    status=PlanRevision.Status.SIGNED,
                    review_date=plan.review_date,
                    author_id=therapist_id,
                    signed_at=now - dt.timedelta(days=rng.randrange(1, 300)),
                    signed_by_id=therapist_id,
                )
            )
            if rng.random() < 0.3:
                revisions.append(PlanRevision(plan=plan, number=2, author_id=therapist_id))
        copy_objects(revisions)
        step(f"{len(plans):,} treatment plans, {len(revisions):,} revisions")

        seeded = Seeded.load()
        counts: dict[str, int] = {}
        for name, function in SEEDERS:
            counts.update(function(seeded, size))
            step(name)

    with connection.cursor() as cursor:
        # As autovacuum leaves a live database: statistics, and a visibility map so
        # index-only scans do not visit the table for every row.
        cursor.execute("VACUUM ANALYZE")
    step("vacuum analyze")
    return {
        "clients": len(clients),
        "therapists": len(therapists),
        "sessions": session_count,
        "treatment_plans": len(plans),
        **counts,
        "seconds": steps,
    }


def _session(client, rng: random.Random, today: dt.date, n: int):
    from clients.models import TherapySession

    signed = rng.random() < 0.95
    date = today - dt.timedelta(days=rng.randrange(1, 730))
    return TherapySession(
        client=client,
        therapist_id=client.primary_therapist_id,
        date=date,
        start_time=dt.time(9 + n % 8, 0),
        status=TherapySession.Status.SIGNED if signed else TherapySession.Status.DRAFT,
        signed_at=dt.datetime.combine(date, dt.time(18, 0), tzinfo=dt.UTC) if signed else None,
        signed_by_id=client.primary_therapist_id if signed else None,
    )
