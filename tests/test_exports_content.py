"""The documents' content read back from the PDFs: plan, summaries, card, letter.

The canary of a private process note is absent from every document, the CSV,
the jobs' parameters and the task messages.
"""

import datetime as dt

import pytest
from django.urls import reverse

from clients.exports.services import export_request, export_run
from clients.models import ExportJob, TherapySession
from tests.canary import assert_canary_absent, make_canary
from tests.factories import ClientFactory
from tests.factories_documents import full_record
from tests.factories_exercises import RelationshipMapFactory, SafeSpacePlanFactory
from tests.factories_exports import TherapySessionFactory
from tests.pdfcheck import is_tagged, pdf_pages_text, pdf_text, squash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def produce(kind, client, by, params=None) -> tuple[ExportJob, bytes]:
    job = export_request(kind=kind, client=client, by=by, params=params or {})
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    with job.file.open("rb") as handle:
        return job, handle.read()


def assert_every_page_framed(pages: list[str], name: str = "Robin Example") -> None:
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in text
        assert name in text
        assert "2026" in text  # the production date in the footer


@pytest.fixture
def record(client_record, ana):
    return full_record(client_record, ana)


def test_the_treatment_plan_shows_formulation_goals_exercises_and_sessions(
    record, client_record, ana
):
    _, pdf = produce("treatment_plan", client_record, ana, {"include_drafts": True})
    pages = pdf_pages_text(pdf)
    assert_every_page_framed(pages)
    assert all("Confidential psychotherapy record" in p for p in pages)
    text = squash("\n".join(pages))
    for expected in [
        "Workingattachment-stylehypothesis:Anxious",
        "Checksthephoneoftenwhenapartnerislate.",
        "Movescloser,thenwithdraws",
        "Tofeelcalmerwhenapartnerisslowtoreply.",
        "Goal1.Feelsteadierwhenapart",
        "Useasoothingpracticebeforecheckingthephone",
        "target1Sep2026",
        "inprogress·40%progress",
        "Interventions:Mindfulnessandbodyawareness(weekly)",
        "Curiousandcommittedtothework.",
        "Asiblingandaweeklywalkinggroup.",
        "Agreedwiththeclientinsessionon2Feb2026",
        "Chosethefirstgoal'swording.",
        "Reviewdate:1Mar2027",
        # Sections from exercises.
        "Relationshipmap",
        "Mum↔Robin:Conflict",
        "Fearofbeingaburden",
        "Anexplorationaid,notavalidatedinstrument.",
        "10Jan2026:anxiety6,avoidance3",
        "Thebeachhut",
        "cueword“Tide”",
        "Feetonthefloor",
        "20Feb20266→3",
        # Sessions since revision 1, one line each.
        "2Feb2026",
        "Innerchildwork,Emotion-focusedtechniques·distress7→4",
        "Therapist'ssignatureanddate.DRAFT",
    ]:
        assert expected in text, (expected, text)
    assert all("DRAFT" in p for p in pages)  # revision 2 is a draft


def test_the_map_in_the_plan_is_vector_not_an_image(record, client_record, ana):
    import io

    from pypdf import PdfReader

    _, pdf = produce("treatment_plan", client_record, ana)
    for page in PdfReader(io.BytesIO(pdf)).pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        for xobject in xobjects.values():
            assert xobject.get_object().get("/Subtype") != "/Image"
    assert is_tagged(pdf)


def test_a_one_session_summary_has_the_note_as_written_and_its_addendum(record, client_record, ana):
    session = record.sessions[0]
    _, pdf = produce("session_summary", client_record, ana, {"session_id": str(session.pk)})
    pages = pdf_pages_text(pdf)
    assert_every_page_framed(pages)
    text = squash("\n".join(pages))
    for expected in [
        "Monday,2Feb2026",
        "Techniques:Innerchildwork;Emotion-focusedtechniques",
        "Distress(0–10):before7,after4",
        "Progressnote,DAP(data,assessment,plan)",
        "DataTalkedaboutafictionalweeknumber0.",
        "AssessmentEngagedandreflective.",
        "PlanContinueweekly.",
        "Between-sessionpracticeNoticeonemoment",
        "Addendum",
        "Clarification",
        "Thewalkwaswithasibling,notafriend.",
    ]:
        assert expected in text, expected
    assert "DRAFT" not in text
    assert "week number 1" not in "\n".join(pages)


def test_a_range_summary_marks_drafts_on_every_page(record, client_record, ana):
    TherapySessionFactory(
        client=client_record,
        date=dt.date(2026, 3, 30),
        status=TherapySession.Status.DRAFT,
        signed_at=None,
        signed_by=None,
    )
    for week in range(8):
        TherapySessionFactory(
            client=client_record,
            date=dt.date(2026, 4, 6) + dt.timedelta(weeks=week),
            note_data="A long fictional note. " * 40,
        )
    _, pdf = produce(
        "session_summary",
        client_record,
        ana,
        {"date_from": "2026-01-01", "date_to": "2026-12-31", "include_drafts": True},
    )
    pages = pdf_pages_text(pdf)
    assert len(pages) >= 2
    assert_every_page_framed(pages)
    assert all("DRAFT" in p for p in pages)
    assert "Thewalkwaswithasibling" in squash("\n".join(pages))


