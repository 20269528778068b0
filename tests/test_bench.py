"""The bench's method and its seeding, checked small and fast (speed itself is in bench/)."""

import pytest
from django.db import connection

from bench import harness
from bench.seed import Seeded, Size, seed
from tests.conftest import need


def test_cases_run_interleaved_with_the_floor_in_an_order_reversed_every_round():
    calls = []
    floor = harness.Case("floor", lambda: calls.append("floor"))
    a = harness.Case("a", lambda: calls.append("a"))
    b = harness.Case("b", lambda: calls.append("b"))

    measured = harness.measure(floor, [a, b], budget_s=0, min_rounds=2, max_rounds=2, batch_s=0)

    timed = calls[6:]  # after a warm-up and a sizing run of each
    assert measured.rounds == 2
    assert timed == ["floor", "a", "b", "b", "a", "floor"]


def test_a_case_figure_is_the_median_of_its_ratios_to_the_floor_of_the_same_round(monkeypatch):
    floor = harness.Case("floor", lambda: None)
    steady = harness.Case("steady", lambda: None)
    uneven = harness.Case("uneven", lambda: None)
    # ms per batch: a sizing run, then three rounds in which the floor swings 100x.
    per_batch = {
        floor.run: iter([1, 1, 10, 100]),
        steady.run: iter([2, 2, 20, 200]),
        uneven.run: iter([1, 1, 30, 1000]),
    }
    monkeypatch.setattr(harness, "_batch", lambda run, n: (v := next(per_batch[run]), v))

    measured = harness.measure(floor, [steady, uneven], budget_s=0, min_rounds=3, max_rounds=3)

    assert measured.floor.cpu_ms == 10
    assert measured.cases[0].cpu_rounds == [2, 2, 2]
    assert measured.cases[0].cpu_ratio == 2
    assert measured.cases[1].cpu_rounds == [1, 3, 10]
    assert measured.cases[1].cpu_ratio == 3  # the median, not the mean


def section_with_floor(cpu_ms: float) -> harness.Section:
    return harness.Section(
        key="pages",
        title="Pages",
        floor_name="GET /ping",
        floor={"cpu_ms": cpu_ms},
        floor_figure="cpu_ms",
        columns=[],
        rows=[],
    )


@pytest.mark.parametrize(
    ("before", "now", "noisy"),
    [(1.0, 2.9, False), (1.0, 3.1, True), (1.0, 0.3, True), (1.0, 0.5, False)],
)
def test_a_run_is_noisy_where_a_floor_moved_more_than_3x_from_the_run_before(before, now, noisy):
    previous = {"sections": [{"key": "pages", "floor": {"cpu_ms": before}}]}
    current = section_with_floor(now)

    moved = harness.mark_noisy([current], previous)

    assert current.noisy is noisy
    assert bool(moved) is noisy


def test_the_first_run_is_not_noisy():
    current = section_with_floor(1.0)
    assert harness.mark_noisy([current], None) == []
    assert current.noisy is False


def test_a_missed_target_shows_in_the_table():
    timing = harness.Timing("caseload", 1, cpu_ms=20, wall_ms=25, cpu_ratio=16, wall_ratio=15)
    current = section_with_floor(1.0)
    current.columns = ["x floor CPU"]
    current.rows = [harness.ratio_row(timing, target=15)]

    assert "MISSED" in harness.table([current])
    assert current.rows[0].met is False


@pytest.mark.django_db(transaction=True)
def test_the_bench_seeds_a_clinic_with_the_people_and_records_its_cases_use():
    need(connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database (COPY)")
    from clients.models import Client, TherapySession, TreatmentPlan

    counts = seed(Size(clients=200, therapists=5, sessions=1000), log=lambda line: None)

    seeded = Seeded.load()
    assert counts["clients"] == Client.objects.count() == 300  # 100 of them at another clinic
    assert TherapySession.objects.count() == 1000
    assert TreatmentPlan.objects.count() == 19  # a tenth, leaving out the first client
    assert seeded.timeline_client.sessions.count() == 300
    assert seeded.client.primary_therapist == seeded.therapist
    assert seeded.client.treatment_plan.revisions.filter(status="signed").exists()
    assert not seeded.admin.is_therapist
    # Most clients in care have signed consent to treatment; some have not (the panel).
    in_care = Client.objects.exclude(status=Client.Status.WAITLIST)
    signed = in_care.filter(consents__kind="treatment").distinct().count()
    assert 0.9 * in_care.count() <= signed < in_care.count()


def test_the_floor_page_answers_a_signed_in_person_and_nothing_else(as_ana):
    response = as_ana.get("/ping")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert as_ana.post("/ping").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_the_bench_gives_a_tenth_of_the_clients_a_plan_with_goals_and_a_map():
    need(connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database (COPY)")
    import bench.exercises  # noqa: F401  registers the content seeder
    from clients.models import PlanGoal, TreatmentPlan
    from exercises.models import Figure, RelationshipMap

    seed(Size(clients=200, therapists=5, sessions=1000), log=lambda line: None)

    seeded = Seeded.load()
    plans = TreatmentPlan.objects.count()
    largest = RelationshipMap.objects.filter(title=bench.exercises.LARGEST_MAP_TITLE)
    assert RelationshipMap.objects.count() == plans + 1  # and the largest map the editor allows
    assert Figure.objects.filter(map__in=largest, map__client=seeded.timeline_client).count() == 200
    assert PlanGoal.objects.filter(revision__number=1).count() == 3 * plans
    assert Figure.objects.filter(map__client=seeded.client).count() == 40
    assert not seeded.timeline_client.sessions.filter(note_data="").exists()


@pytest.mark.django_db(transaction=True)
def test_the_growth_scale_is_clinics_the_size_of_the_bench_clinic_in_one_database():
    need(connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database (COPY)")
    from django.db.models import Count, Max

    from attachment_app.models import Clinic
    from clients.models import Client

    seed(Size(clients=200, therapists=5, sessions=1000).times(3), log=lambda line: None)

    seeded = Seeded.load()
    per_clinic = (
        Client.objects.exclude(clinic__name="Bench Neighbour Practice (fictional)")
        .values("clinic")
        .annotate(n=Count("pk"))
    )
    assert sorted(row["n"] for row in per_clinic) == [200, 200, 200]
    assert Clinic.objects.filter(name__startswith="Bench Growth Practice").count() == 2
    # The bench clinic's people and pages are those of a single-clinic run.
    assert seeded.therapist.clinic == seeded.clinic
    assert (
        not Client.objects.filter(primary_therapist=seeded.therapist)
        .exclude(clinic=seeded.clinic)
        .exists()
    )
    # Seeded by COPY, the last session date is filled in as the sessions' signals would.
    latest = seeded.timeline_client.sessions.aggregate(d=Max("date"))["d"]
    assert Client.objects.get(pk=seeded.timeline_client.pk).last_session_date == latest


@pytest.mark.django_db(transaction=True)
def test_the_bench_books_forty_appointments_in_the_therapists_week(client):
    need(connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database (COPY)")
    import bench.schedule  # noqa: F401  registers the week's seeder and cases
    from clients.models import Appointment

    seed(Size(clients=200, therapists=5, sessions=1000), log=lambda line: None)

    seeded = Seeded.load()
    assert Appointment.objects.filter(clinician=seeded.therapist).count() == 40
    client.force_login(seeded.therapist)
    page = client.get("/schedule/?week=2027-01-04")
    assert page.status_code == 200 and page.content.count(b'class="appt appt-') == 40
