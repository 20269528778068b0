"""Retention of closed records: the clinic's report, the legal hold, and destruction by
two people (a clinic admin asks, a second admin or the client's clinician confirms)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from attachment_app.permissions import clinic_admin_required
from clients.access import with_client
from clients.forms.common import add_service_errors
from clients.forms.retention import DestructionConfirmForm, DestructionRequestForm, LegalHoldForm
from clients.models import Client
from clients.selectors.retention import retention_report
from clients.services.retention import (
    active_legal_hold,
    legal_hold_lift,
    legal_hold_set,
    may_confirm_destruction,
    open_destruction_request,
    record_destruction_confirm,
    record_destruction_date,
    record_destruction_request,
    record_destruction_withdraw,
)


def _admin_only(request: HttpRequest, client: Client) -> None:
    if not (request.user.is_clinic_admin and request.user.clinic_id == client.clinic_id):
        raise PermissionDenied


@clinic_admin_required
@require_GET
def retention_report_view(request: HttpRequest) -> HttpResponse:
    audit(request=request, action=AuditEvent.Action.VIEW, summary="Record retention report")
    context = retention_report(user=request.user)
    return render(request, "clients/retention_report.html", context)


def _hold_page(request: HttpRequest, client: Client, *, lifting: bool) -> HttpResponse:
    """Set or lift the hold: the same form, the reason required both ways."""
    _admin_only(request, client)
    hold = active_legal_hold(client)
    if bool(hold) != lifting:
        messages.info(request, "A hold is set." if hold else "No hold is set.")
        return redirect(client)
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        change = legal_hold_lift if lifting else legal_hold_set
        try:
            reason = form.cleaned_data["reason"]
            change(client=client, by=request.user, reason=reason, request=request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Legal hold lifted." if lifting else "Legal hold set.")
            return redirect(client)
    context = {"client": client, "form": form, "hold": hold, "lifting": lifting}
    status = 400 if form.errors else 200
    return render(request, "clients/legal_hold.html", context, status=status)


@with_client(care=False, while_discharged=True)
@require_http_methods(["GET", "POST"])
def legal_hold_set_view(request: HttpRequest, client: Client) -> HttpResponse:
    return _hold_page(request, client, lifting=False)


@with_client(care=False, while_discharged=True)
@require_http_methods(["GET", "POST"])
def legal_hold_lift_view(request: HttpRequest, client: Client) -> HttpResponse:
    return _hold_page(request, client, lifting=True)


@with_client(care=False, while_discharged=True)
@require_http_methods(["GET", "POST"])
def destruction_request_view(request: HttpRequest, client: Client) -> HttpResponse:
    _admin_only(request, client)
    form = DestructionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_destruction_request(
                client=client, by=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Destruction requested: a second person confirms it.")
            return redirect(client)
    context = {
        "client": client,
        "form": form,
        "due": record_destruction_date(client),
        "hold": active_legal_hold(client),
        "pending": open_destruction_request(client),
    }
    status = 400 if form.errors else 200
    return render(request, "clients/destruction_request.html", context, status=status)


@with_client(care=False, while_discharged=True)
@require_http_methods(["GET", "POST"])
def destruction_confirm_view(request: HttpRequest, client: Client) -> HttpResponse:
    pending = open_destruction_request(client)
    if pending is None:
        messages.info(request, "No destruction of this record is waiting for confirmation.")
        return redirect(client)
    if not may_confirm_destruction(request.user, pending):
        raise PermissionDenied
    form = DestructionConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_destruction_confirm(destruction=pending, by=request.user, request=request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The record's clinical content is destroyed.")
            admin = request.user.is_clinic_admin
            return redirect(reverse("clients:retention_report" if admin else "clients:home"))
    context = {"client": client, "form": form, "pending": pending}
    status = 400 if form.errors else 200
    return render(request, "clients/destruction_confirm.html", context, status=status)


@with_client(care=False, while_discharged=True)
@require_POST
def destruction_withdraw_view(request: HttpRequest, client: Client) -> HttpResponse:
    _admin_only(request, client)
    pending = open_destruction_request(client)
    if pending is not None:
        record_destruction_withdraw(destruction=pending, by=request.user, request=request)
        messages.success(request, "The destruction request is withdrawn.")
    return redirect(client)
