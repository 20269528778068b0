import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from attachment_app.models import AuditEvent, User
from clients.models import TherapySession, TreatmentPlan
from clients.services.caseload import client_assign
from tests.factories import ClientFactory

HOME = reverse("clients:home")


def test_a_clinic_admin_who_is_not_a_therapist_lands_on_the_caseload(client, dee):
    client.force_login(dee)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:caseload")


def test_someone_with_both_roles_gets_the_therapist_home(client, clinic):
    both = User.objects.create_user(
        email="both@test.example", clinic=clinic, is_therapist=True, is_clinic_admin=True
    )
    client.force_login(both)
    response = client.get(HOME)
    assert response.status_code == 200
    assert b'href="/caseload/"' in response.content


def test_the_home_shows_only_my_current_clients(as_ana, ana, ben):
    ClientFactory(primary_therapist=ana, legal_first_name="Current")
    ClientFactory(primary_therapist=ana, legal_first_name="Gone", status="discharged")
    ClientFactory(primary_therapist=ben, legal_first_name="Theirs")
    names = [c.legal_first_name for c in as_ana.get(HOME).context["page"].object_list]
    assert names == ["Current"]
    names = [c.legal_first_name for c in as_ana.get(HOME + "?show=discharged").context["page"]]
    assert names == ["Gone"]


def test_what_needs_me(as_ana, ana, ben, dee):
    today = timezone.localdate()
    noted = ClientFactory(primary_therapist=ana, legal_first_name="Noted")
    TherapySession.objects.create(client=noted, therapist=ana, date=today, status="draft")
    reviewed = ClientFactory(primary_therapist=ana, legal_first_name="Reviewed")
    TherapySession.objects.create(client=reviewed, therapist=ana, date=today, status="signed")
    TreatmentPlan.objects.create(client=reviewed, review_date=today - dt.timedelta(days=1))
    new = ClientFactory(primary_therapist=None, status="waitlist", clinic=ana.clinic)
    client_assign(client=new, therapist=ana, by=dee, reason="")
    theirs = ClientFactory(primary_therapist=ben)
    TherapySession.objects.create(client=theirs, therapist=ben, date=today, status="draft")

    context = as_ana.get(HOME).context
    assert [s.client for s in context["notes"]] == [noted]
    assert context["notes_count"] == 1
    assert context["needs"].reviews == [reviewed]
    assert new in context["needs"].first_session
    assert reviewed not in context["needs"].first_session
    texts = [(a.client_name, a.client_url, a.text) for a in context["activity"]]
    assert (new.display_name, new.get_absolute_url(), "Assigned to you") in texts
    assert all(a.client_name != theirs.display_name for a in context["activity"])


def test_the_home_is_audited_once(as_ana, ana, client_record):
    as_ana.get(HOME)
    assert AuditEvent.objects.filter(actor=ana).count() == 1


@pytest.mark.django_db
def test_someone_without_a_role_sees_a_plain_welcome(client, clinic):
    nobody = User.objects.create_user(email="n@test.example", clinic=clinic)
    client.force_login(nobody)
    response = client.get(HOME)
    assert response.status_code == 200
    assert b"no caseload" in response.content


def _attended(client_record, *, ended_hours_ago: float, status="attended", session=None):
    from tests.factories_appointments import AppointmentFactory

    starts = timezone.now().replace(microsecond=0) - dt.timedelta(hours=ended_hours_ago, minutes=50)
    return AppointmentFactory(
        client=client_record, starts_at=starts, status=status, session=session
    )


def test_notes_overdue_past_the_late_entry_window_are_listed_oldest_first(
    as_ana, ana, ben, clinic, client_record
):
    clinic.late_entry_hours = 24
    clinic.save()
    today = timezone.localdate()
    draft = TherapySession.objects.create(
        client=client_record, therapist=ana, date=today, status="draft"
    )
    signed = TherapySession.objects.create(
        client=client_record, therapist=ana, date=today, status="signed"
    )
    missing = _attended(client_record, ended_hours_ago=72)
    unsigned = _attended(client_record, ended_hours_ago=30, session=draft)
    _attended(client_record, ended_hours_ago=40, session=signed)
    _attended(client_record, ended_hours_ago=20)  # still inside the window
    _attended(client_record, ended_hours_ago=80, status="no_show")
    _attended(ClientFactory(primary_therapist=ben), ended_hours_ago=50)  # Ben's

    response = as_ana.get(HOME)
    assert [a.pk for a in response.context["overdue_notes"]] == [missing.pk, unsigned.pk]
    assert response.context["overdue_count"] == 2
    page = response.content.decode()
    write = reverse("clients:session_new", args=[client_record.pk]) + f"?appointment={missing.pk}"
    sign = reverse("clients:session_edit", args=[client_record.pk, draft.pk])
    assert f'href="{write}"' in page and f'href="{sign}"' in page
    assert "24-hour late-entry window" in page

    clinic.late_entry_hours = 48
    clinic.save()
    assert [a.pk for a in as_ana.get(HOME).context["overdue_notes"]] == [missing.pk]


def test_the_overdue_notes_cost_the_same_queries_for_one_or_twenty(
    as_ana, client_record, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _attended(client_record, ended_hours_ago=200)
    with CaptureQueriesContext(connection) as one:
        assert as_ana.get(HOME).status_code == 200
    for n in range(20):
        _attended(client_record, ended_hours_ago=100 + n * 2)
    with django_assert_num_queries(len(one)):
        response = as_ana.get(HOME)
    assert response.context["overdue_count"] == 21
    assert len(response.context["overdue_notes"]) == 8
    assert 'href="/sessions/unsigned/"' in response.content.decode()
