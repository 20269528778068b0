from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from attachment_app.models import Clinic, User
from clients.models import Client, ClientStatusChange


@pytest.mark.django_db
def test_it_creates_the_demo_people_and_clients():
    out = StringIO()
    call_command("seed_demo", "--password", "a-long-demo-password", "--clients", "12", stdout=out)
    demo = Clinic.objects.get(name="Demo Clinic")
    assert Client.objects.filter(clinic=demo).count() == 12
    olivia = User.objects.get(email="olivia@other.example")
    assert olivia.clinic.name == "Other Clinic"
    assert olivia.is_therapist and olivia.is_clinic_admin
    assert User.objects.get(email="admin@demo.example").is_clinic_admin
    assert "ana@demo.example" in out.getvalue()


@pytest.mark.django_db
def test_a_second_run_does_not_duplicate():
    call_command(
        "seed_demo", "--password", "a-long-demo-password", "--clients", "8", stdout=StringIO()
    )
    call_command(
        "seed_demo", "--password", "a-long-demo-password", "--clients", "8", stdout=StringIO()
    )
    assert Client.objects.count() == 8
    assert User.objects.count() == 6  # 4 staff (Ana supervises Ben), 2 companion clients
    assert Clinic.objects.count() == 2


@pytest.mark.django_db
def test_the_demo_logins_work(client):
    call_command(
        "seed_demo", "--password", "a-long-demo-password", "--clients", "5", stdout=StringIO()
    )
    response = client.post(
        reverse("account_login"),
        {"login": "ana@demo.example", "password": "a-long-demo-password"},
    )
    assert response.status_code == 302
    assert client.get(reverse("clients:home")).status_code == 200


