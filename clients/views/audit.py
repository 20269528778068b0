"""The clinic admin's search of the audit trail: their clinic only, no window limit."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from attachment_app.permissions import clinic_admin_required
from clients.forms.audit import AuditSearchForm
from clients.selectors.audit import audit_events, audit_rows

PAGE_SIZE = 50


@clinic_admin_required
@require_GET
def audit_search(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AuditSearchForm(request.GET or None, user=user)
    events = audit_events(user=user, filters=form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = audit_rows(user=user, events=page)
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
