"""The clinic settings page: clinic admins change their clinic's rules, each change audited."""

import pytest
from allauth.mfa.totp.internal import auth as totp_auth
from django.urls import reverse

from attachment_app.clinic_settings.forms import FIELDS, RANGES
from attachment_app.models import AuditEvent, Clinic

pytestmark = pytest.mark.django_db
URL = reverse("clinic_settings")


def current_values(clinic: Clinic) -> dict:
    """The form's data as the page would post it unchanged."""
    data = {}
    for name in FIELDS:
        value = getattr(clinic, name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    return data


@pytest.fixture
def as_dee(client, dee):
    client.force_login(dee)
    return client


def test_the_admin_sees_every_setting_in_sections_with_its_range(as_dee):
    page = as_dee.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    for name in FIELDS:
        assert f'name="{name}"' in html, name
    for title in ["Signing in", "Notes and plans", "Dates and times", "Keeping records"]:
        assert title in html
    for allowed in RANGES.values():
        assert allowed.text in html
    assert 'min="5" max="60"' in html  # the idle timeout's range, in the input too


def test_the_admins_navigation_links_the_settings(as_dee):
    html = as_dee.get(reverse("clients:caseload")).content.decode()
    assert f'href="{URL}"' in html


def test_a_change_is_saved_takes_effect_and_is_audited_with_old_and_new(as_dee, clinic, dee):
    data = current_values(clinic) | {"idle_timeout_minutes": 30, "date_format": "Y-m-d"}
    response = as_dee.post(URL, data)
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.idle_timeout_minutes == 30 and clinic.date_format == "Y-m-d"
    summaries = set(
        AuditEvent.objects.filter(
            action=AuditEvent.Action.CHANGE, object_id=str(clinic.pk)
        ).values_list("summary", flat=True)
    )
    assert summaries == {
        "Clinic setting “Sign out after this long without activity (minutes)”: 15 → 30",
        "Clinic setting “Date format”: 2 Dec 2026 → 2026-12-02",
    }
    # At once: the next page is drawn with the new idle timeout and the new date format.
    html = as_dee.get(reverse("clients:caseload")).content.decode()
    assert 'data-idle-timeout-minutes="30"' in html


def test_saving_unchanged_settings_writes_no_audit_row(as_dee, clinic):
    before = AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE).count()
    as_dee.post(URL, current_values(clinic))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE).count() == before


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("idle_timeout_minutes", "0"),
        ("idle_timeout_minutes", "61"),
        ("idle_timeout_minutes", "ten"),
        ("late_entry_hours", "-3"),
        ("plan_review_interval_days", "7"),
        ("retention_years_adult", "0"),
        ("retention_years_minor", "99999999999999999999"),
        ("export_retention_days", ""),
        ("future_entry_grace_hours", "49"),
        ("no_session_alert_days", "366"),
    ],
)
def test_a_number_out_of_range_is_refused_beside_its_field_and_nothing_typed_is_lost(
    as_dee, clinic, field, bad
):
    data = current_values(clinic) | {field: bad, "crisis_line": "Call 988, any time"}
    response = as_dee.post(URL, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [f"Choose {RANGES[field].text}."]
    html = response.content.decode()
    assert f"Choose {RANGES[field].text}." in html
    assert "Call 988, any time" in html  # what was typed elsewhere stays on the page
    clinic.refresh_from_db()
    assert clinic.crisis_line == ""  # and nothing was saved


def test_an_unknown_time_zone_is_refused(as_dee, clinic):
    response = as_dee.post(URL, current_values(clinic) | {"time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors


def test_an_overlong_crisis_line_is_refused(as_dee, clinic):
    response = as_dee.post(URL, current_values(clinic) | {"crisis_line": "x" * 501})
    assert "crisis_line" in response.context["form"].errors


@pytest.mark.parametrize("who", ["ana", "ben"])
def test_a_therapist_may_not_open_the_settings(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"idle_timeout_minutes": 60}).status_code == 403


def test_an_admin_changes_only_their_own_clinic(client, olivia, clinic, other_clinic):
    client.force_login(olivia)
    data = current_values(other_clinic) | {"idle_timeout_minutes": 45}
    assert client.post(URL, data).status_code == 302
    clinic.refresh_from_db()
    other_clinic.refresh_from_db()
    assert other_clinic.idle_timeout_minutes == 45 and clinic.idle_timeout_minutes == 15


def test_passkeys_only_means_an_authenticator_app_does_not_count(client, clinic, ana):
    clinic.mfa_required = True
    clinic.mfa_methods = "webauthn"
    clinic.save()
    totp_auth.TOTP.activate(ana, totp_auth.generate_totp_secret())
    client.force_login(ana)
    response = client.get(reverse("clients:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_add_webauthn")


def test_the_clinic_date_format_reaches_the_pages_at_once(as_dee, clinic, client_record):
    import datetime as dt

    client_record.intake_date = dt.date(2026, 3, 4)
    client_record.save()
    assert b"4 Mar 2026" in as_dee.get(reverse("clients:caseload")).content
    as_dee.post(URL, current_values(clinic) | {"date_format": "m/d/Y"})
    assert b"03/04/2026" in as_dee.get(reverse("clients:caseload")).content


def test_a_new_plan_is_due_for_review_after_the_clinics_interval(as_ana, clinic, client_record):
    import datetime as dt

    from django.utils import timezone

    from clients.models import PlanRevision

    clinic.plan_review_interval_days = 30
    clinic.save()
    as_ana.post(reverse("clients:plan_start", args=[client_record.pk]))
    revision = PlanRevision.objects.get(plan__client=client_record)
    assert revision.review_date == timezone.localdate() + dt.timedelta(days=30)


def test_the_late_cancellation_window_is_a_choice_on_the_settings_page(as_dee, clinic):
    data = current_values(clinic) | {"late_cancel_window_hours": 48}
    assert as_dee.post(URL, data).status_code == 302
    clinic.refresh_from_db()
    assert clinic.late_cancel_window_hours == 48
    assert AuditEvent.objects.filter(
        summary__startswith="Clinic setting “A client's cancellation closer than this is late”"
    ).exists()
    refused = as_dee.post(URL, current_values(clinic) | {"late_cancel_window_hours": 36})
    assert "late_cancel_window_hours" in refused.context["form"].errors
    clinic.refresh_from_db()
    assert clinic.late_cancel_window_hours == 48