def test_the_safe_space_card_is_plain_and_warm(record, client_record, ana):
    _, pdf = produce("safe_space_card", client_record, ana, {"plan_id": str(record.safe_space.pk)})
    pages = pdf_pages_text(pdf)
    assert pages and "page 1 of 1" in pages[-1]
    text = squash("\n".join(pages))
    for expected in [
        "Mysafespace",
        "RobinExample",
        "Thebeachhut",
        "Myword:Tide",
        "Seen:Grey-bluewater.",
        "Pressbothfeetintothefloor",
        "Holdthesmoothstone",
        "Privateandpersonal",
    ]:
        assert expected in text, expected
    for jargon in ["psychotherapy record", "hypothesis", "Distress", "DRAFT"]:
        assert jargon not in "\n".join(pages)


def test_the_letter_is_the_clients_copy_without_the_therapists_reflection(
    record, client_record, ana
):
    _, pdf = produce("reparenting_letter", client_record, ana, {"letter_id": str(record.letter.pk)})
    text = pdf_text(pdf)
    assert "To me at seven" in text and "Robin Example" in text and "page 1 of 1" in text
    assert "you were never too much" in text
    assert "It felt strange, then kind." in text
    assert "THERAPIST-REFLECTION-NOT-FOR-THE-COPY" not in text
    assert "EXPERIENCE-NOT-FOR-THE-COPY" not in text


def test_the_clients_copy_of_a_letter_is_dated_not_produced(record, client_record, ana):
    _, pdf = produce("reparenting_letter", client_record, ana, {"letter_id": str(record.letter.pk)})
    text = pdf_text(pdf)
    assert "produced" not in text.lower()
    assert "Made for you on" in text


def test_a_card_or_letter_of_another_client_is_refused(record, client_record, ana, ben, as_ana):
    other = ClientFactory(primary_therapist=ben)
    plan = SafeSpacePlanFactory(client=other)
    response = as_ana.post(
        reverse("clients:export_create", args=[client_record.pk]),
        {"kind": "safe_space_card", "plan_id": str(plan.pk)},
    )
    assert response.status_code == 200
    assert "Choose a safe-space plan of this client." in response.content.decode()
    response = as_ana.post(
        reverse("clients:export_create", args=[client_record.pk]),
        {"kind": "reparenting_letter", "letter_id": "not-an-id"},
    )
    assert "Choose a reparenting letter of this client." in response.content.decode()
    assert not ExportJob.objects.exists()


def test_the_safe_space_and_letter_pages_offer_to_prepare_a_document(record, client_record, as_ana):
    page = as_ana.get(record.safe_space.get_absolute_url()).content.decode()
    assert "Prepare a take-home card (PDF)" in page
    assert f'value="{record.safe_space.pk}"' in page
    page = as_ana.get(record.letter.get_edit_url()).content.decode()
    assert "Prepare the client" in page and f'value="{record.letter.pk}"' in page
    response = as_ana.post(
        reverse("clients:export_create", args=[client_record.pk]),
        {"kind": "safe_space_card", "plan_id": str(record.safe_space.pk)},
    )
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.parameters == {"plan_id": str(record.safe_space.pk)}


def test_a_session_page_shows_the_exercises_done_in_it(record, client_record, as_ana):
    session = record.sessions[1]
    record.safe_space.session = session
    record.safe_space.save()
    page = as_ana.get(
        reverse("clients:session_detail", args=[client_record.pk, session.pk])
    ).content.decode()
    assert "Exercises done in this session" in page
    assert "The beach hut" in page


def fhir_text(content: bytes) -> str:
    import base64
    import json

    bundle = json.loads(content)
    attachments = [
        base64.b64decode(c["attachment"]["data"]).decode()
        for e in bundle["entry"]
        for c in e["resource"].get("content", [])
    ]
    return "\n".join([content.decode(), *attachments])