@pytest.mark.django_db
def test_without_a_password_it_prints_a_generated_one(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    out = StringIO()
    call_command("seed_demo", "--clients", "1", stdout=out)
    line = next(li for li in out.getvalue().splitlines() if li.startswith("Password (generated"))
    password = line.rsplit(": ", 1)[1]
    assert User.objects.get(email="ana@demo.example").check_password(password)


@pytest.mark.django_db
def test_it_spreads_clients_over_the_therapists_and_keeps_some_waiting():
    call_command(
        "seed_demo", "--password", "a-long-demo-password", "--clients", "60", stdout=StringIO()
    )
    assert Client.objects.filter(primary_therapist__email="ana@demo.example").exists()
    assert Client.objects.filter(primary_therapist__email="ben@demo.example").exists()
    assert Client.objects.filter(status=Client.Status.WAITLIST, primary_therapist=None).exists()
    # Each client's history starts with a reason that fits where they are.
    discharged = ClientStatusChange.objects.filter(to_status=Client.Status.DISCHARGED)
    assert discharged.exists()
    assert not discharged.filter(reason="Intake").exists()


@pytest.mark.django_db
def test_the_demo_has_fictional_sessions_and_plans_once():
    from clients.models import TherapySession, TreatmentPlan

    def seed():
        call_command(
            "seed_demo", "--password", "a-long-demo-password", "--clients", "40", stdout=StringIO()
        )
        return TherapySession.objects.count(), TreatmentPlan.objects.count()

    first = seed()
    assert seed() == first
    ana_sessions = TherapySession.objects.filter(therapist__email="ana@demo.example")
    assert ana_sessions.filter(status=TherapySession.Status.SIGNED).exists()
    assert ana_sessions.filter(status=TherapySession.Status.DRAFT).exists()
    assert TherapySession.objects.filter(therapist__email="ben@demo.example").exists()
    assert TreatmentPlan.objects.filter(review_date__isnull=False).count() == first[1] > 0
    assert all(s.note_data.startswith("(Demo)") for s in ana_sessions)
    assert any(p.review_overdue for p in TreatmentPlan.objects.all())


@pytest.mark.django_db
def test_the_demo_has_a_supervised_clinician_with_notes_waiting_for_review(client):
    from clients.models import Supervision, TherapySession

    out = StringIO()
    call_command("seed_demo", "--password", "a-long-demo-password", "--clients", "30", stdout=out)
    supervision = Supervision.objects.get(supervisee__email="ben@demo.example")
    assert supervision.supervisor.email == "ana@demo.example" and supervision.cosigns
    waiting = TherapySession.objects.filter(
        therapist=supervision.supervisee, status=TherapySession.Status.PENDING_REVIEW
    )
    assert waiting.count() >= 2
    assert TherapySession.objects.filter(status=TherapySession.Status.RETURNED).count() == 1
    assert "supervised by ana@demo.example" in out.getvalue()
    client.force_login(supervision.supervisor)
    queue = client.get(reverse("clients:review_queue")).content.decode()
    assert all(str(s.pk) in queue for s in waiting)
    # A second run sends nothing more.
    call_command("seed_demo", "--password", "a-long-demo-password", "--clients", "30", stdout=out)
    assert (
        waiting.count()
        == TherapySession.objects.filter(status=TherapySession.Status.PENDING_REVIEW).count()
    )


@pytest.mark.django_db
def test_two_demo_clients_of_ana_have_a_companion_with_shared_items(client):
    from clients.models import ClientAccount
    from exercises.models import CheckIn, CompanionLetter, CompanionPractice, SharedItem

    out = StringIO()
    call_command("seed_demo", "--password", "a-long-demo-password", "--clients", "12", stdout=out)
    accounts = list(ClientAccount.objects.select_related("client", "user"))
    assert len(accounts) == 2
    assert {a.client.primary_therapist.email for a in accounts} == {"ana@demo.example"}
    assert accounts[0].client != accounts[1].client
    for account in accounts:
        assert account.user.email in out.getvalue()
        assert SharedItem.objects.current().filter(client=account.client).exists()
    assert SharedItem.objects.values("kind").distinct().count() == 3
    assert CompanionPractice.objects.exists()
    for account in accounts:
        check_ins = CheckIn.objects.filter(client=account.client)
        assert check_ins.pending().count() == 1
        assert check_ins.filter(completed_at__isnull=False, risk_flagged=False).count() >= 2
    own = CompanionLetter.objects.filter(in_reply_to=None)
    assert own and all(letter.body.startswith("(Demo)") for letter in own)
    signed_in = client.post(
        reverse("account_login"),
        {"login": "companion1@demo.example", "password": "a-long-demo-password"},
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("companion:home")).status_code == 200
    assert client.get(reverse("clients:caseload")).status_code == 404


@pytest.mark.django_db
def test_the_demo_clinic_has_a_fictional_crisis_line_the_companion_shows(client):
    from clients.demo import DEMO_CRISIS_LINE

    call_command(
        "seed_demo", "--password", "a-long-demo-password", "--clients", "12", stdout=StringIO()
    )
    assert Clinic.objects.get(name="Demo Clinic").crisis_line == DEMO_CRISIS_LINE
    assert "fictional" in DEMO_CRISIS_LINE
    robin = User.objects.get(email="companion1@demo.example")
    client.force_login(robin)
    assert "0100 000 000" in client.get(reverse("companion:home")).content.decode()


@pytest.mark.django_db
def test_the_demo_has_pending_release_requests_on_the_clock_once(client):
    from clients.models import ReleaseRequest

    args = ["seed_demo", "--password", "a-long-demo-password", "--clients", "30"]
    call_command(*args, stdout=StringIO())
    pending = ReleaseRequest.objects.open()
    assert pending.filter(requester="third_party", authorization__isnull=False).exists()
    assert any(r.overdue for r in pending)
    call_command(*args, stdout=StringIO())
    assert ReleaseRequest.objects.count() == pending.count()
    client.force_login(User.objects.get(email="admin@demo.example"))
    page = client.get(reverse("clients:caseload")).content.decode()
    assert "past due" in page and "days left" in page


@pytest.mark.django_db
def test_the_demo_has_a_discharged_client_with_a_signed_summary(client):
    from clients.models import DischargeSummary

    out = StringIO()
    call_command("seed_demo", "--password", "a-long-demo-password", "--clients", "30", stdout=out)
    summary = DischargeSummary.objects.select_related("client").get()
    closed = summary.client
    assert closed.status == Client.Status.DISCHARGED
    assert closed.primary_therapist.email == "ana@demo.example"
    assert summary.is_signed and summary.signed_by == closed.primary_therapist
    assert summary.sessions_attended == 5 and summary.first_session_date < summary.discharge_date
    assert summary.recommendations.startswith("(Demo)") and summary.referrals.startswith("(Demo)")
    assert "Distress before sessions" in [m.measure for m in summary.measure_ratings]
    assert closed.sessions.exclude(status="signed").count() == 0
    assert all(s.note_data.startswith("(Demo)") for s in closed.sessions.all())
    assert f"Discharged: {closed.display_name}" in out.getvalue()
    client.force_login(closed.primary_therapist)
    assert "This record is closed" in client.get(closed.get_absolute_url()).content.decode()
    # A second run adds nothing.
    call_command("seed_demo", "--password", "a-long-demo-password", "--clients", "30", stdout=out)
    assert DischargeSummary.objects.count() == 1
