"""The clinic admin's search of the audit trail: their clinic only, no window limit."""

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from attachment_app.permissions import clinic_admin_required
from clients.access import clients_visible_to
from clients.forms.audit import AuditSearchForm
from clients.selectors.caseload import search_by_name

PAGE_SIZE = 50


def _day_start(day: dt.date) -> dt.datetime:
    # The day as the clinic lives it: midnight in its time zone (active for the request).
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@clinic_admin_required
@require_GET
def audit_search(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AuditSearchForm(request.GET or None, user=user)
    events = AuditEvent.objects.filter(clinic_id=user.clinic_id)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["client"]:
            events = events.filter(client_id=data["client"])
        if data["client_name"]:
            matching = search_by_name(clients_visible_to(user), data["client_name"])
            events = events.filter(client_id__in=matching.values("pk"))
        if data["user"]:
            events = events.filter(actor=data["user"])
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["date_from"]:
            events = events.filter(created_at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            events = events.filter(created_at__lt=_day_start(data["date_to"] + dt.timedelta(1)))
    elif form.is_bound:
        events = events.none()
    # People by name, as in the filter above: the actor in the same query.
    events = events.select_related("actor").order_by("-created_at", "-id")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    # Client names for the rows, from the admin's own scope in one query.
    ids = {e.client_id for e in page if e.client_id}
    names = {
        c.pk: c.display_name
        for c in clients_visible_to(user)
        .filter(pk__in=ids)
        .only("legal_first_name", "legal_last_name", "preferred_name")
    }
    rows = [(e, names.get(e.client_id)) for e in page]
    audit(actor=user, action=AuditEvent.Action.VIEW, request=request, summary="Audit trail search")
    return render(
        request,
        "clients/audit_search.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": request.GET.urlencode(),
            "time_zone": timezone.get_current_timezone_name(),
        },
    )
