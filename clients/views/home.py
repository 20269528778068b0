"""The therapist's home: my clients, what needs me, recent activity."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from clients.selectors.appointments import today_for, unsigned_for_appointments
from clients.selectors.caseload import attention_for
from clients.selectors.home import my_caseload, my_clients, my_recent_activity, my_unsigned_notes

PAGE_SIZE = 25
SHOW = {"current": "Active and paused", "discharged": "Discharged", "all": "All"}
# The whole of a "what needs me" list, linked from its first few names.
SHOW_NEEDS = {"first_session": "Waiting for a first session", "no_session": "No recent session"}


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
    mine = my_caseload(user, attention)
    # The current caseload is already in hand; other views page through the database.
    if show in SHOW_NEEDS:
        listed = [c for c in mine.clients if attention.matches(c, show)]
    else:
        listed = mine.clients if show == "current" else my_clients(user, show=show)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    notes, notes_count = my_unsigned_notes(user)
    today = today_for(user)
    unsigned_for_appointments(today)
    audit(
        actor=user,
        action=AuditEvent.Action.VIEW,
        request=request,
        summary=f"Home: my clients, page {page.number}",
    )
    return render(
        request,
        "clients/home.html",
        {
            "page": page,
            "show": show,
            "show_choices": SHOW,
            "showing_needs": SHOW_NEEDS.get(show, ""),
            "counts": mine.counts,
            "notes": notes,
            "notes_count": notes_count,
            "needs": mine,
            "activity": my_recent_activity(user),
            "attention": attention,
            "today_appointments": today,
        },
    )
