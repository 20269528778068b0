"""Appointment reminders by e-mail to clients who agreed to them; the clinicians'
daily digest of unsigned notes.

A reminder says when and where, and nothing clinical: no clinician's notes, no kind of
appointment, no reason. It goes out once per occurrence: a unique marker row is written
in the same transaction as the sending, so a second beat process or a retried task
finds the marker (or waits on it and then finds it) and sends nothing.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Min
from django.utils import timezone

from attachment_app.dates import clinic_dates, format_date, format_datetime, format_weekday
from attachment_app.models import User
from clients.models import (
    Appointment,
    AppointmentReminder,
    TherapySession,
    UnsignedNotesDigest,
)

logger = logging.getLogger(__name__)


def reminder_hours() -> int:
    return getattr(settings, "APPOINTMENT_REMINDER_HOURS", 24)


def due_reminders(*, now: dt.datetime):
    """Scheduled appointments starting within the reminder window, of clients who opted
    in and have an address, with no reminder sent yet."""
    return (
        Appointment.objects.filter(
            status=Appointment.Status.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + dt.timedelta(hours=reminder_hours()),
            client__appointment_reminders=True,
            reminder__isnull=True,
        )
        .exclude(client__email="")
        .select_related("client__clinic", "room")
        .order_by("starts_at")
    )


def reminder_text(appointment: Appointment) -> tuple[str, str]:
    clinic = appointment.client.clinic
    with clinic_dates(clinic):
        when = f"{format_weekday(appointment.starts_at)} {format_datetime(appointment.starts_at)}"
    where = "by video" if appointment.is_video else f"at {clinic.name}, {appointment.room.name}"
    body = (
        f"Hello,\n\nThis is a reminder of your appointment on {when} ({clinic.name} time), "
        f"{where}.\n\nIf you cannot come, please let {clinic.name} know as soon as you can.\n\n"
        "You receive this because you asked for appointment reminders; the clinic can stop "
        "them at any time.\n"
    )
    return f"Appointment reminder: {when}", body


def appointment_reminder_send(*, appointment_id) -> bool:
    """Send one reminder unless it was sent already. True when this call sent it."""
    try:
        with transaction.atomic():
            appointment = (
                Appointment.objects.select_for_update(of=("self",))
                .select_related("client__clinic", "room")
                .get(pk=appointment_id)
            )
            if appointment.status != Appointment.Status.SCHEDULED or not (
                appointment.client.appointment_reminders and appointment.client.email
            ):
                return False
            AppointmentReminder.objects.create(appointment=appointment)
            subject, body = reminder_text(appointment)
            # Inside the transaction: if sending fails the marker goes too, and the next
            # run tries again; once it is sent, the committed marker keeps it from twice.
            send_mail(subject, body, None, [appointment.client.email])
    except IntegrityError:
        return False  # another process sent it
    except Appointment.DoesNotExist:
        return False
    return True


def appointment_reminders_send(*, now: dt.datetime | None = None) -> int:
    """The periodic task's work: every due reminder, each in its own transaction."""
    sent = 0
    for appointment_id in due_reminders(now=now or timezone.now()).values_list("pk", flat=True):
        try:
            sent += appointment_reminder_send(appointment_id=appointment_id)
        except OSError:
            logger.warning("appointment reminder %s could not be sent", appointment_id)
    return sent


def unsigned_digest_send(*, today: dt.date | None = None) -> int:
    """Each clinician with draft notes gets one e-mail a day: how many, and since when.
    No client is named. A unique (clinician, day) marker keeps it to once a day."""
    today = today or timezone.localdate()
    drafts = (
        TherapySession.objects.filter(status=TherapySession.Status.DRAFT, therapist__is_active=True)
        .exclude(therapist__email="")
        .values("therapist_id")
        .annotate(n=Count("pk"), oldest=Min("date"))
        .order_by("therapist_id")
    )
    sent = 0
    for row in drafts:
        try:
            with transaction.atomic():
                UnsignedNotesDigest.objects.create(user_id=row["therapist_id"], day=today)
                therapist = User.objects.select_related("clinic").get(pk=row["therapist_id"])
                with clinic_dates(therapist.clinic):
                    oldest = format_date(row["oldest"])
                n = row["n"]
                send_mail(
                    f"{n} unsigned note{'s' if n != 1 else ''}",
                    f"You have {n} unsigned session note{'s' if n != 1 else ''}, the oldest "
                    f"from {oldest}.\n\nSign in and open Unsigned notes to finish and sign them. "
                    "For privacy this message names no client.\n",
                    None,
                    [therapist.email],
                )
        except IntegrityError:
            continue  # already sent today
        except OSError:
            logger.warning(
                "unsigned-notes digest to user %s could not be sent", row["therapist_id"]
            )
            continue
        sent += 1
    return sent
