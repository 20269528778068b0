"""The discharge summary's measures: per measure, its first and last rating (date, score out
of the highest), gathered through the measures registry (clients never imports exercises),
copied on the day of discharge, shown on the summary page and in its PDF."""

import datetime as dt

import pytest
from django.utils import timezone

from attachment_app.dates import format_date
from clients.measures import client_measures
from clients.services.discharge import client_discharge, discharge_summary_sign
from exercises.models import (
    CompanionPractice,
    Exploration,
    RatingScale,
    SafeSpacePractice,
    ScaleAdministration,
)
from tests.factories_exercises import clinic_scale, first_plan
from tests.factories_sessions import signed_session

pytestmark = pytest.mark.django_db

PHQ9 = "PHQ-9 (Patient Health Questionnaire)"
GAD7 = "GAD-7 (Generalized Anxiety Disorder)"


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def administer(client, scale, values, *, on, client_reported=False):
    responses = {str(i.pk): v for i, v in zip(scale.items.all(), values, strict=True)}
    return ScaleAdministration.objects.create(
        client=client,
        therapist=client.primary_therapist,
        scale=scale,
        date=on,
        responses=responses,
        client_reported=client_reported,
    )


@pytest.fixture
def rated(client_record):
    """Robin rated over three months: the PHQ-9 three times (out of order), a GAD-7 check-in,
    the clinic's own scale, distress in sessions and practice, exploration ratings."""
    phq9 = RatingScale.objects.get(builtin="phq9")
    administer(client_record, phq9, [1, 1, 1, 1, 1, 0, 0, 0, 0], on=days_ago(5))  # 5, Mild
    administer(client_record, phq9, [3, 3, 3, 2, 2, 2, 2, 2, 0], on=days_ago(90))  # 19
    administer(client_record, phq9, [2, 2, 2, 2, 1, 1, 0, 0, 0], on=days_ago(40))  # 10
    gad7 = RatingScale.objects.get(builtin="gad7")
    administer(client_record, gad7, [2] * 7, on=days_ago(30), client_reported=True)
    ours = clinic_scale(client_record)
    administer(client_record, ours, [6], on=days_ago(80))
    administer(client_record, ours, [3], on=days_ago(8))
    signed_session(client_record, date=days_ago(85), distress_before=8, distress_after=6)
    signed_session(client_record, date=days_ago(45), distress_before=None, distress_after=None)
    signed_session(client_record, date=days_ago(10), distress_before=3, distress_after=2)
    Exploration.objects.create(
        client=client_record,
        therapist=client_record.primary_therapist,
        date=days_ago(70),
        anxiety_rating=6,
    )
    SafeSpacePractice.objects.create(
        plan=first_plan(client_record), date=days_ago(20), distress_before=7, distress_after=4
    )
    CompanionPractice.objects.create(
        client=client_record,
        technique="grounding",
        distress_before=5,
        distress_after=2,
        recorded_by=client_record.primary_therapist,
    )
    return client_record


def spans(client) -> dict:
    return {m.measure: m for m in client_measures(client)}


def test_each_measure_gives_its_first_and_last_rating_from_both_apps(rated):
    measures = spans(rated)
    phq9 = measures[PHQ9]
    assert (phq9.first.date, phq9.first.score, phq9.first.out_of) == (days_ago(90), 19, 27)
    assert str(phq9.first) == "19 / 27 (Moderately severe)"
    assert (phq9.last.date, str(phq9.last), phq9.count) == (days_ago(5), "5 / 27 (Mild)", 3)
    gad7 = measures[GAD7]
    assert gad7.first == gad7.last and str(gad7.first) == "14 / 21 (Moderate)"
    assert gad7.client_reported and not phq9.client_reported
    ours = measures["Our scale: anxiety (mean)"]
    assert (str(ours.first), str(ours.last)) == ("6 / 7", "3 / 7")
    before = measures["Distress before sessions"]
    assert (before.first.date, str(before.first), str(before.last)) == (
        days_ago(85),
        "8 / 10",
        "3 / 10",
    )
    assert before.count == 2  # the session without a rating is not counted
    assert str(measures["Distress after sessions"].last) == "2 / 10"
    assert str(measures["Exploration: anxiety rating"].first) == "6 / 7"
    assert "Exploration: avoidance rating" not in measures  # never rated: not listed
    assert str(measures["Safe-space practice: distress before"].first) == "7 / 10"
    own = measures["Practice between sessions: distress after"]
    assert own.client_reported and str(own.first) == "2 / 10"


