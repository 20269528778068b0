"""The therapist's home: my clients, what needs me, recent activity."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from attachment_app import freshness
from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from clients.models import Appointment
from clients.selectors.appointments import today_for, unsigned_for_appointments
from clients.selectors.caseload import attention_for
from clients.selectors.home import SHOW_NEEDS, my_home, my_listed_clients

PAGE_SIZE = 25
SHOW = {"current": "Active and paused", "discharged": "Discharged", "all": "All"}


def _today(user: User) -> list[Appointment]:
    appointments = today_for(user)
    unsigned_for_appointments(appointments)  # whether each note is written and signed
    return appointments


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_therapist:
        if user.is_clinic_admin:
            return redirect("clients:caseload")
        return render(request, "clients/home_none.html")
    attention = attention_for(user)
    show = request.GET.get("show", "current")
    show = show if show in SHOW or show in SHOW_NEEDS else "current"
    mine, panels = my_home(user, attention)
    listed = my_listed_clients(user, mine=mine, attention=attention, show=show)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    # Kept like the panels: an appointment's start passing is within the minute's limit.
    today = freshness.kept(f"home-today:{user.pk}:{attention.today}", lambda: _today(user))
    audit(
        actor=user,
        action=AuditEvent.Action.VIEW,
        request=request,
        summary=f"Home: my clients, page {page.number}",
    )
    context = {
        "page": page,
        "show": show,
        "show_choices": SHOW,
        "showing_needs": SHOW_NEEDS.get(show, ""),
        "today_appointments": today,
        "records_token": freshness.token(),
        "kept_seconds": freshness.KEPT_SECONDS,
        **panels,
    }
    return render(request, "clients/home.html", context)
