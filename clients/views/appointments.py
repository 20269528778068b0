"""The schedule: week and day views, booking, moving, cancelling and marking appointments."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attachment_app.audit import audit
from attachment_app.dates import format_date, format_datetime
from attachment_app.models import AuditEvent
from clients.access import (
    can_see_clinical,
    clinicians_for_booking,
    may_unmark_appointment,
    with_appointment,
)
from clients.forms.appointments import (
    AppointmentForm,
    CancelForm,
    MoveForm,
    RoomForm,
    RoomToggleForm,
    UnmarkForm,
)
from clients.forms.common import add_service_errors
from clients.models import Appointment, CalendarFeed
from clients.selectors import appointments as schedule
from clients.services import appointments as services
from clients.services import calendar_feed as feed


def _may_book(user) -> bool:
    return bool(user.clinic_id and (user.is_therapist or user.is_clinic_admin))


def _day_param(request: HttpRequest, name: str) -> dt.date:
    """A date from the query string; anything else is today (never an error page)."""
    try:
        day = dt.date.fromisoformat(request.GET.get(name, "")[:10])
    except ValueError:
        return timezone.localdate()
    return day if 1900 <= day.year <= 2200 else timezone.localdate()


def _who(request: HttpRequest) -> str:
    user = request.user
    who = request.GET.get("who", "")[:20]
    if not user.is_clinic_admin:
        return "me"
    if who in (schedule.WHO_ALL, schedule.WHO_ROOMS) or who.isdigit():
        return who
    return "me" if user.is_therapist else schedule.WHO_ALL


@require_GET
def week(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _may_book(user):
        raise PermissionDenied
    monday = schedule.monday_of(_day_param(request, "week"))
    page = schedule.week_page(
        user, monday=monday, who=_who(request), as_list=request.GET.get("view") == "list"
    )
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        summary=f"Schedule: week of {monday.isoformat()}",
    )
    return render(request, "clients/appointments/week.html", page)


@require_GET
def day(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _may_book(user):
        raise PermissionDenied
    the_day = _day_param(request, "day")
    who = _who(request)
    clinician = schedule.clinician_asked(user, who)
    rows = schedule.day_appointments(user, day=the_day, clinician=clinician)
    schedule.unsigned_for_appointments(rows)
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        summary=f"Schedule: day {the_day.isoformat()}",
    )
    return render(
        request,
        "clients/appointments/day.html",
        {
            "day": the_day,
            "appointments": rows,
            "clinician": clinician,
            "who": who if who.isdigit() else "",
            "previous_day": the_day - dt.timedelta(days=1),
            "next_day": the_day + dt.timedelta(days=1),
            "today": timezone.localdate(),
            "clinicians": list(clinicians_for_booking(user).order_by("full_name", "pk"))
            if user.is_clinic_admin
            else [],
        },
    )


def _book_initial(request: HttpRequest) -> dict:
    user = request.user
    initial = {"date": _day_param(request, "date"), "length_minutes": 50}
    if user.is_therapist:
        initial["clinician"] = user.pk
    client_id = request.GET.get("client", "")[:36]
    if client_id:
        initial["client"] = client_id
    return initial


@require_http_methods(["GET", "POST"])
def appointment_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _may_book(user):
        raise PermissionDenied
    if request.method == "GET":
        form = AppointmentForm(user=user, initial=_book_initial(request))
        return render(request, "clients/appointments/form.html", {"form": form})
    form = AppointmentForm(request.POST, user=user)
    if form.is_valid():
        try:
            booked = _book(request, form.booking())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"Booked: {format_datetime(booked.starts_at)}.")
            return redirect(_week_url(booked))
    return render(request, "clients/appointments/form.html", {"form": form}, status=400)


def _book(request: HttpRequest, booking: dict) -> Appointment:
    """One appointment, or a series (its first appointment returned); audited by the service."""
    if "frequency" not in booking:
        return services.appointment_book(**booking, by=request.user, request=request)
    series = services.appointment_series_book(**booking, by=request.user, request=request)
    return series.appointments.order_by("starts_at").first()


def _week_url(appointment: Appointment) -> str:
    day = timezone.localtime(appointment.starts_at).date()
    return f"{reverse('clients:schedule_week')}?week={schedule.monday_of(day).isoformat()}"


@with_appointment
@require_GET
def appointment_detail(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=appointment.client_id,
        obj=appointment,
        summary="Appointment",
    )
    schedule.unsigned_for_appointments([appointment])
    return render(
        request,
        "clients/appointments/detail.html",
        {
            "appointment": appointment,
            "client": appointment.client,
            "clinical": can_see_clinical(request.user, appointment.client),
            "now": timezone.now(),
            "week_url": _week_url(appointment),
            "may_unmark": appointment.status in services.UNMARKABLE
            and may_unmark_appointment(request.user, appointment),
        },
    )


@with_appointment
@require_http_methods(["GET", "POST"])
def appointment_move(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    if appointment.status != Appointment.Status.SCHEDULED:
        messages.info(request, "Only a scheduled appointment can be moved.")
        return redirect(appointment)
    data = request.POST if request.method == "POST" else None
    form = MoveForm(data, user=request.user, appointment=appointment)
    if request.method == "GET":
        audit(
            request=request,
            action=AuditEvent.Action.VIEW,
            client_id=appointment.client_id,
            obj=appointment,
            summary="Appointment move form",
        )
        return _render_change(request, "move", appointment, form)
    if form.is_valid():
        try:
            moved = services.appointment_move(
                appointment=appointment, **form.move(), by=request.user, request=request
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"Moved to {format_datetime(moved.starts_at)}.")
            return redirect(_week_url(moved))
    return _render_change(request, "move", appointment, form, status=400)


def _render_change(request, what, appointment, form, status=200) -> HttpResponse:
    return render(
        request,
        f"clients/appointments/{what}.html",
        {"appointment": appointment, "client": appointment.client, "form": form},
        status=status,
    )


@with_appointment
@require_http_methods(["GET", "POST"])
def appointment_cancel(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    if appointment.status != Appointment.Status.SCHEDULED:
        messages.info(request, "Only a scheduled appointment can be cancelled.")
        return redirect(appointment)
    data = request.POST if request.method == "POST" else None
    form = CancelForm(data, appointment=appointment)
    if request.method == "GET":
        audit(
            request=request,
            action=AuditEvent.Action.VIEW,
            client_id=appointment.client_id,
            obj=appointment,
            summary="Appointment cancel form",
        )
        return _render_change(request, "cancel", appointment, form)
    if form.is_valid():
        try:
            rows = services.appointment_cancel(
                appointment=appointment, **form.cancellation(), user=request.user, request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            text = f"Cancelled: {rows[0].get_status_display().lower()}"
            if len(rows) > 1:
                text += f", with the {len(rows) - 1} following"
            messages.success(request, f"{text}.")
            return redirect(_week_url(appointment))
    return _render_change(request, "cancel", appointment, form, status=400)


@with_appointment
@require_POST
def appointment_mark(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    """Attended opens the session log for it (prefilled), when the note is the user's to
    write; no-show is recorded and counted."""
    status = request.POST.get("status", "")[:20]
    try:
        marked = services.appointment_mark(
            appointment=appointment, status=status, user=request.user, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(appointment)
    writes_note = (
        marked.status == Appointment.Status.ATTENDED
        and marked.session_id is None
        and marked.clinician_id == request.user.pk
        and can_see_clinical(request.user, marked.client)
    )
    if writes_note:
        messages.success(request, "Marked attended. The session log is open for its note.")
        url = reverse("clients:session_new", args=[marked.client_id])
        return redirect(f"{url}?appointment={marked.pk}")
    messages.success(
        request,
        f"{format_date(marked.starts_at)}: marked {marked.get_status_display().lower()}.",
    )
    return redirect(marked)


@with_appointment
@require_http_methods(["GET", "POST"])
def appointment_unmark(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    """Set a wrong mark (attended, no-show, late cancellation) back to scheduled."""
    if not may_unmark_appointment(request.user, appointment):
        raise PermissionDenied
    if appointment.status not in services.UNMARKABLE:
        messages.info(request, "This appointment is not marked.")
        return redirect(appointment)
    form = UnmarkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_unmark(
                appointment=appointment, **form.cleaned_data, by=request.user, request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Set back to scheduled.")
            return redirect(appointment)
    status = 400 if request.method == "POST" else 200
    return _render_change(request, "unmark", appointment, form, status=status)


@require_http_methods(["GET", "POST"])
def rooms(request: HttpRequest) -> HttpResponse:
    """The clinic's rooms: add one, take one out of use or bring it back (clinic admins)."""
    user = request.user
    if not (user.clinic_id and user.is_clinic_admin):
        raise PermissionDenied
    form, status = RoomForm(), 200
    if request.method == "POST" and "room" in request.POST:
        toggle = RoomToggleForm(request.POST, user=user)
        if toggle.is_valid():
            room = toggle.cleaned_data["room"]
            services.room_set_active(room=room, active=not room.is_active, request=request)
            state = "back in use" if room.is_active else "out of use"
            messages.success(request, f"{room.name} is {state}.")
            return redirect("clients:rooms")
        status = 400
    elif request.method == "POST":
        form = RoomForm(request.POST)
        if form.is_valid():
            try:
                room = services.room_add(
                    clinic=user.clinic, name=form.cleaned_data["name"], request=request
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{room.name} added.")
                return redirect("clients:rooms")
        status = 400
    context = {"rooms": schedule.room_list(user), "form": form}
    return render(request, "clients/appointments/rooms.html", context, status=status)


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed a calendar app subscribes to: no session, the secret link alone."""
    owner = feed.feed_owner(token)
    if owner is None or not owner.is_therapist:
        raise Http404
    audit(
        request=request,
        actor=owner,
        action=AuditEvent.Action.VIEW,
        summary="Calendar feed read",
        clinic_id=owner.clinic_id,
    )
    response = HttpResponse(
        feed.calendar_feed_document(user=owner), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="appointments.ics"'
    return response


@require_http_methods(["GET", "POST"])
def calendar_link(request: HttpRequest) -> HttpResponse:
    """Make, remake or turn off one's own feed link; the link is shown once, when made."""
    user = request.user
    if not (user.clinic_id and user.is_therapist):
        raise PermissionDenied
    link = ""
    if request.method == "POST":
        if request.POST.get("action") == "off":
            feed.calendar_feed_revoke(user=user)
            messages.success(request, "The calendar link is turned off.")
            audit(request=request, action=AuditEvent.Action.CHANGE, summary="Calendar feed off")
            return redirect("clients:calendar_link")
        token = feed.calendar_feed_renew(user=user)
        audit(request=request, action=AuditEvent.Action.CHANGE, summary="Calendar feed link made")
        link = request.build_absolute_uri(reverse("clients:calendar_feed", args=[token]))
    return render(
        request,
        "clients/appointments/calendar_link.html",
        {"link": link, "has_feed": CalendarFeed.objects.filter(user=user).exists()},
    )