def test_a_client_never_rated_has_no_measures(client_record):
    assert client_measures(client_record) == []


def test_the_measures_cost_the_same_queries_however_many_scales(
    rated, django_assert_max_num_queries, client_record
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client_measures(rated)
    second = RatingScale.objects.create(
        clinic=rated.clinic, name="Second scale", created_by=rated.primary_therapist
    )
    second.items.create(position=1, text="I pull away.", subscale="avoidance")
    administer(rated, second, [4], on=days_ago(3))
    with django_assert_max_num_queries(len(few)):
        assert "Second scale: avoidance (mean)" in spans(rated)


def test_the_summary_keeps_a_copy_taken_on_the_day_of_discharge(rated, ana):
    summary = client_discharge(client=rated, by=ana, reason="goals_met", date=days_ago(1))
    kept = {m.measure: m for m in summary.measure_ratings}
    assert str(kept[PHQ9].first) == "19 / 27 (Moderately severe)"
    assert kept[PHQ9].last.date == days_ago(5)
    # A rating entered later (a late check-in) does not change the summary.
    administer(rated, RatingScale.objects.get(builtin="phq9"), [0] * 9, on=days_ago(0))
    summary.refresh_from_db()
    assert {m.measure: m for m in summary.measure_ratings}[PHQ9].last.date == days_ago(5)


def test_the_summary_page_shows_the_measures(as_ana, ana, rated):
    summary = client_discharge(client=rated, by=ana, reason="goals_met", date=days_ago(1))
    page = as_ana.get(summary.get_absolute_url()).content.decode()
    assert "Measures: first and last rating" in page
    assert "19 / 27 (Moderately severe), " + format_date(days_ago(90)) in page
    assert "5 / 27 (Mild), " + format_date(days_ago(5)) in page
    assert "client-reported" in page


def test_a_summary_without_measures_says_so(as_ana, ana, client_record):
    summary = client_discharge(client=client_record, by=ana, reason="moved", date=days_ago(0))
    assert summary.measures == []
    assert "No measures were recorded." in as_ana.get(summary.get_absolute_url()).content.decode()


@pytest.mark.usefixtures("private_media")
def test_the_signed_summary_pdf_shows_first_and_last_of_each_measure(ana, rated):
    from clients.exports.services import export_request, export_run
    from clients.models import ExportJob
    from tests.pdfcheck import pdf_text, squash

    summary = client_discharge(client=rated, by=ana, reason="goals_met", date=days_ago(1))
    discharge_summary_sign(summary=summary, by=ana)
    job = export_request(
        kind="discharge_summary", client=rated, by=ana, params={"discharge_id": str(summary.pk)}
    )
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    with job.file.open("rb") as handle:
        text = squash(pdf_text(handle.read()))
    for expected in (
        "Measures: first and last rating",
        f"{PHQ9} 19 / 27 (Moderately severe), {format_date(days_ago(90))}",
        f"5 / 27 (Mild), {format_date(days_ago(5))} 3",
        f"{GAD7} (client-reported) 14 / 21 (Moderate)",
        f"Distress before sessions 8 / 10, {format_date(days_ago(85))}",
        "Our scale: anxiety (mean) 6 / 7",
        "not a diagnosis",
    ):
        assert squash(expected) in text, expected
