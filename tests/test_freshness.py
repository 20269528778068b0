"""Summaries and record panels kept until the records change (attachment_app.freshness)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attachment_app import freshness
from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from clients.exports.services import export_fail
from clients.models import Client, TherapySession
from clients.services.caseload import client_assign
from exercises.models import Figure
from tests.factories import ClientFactory
from tests.factories_appointments import AppointmentFactory
from tests.factories_exercises import RelationshipMapFactory
from tests.factories_exports import ExportJobFactory

CASELOAD = reverse("clients:caseload")
HOME = reverse("clients:home")


def visit(browser, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def computed_each_time():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_a_summary_is_computed_once_until_a_record_changes(db):
    calls, compute = computed_each_time()
    assert freshness.kept("k", compute) == 1
    assert freshness.kept("k", compute) == 1
    freshness.records_changed()
    assert freshness.kept("k", compute) == 2
    assert len(calls) == 2


def test_saving_or_deleting_a_row_of_a_record_renews_the_token(ana):
    before = freshness.token()
    record = ClientFactory(primary_therapist=ana)
    after_save = freshness.token()
    record.delete()
    assert len({before, after_save, freshness.token()}) == 3


def test_an_audited_change_renews_the_token_and_a_read_does_not(ana):
    before = freshness.token()
    audit(actor=ana, action=AuditEvent.Action.VIEW, summary="Client record")
    assert freshness.token() == before
    audit(actor=ana, action=AuditEvent.Action.CHANGE, summary="Client record")
    assert freshness.token() != before


def test_the_token_is_renewed_again_when_the_change_commits(
    ana, django_capture_on_commit_callbacks
):
    # A page computed between the write and its commit saw the data before it.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        freshness.records_changed()
    during = freshness.token()
    for callback in callbacks:
        callback()
    assert freshness.token() != during


def test_the_caseload_counts_again_only_after_a_change(client, dee, ana):
    waiting = ClientFactory(
        clinic=dee.clinic, status=Client.Status.WAITLIST, legal_first_name="Waiting"
    )
    client.force_login(dee)
    first, page = visit(client, CASELOAD)
    kept, page_kept = visit(client, CASELOAD)
    assert kept < first
    assert page_kept.count("Waiting") == page.count("Waiting") >= 1

    client_assign(client=waiting, therapist=ana, by=dee, reason="Intake done")
    again, page = visit(client, CASELOAD)
    assert again == first
    panels = client.get(CASELOAD).context["panels"]
    waitlist = next(panel for panel in panels if panel.name == "waitlist")
    assert waitlist.count == 0 and waitlist.clients == []


def test_kept_panels_show_only_clients_still_in_the_readers_scope(client, dee, olivia):
    moved = ClientFactory(
        clinic=dee.clinic, status=Client.Status.WAITLIST, legal_first_name="Moving"
    )
    client.force_login(dee)
    panels = client.get(CASELOAD).context["panels"]
    assert any(moved.pk in [c.pk for c in panel.clients] for panel in panels)
    # A write no signal sees (a bulk update): the kept summary still names the client,
    # and the page reads the clients again through the admin's scope.
    Client.objects.filter(pk=moved.pk).update(clinic=olivia.clinic)
    panels = client.get(CASELOAD).context["panels"]
    assert all(moved.pk not in [c.pk for c in panel.clients] for panel in panels)


def test_the_home_is_kept_for_its_therapist_until_a_session_is_logged(as_ana, ana):
    record = ClientFactory(primary_therapist=ana, legal_first_name="Fresh")
    first, _ = visit(as_ana, HOME)
    kept, _ = visit(as_ana, HOME)
    assert kept < first
    assert as_ana.get(HOME).context["counts"]["first_session"] == 1

    TherapySession.objects.create(client=record, therapist=ana, date=record.intake_date)
    assert as_ana.get(HOME).context["counts"]["first_session"] == 0


def test_the_record_page_is_kept_per_reader_and_redrawn_after_a_change(client, ana, dee):
    record = ClientFactory(primary_therapist=ana, preferred_name="Robbie")
    url = record.get_absolute_url()
    client.force_login(ana)
    first, page = visit(client, url)
    kept, page_kept = visit(client, url)
    assert kept < first
    assert page_kept.count("Robbie") == page.count("Robbie") >= 1
    assert "exports-heading" in page_kept  # drawn every time, outside the kept panels

    record.preferred_name = "Bobbie"
    record.save()
    _, page = visit(client, url)
    assert "Bobbie" in page and "Robbie" not in page

    # The clinic admin, who may not read clinical notes, gets panels drawn for them.
    client.force_login(dee)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["clinical"] is False
    assert "exports-heading" not in response.content.decode()


def test_a_new_session_draws_the_record_page_afresh(client, ana):
    # The kept panels carry the session's CSRF token in their forms.
    record = ClientFactory(primary_therapist=ana)
    url = record.get_absolute_url()
    client.force_login(ana)
    first, _ = visit(client, url)
    client.logout()
    client.force_login(ana)
    again, _ = visit(client, url)
    assert again == first


def test_the_map_page_reads_the_map_once_until_a_figure_changes(as_ana, ana):
    rmap = RelationshipMapFactory(client=ClientFactory(primary_therapist=ana))
    aunt = Figure.objects.create(map=rmap, role="other", label="Aunt Quill", x=200, y=120)
    url = rmap.get_absolute_url()
    first, page = visit(as_ana, url)
    kept, _ = visit(as_ana, url)
    assert kept < first
    assert "Aunt Quill" in page

    aunt.label = "Aunt Wren"
    aunt.save()
    _, page = visit(as_ana, url)
    assert "Aunt Wren" in page and "Aunt Quill" not in page


class CountingReads:
    """The shared cache, counting reads of the change token."""

    def __init__(self, real):
        self.real, self.reads = real, 0

    def get(self, key, *args, **kwargs):
        self.reads += key == freshness.CHANGED_KEY
        return self.real.get(key, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_request_reads_the_token_once_and_sees_its_own_change(db, monkeypatch):
    freshness.token()  # there is one already
    shared = CountingReads(freshness.cache)
    monkeypatch.setattr(freshness, "cache", shared)
    freshness.request_started()
    try:
        first = freshness.token()
        assert freshness.token() == first
        assert shared.reads == 1
        freshness.records_changed()
        assert freshness.token() != first
    finally:
        freshness.request_finished()
    freshness.token()
    freshness.token()
    assert shared.reads == 3  # outside a request, every call asks the shared cache


def test_a_visit_reads_the_token_once(as_ana, monkeypatch):
    shared = CountingReads(freshness.cache)
    monkeypatch.setattr(freshness, "cache", shared)
    visit(as_ana, HOME)
    assert shared.reads == 1


def test_an_appointment_booked_for_today_shows_on_the_home_at_once(as_ana, ana):
    record = ClientFactory(primary_therapist=ana)
    assert as_ana.get(HOME).context["today_appointments"] == []
    soon = timezone.localtime() + dt.timedelta(minutes=5)
    if soon.date() != timezone.localdate():  # just before midnight: earlier today instead
        soon -= dt.timedelta(minutes=30)
    booked = AppointmentFactory(client=record, starts_at=soon)
    assert [a.pk for a in as_ana.get(HOME).context["today_appointments"]] == [booked.pk]


def test_the_record_page_shows_an_export_failing_in_the_worker(client, ana):
    # The worker marks a failure with update(), which sends no signal: it renews by hand.
    record = ClientFactory(primary_therapist=ana)
    job = ExportJobFactory(client=record)
    client.force_login(ana)
    url = record.get_absolute_url()
    _, page = visit(client, url)
    assert "export-state-queued" in page

    export_fail(job.pk, "The document could not be prepared.")
    _, page = visit(client, url)
    assert "export-state-failed" in page and "export-state-queued" not in page


def test_the_session_list_is_kept_until_a_session_is_logged(as_ana, ana):
    record = ClientFactory(primary_therapist=ana)
    url = reverse("clients:session_list", args=[record.pk])
    first, page = visit(as_ana, url)
    kept, _ = visit(as_ana, url)
    assert kept < first
    assert "No sessions logged yet" in page

    TherapySession.objects.create(client=record, therapist=ana, date=record.intake_date)
    _, page = visit(as_ana, url)
    assert "No sessions logged yet" not in page
    assert as_ana.get(url).context["page"].paginator.count == 1