def test_the_private_note_canary_is_in_no_document_csv_or_job(
    client, client_record, ana, dee, django_capture_on_commit_callbacks, monkeypatch, settings
):
    from clients import tasks

    canary = make_canary()
    record = full_record(client_record, ana, private_text=canary)
    sent: list[str] = []
    monkeypatch.setattr(tasks.render_export, "delay", lambda *a, **k: sent.append(repr((a, k))))
    requests = [
        ("treatment_plan", client_record, ana, {}),
        ("session_summary", client_record, ana, {"session_id": str(record.sessions[0].pk)}),
        (
            "session_summary",
            client_record,
            ana,
            {"date_from": "2026-01-01", "date_to": "2026-12-31"},
        ),
        ("safe_space_card", client_record, ana, {"plan_id": str(record.safe_space.pk)}),
        ("reparenting_letter", client_record, ana, {"letter_id": str(record.letter.pk)}),
        ("caseload_pdf", None, dee, {}),
        # The release bundle, as a PDF and as FHIR JSON: every part, every date.
        ("release_bundle", client_record, ana, {"release_id": str(record.release.pk)}),
        ("release_fhir", client_record, ana, {"release_id": str(record.release.pk)}),
    ]
    settings.EXPORT_MAX_ACTIVE_PER_PERSON = len(requests)  # all asked for at once, on purpose
    with django_capture_on_commit_callbacks(execute=True):
        jobs = [export_request(kind=k, client=c, by=by, params=p) for k, c, by, p in requests]
    assert len(sent) == len(jobs)
    for message in sent:
        assert_canary_absent(canary, message, "a task message")
    for job in jobs:
        export_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == ExportJob.Status.DONE, job.error
        with job.file.open("rb") as handle:
            content = handle.read()
        assert_canary_absent(canary, repr(job.parameters), f"{job.kind} job parameters")
        assert_canary_absent(canary, content, f"the {job.kind} file")
        if content.startswith(b"%PDF"):
            assert_canary_absent(canary, pdf_text(content), f"the {job.kind} PDF's text")
        else:  # the FHIR bundle: its text, and what its base64 attachments hold
            assert_canary_absent(canary, fhir_text(content), f"the {job.kind} attachments")
    client.force_login(dee)
    spreadsheet = client.get(reverse("clients:caseload_export"))
    assert_canary_absent(canary, b"".join(spreadsheet.streaming_content), "the caseload CSV")


def test_building_a_documents_context_takes_the_same_queries_for_more_content(client_record, ana):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clients.exports.documents import session_summary_context, treatment_plan_context
    from clients.models import PlanGoal, PlanObjective, SessionAddendum

    record = full_record(client_record, ana)
    plan_job = export_request(kind="treatment_plan", client=client_record, by=ana)
    summary_job = export_request(
        kind="session_summary",
        client=client_record,
        by=ana,
        params={"date_from": "2026-01-01", "date_to": "2026-12-31"},
    )

    def queries(build, job) -> int:
        with CaptureQueriesContext(connection) as captured:
            build(job)
        return len(captured)

    for job in (plan_job, summary_job):
        assert job.clinic == client_record.clinic  # the job's own row, read once per job
    before = (
        queries(treatment_plan_context, plan_job),
        queries(session_summary_context, summary_job),
    )
    for n in range(6):
        goal = PlanGoal.objects.create(revision=record.revision, order=n + 1, text=f"Goal {n}")
        PlanObjective.objects.create(goal=goal, text="An objective")
        session = TherapySessionFactory(client=client_record, date=dt.date(2026, 5, 4 + n))
        SessionAddendum.objects.create(session=session, author=ana, reason="R", text="T")
    after = (
        queries(treatment_plan_context, plan_job),
        queries(session_summary_context, summary_job),
    )
    assert after == before


def test_a_busy_map_in_the_plan_prints_each_ties_ratings_once_in_the_list(client_record, ana):
    from exercises.models import Figure, Tie

    rmap = RelationshipMapFactory(client=client_record, title="Everyone")
    me = Figure.objects.create(map=rmap, role="client", label="Robin", x=400, y=280)
    for i in range(13):
        friend = Figure.objects.create(
            map=rmap, role="friend", label=f"Friend {i}", x=60 + 52 * i, y=60 + 30 * (i % 2)
        )
        Tie.objects.create(map=rmap, source=friend, target=me, closeness=4, trust=2, tension=3)
    _, pdf = produce("treatment_plan", client_record, ana)
    text = squash(pdf_text(pdf))
    assert text.count("closeness4of5") == 13  # the list's lines only, not the picture's
    assert "Ratings(closeness,trust,tension,each0–5):inthelistofties" in text
    assert "Friend12" in text


def test_a_note_keeps_the_line_breaks_it_was_typed_with(client_record, ana):
    session = TherapySessionFactory(
        client=client_record,
        note_format="dap",
        note_data="Named three worries:\n- being late\n- being left\n\nThen a grounding breath.",
        homework="Morning: one breath.\r\nEvening: one line in the journal.",  # a browser's CRLF
    )
    _, pdf = produce("session_summary", client_record, ana, {"session_id": str(session.pk)})
    lines = [line.strip() for line in pdf_text(pdf).splitlines()]
    for typed in (
        "Named three worries:",
        "- being late",
        "- being left",
        "Then a grounding breath.",
        "Morning: one breath.",
        "Evening: one line in the journal.",
    ):
        assert typed in lines, (typed, lines)
