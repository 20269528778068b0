"""A therapist books a weekly series, moves one occurrence and logs a session from the
calendar, and sets a wrong no-show back to scheduled, in a real browser."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attachment_app.models import AuditEvent
from clients.models import Appointment, TherapySession
from tests.e2e.browser import sign_in
from tests.factories_appointments import AppointmentFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_book_a_series_move_one_and_log_the_session_from_the_calendar(page, ana, client_record):
    sign_in(page, ana)
    first_day = timezone.localdate() - dt.timedelta(days=7)
    page.goto("/appointments/new/")
    page.select_option("#id_client", str(client_record.pk))
    page.fill("#id_date", first_day.isoformat())
    page.fill("#id_time", "09:00")
    page.select_option("#id_repeat", "weekly")
    page.click("button:has-text('Book')")
    expect(page.locator(".alert-success")).to_contain_text("Booked")
    rows = list(Appointment.objects.order_by("starts_at"))
    assert len(rows) >= 12 and all(r.series_id == rows[0].series_id for r in rows)

    # Move the third one only, to the next day at 14:00.
    third = rows[2]
    page.goto(f"/appointments/{third.pk}/move/")
    page.check("input[name=scope][value=this]")
    moved_day = (third.starts_at + dt.timedelta(days=1)).date()
    page.fill("#id_date", moved_day.isoformat())
    page.fill("#id_time", "14:00")
    page.click("button:has-text('Move')")
    expect(page.locator(".alert-success")).to_contain_text("Moved to")
    third.refresh_from_db()
    assert third.starts_at.date() == moved_day and third.starts_at.hour == 14
    assert Appointment.objects.get(pk=rows[3].pk).starts_at == rows[3].starts_at

    # From the day view of the first: attended opens the session log, prefilled.
    page.goto(f"/schedule/day/?day={first_day.isoformat()}")
    page.click("button[name=status][value=attended]")
    expect(page).to_have_url(re.compile(rf"/sessions/new/\?appointment={rows[0].pk}$"))
    expect(page.locator("#id_date")).to_have_value(first_day.isoformat())
    expect(page.locator("#id_start_time")).to_have_value(re.compile(r"^09:00"))
    page.fill("#id_note_data", "Logged from the calendar")
    expect(page.locator("[data-autosave-status]")).to_have_text(
        re.compile(r"^Saved \d\d:\d\d$"), timeout=10_000
    )
    session = TherapySession.objects.get()
    assert Appointment.objects.get(pk=rows[0].pk).session_id == session.pk


@pytest.mark.django_db(transaction=True)
def test_a_wrong_no_show_is_set_back_to_scheduled_and_the_count_follows(page, ana, client_record):
    starts_at = (timezone.now() - dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    appointment = AppointmentFactory(client=client_record, starts_at=starts_at)
    day = starts_at.astimezone(zoneinfo.ZoneInfo(client_record.clinic.time_zone)).date()
    counts = page.get_by_role("region", name="Appointments")
    sign_in(page, ana)
    page.goto(client_record.get_absolute_url())
    expect(counts).to_contain_text("0 no-shows · 0 late cancellations")

    # Marked no-show from the day view, by mistake.
    page.goto(f"/schedule/day/?day={day.isoformat()}")
    page.click("button[name=status][value=no_show]")
    expect(page.locator(".alert-success")).to_contain_text("marked no-show")
    page.goto(client_record.get_absolute_url())
    expect(counts).to_contain_text("1 no-show · 0 late cancellations")

    # Set back, from the appointment: a reason is asked for first.
    page.goto(appointment.get_absolute_url())
    page.click("a:has-text('Set back to scheduled')")
    page.click("button:has-text('Set back to scheduled')")
    expect(page.locator("#id_reason_error")).to_contain_text("This field is required.")
    expect(page.get_by_label("Marked with the wrong status")).to_have_attribute(
        "aria-invalid", "true"
    )
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.NO_SHOW
    page.get_by_label("Marked with the wrong status").check()
    page.click("button:has-text('Set back to scheduled')")
    expect(page.locator(".alert-success")).to_contain_text("Set back to scheduled.")
    expect(page.locator("button[name=status][value=no_show]")).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.SCHEDULED
    event = AuditEvent.objects.filter(summary__startswith="Appointment set back").get()
    assert event.summary.endswith("from no-show: marked with the wrong status")

    page.goto(client_record.get_absolute_url())
    expect(counts).to_contain_text("0 no-shows · 0 late cancellations")
