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
