from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from attachment_app.audit import audit_record
from attachment_app.models import AuditEvent
from clients.access import (
    active_grant,
    can_see_clinical,
    clients_visible_to,
    may_break_the_glass,
    with_client,
)
from clients.models import Client


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    clients = clients_visible_to(request.user).select_related("primary_therapist")[:50]
    return render(request, "clients/home.html", {"clients": clients})


@with_client(care=False)
@require_GET
def client_detail(request: HttpRequest, client: Client) -> HttpResponse:
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        request=request,
        client_id=client.pk,
        obj=client,
        summary="Client record",
    )
    clinical = can_see_clinical(request.user, client)
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "clinical": clinical,
            "emergency_grant": active_grant(request.user, client),
            "may_break_the_glass": may_break_the_glass(request.user) and not clinical,
        },
    )
