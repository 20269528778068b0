"""The client record: view, create, edit, status and assignment."""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods

from attachment_app import freshness
from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from clients.access import (
    active_grant,
    can_see_clinical,
    clients_visible_to,
    may_break_the_glass,
    with_client,
)
from clients.forms.clients import (
    AssignForm,
    ClientClinicalForm,
    ClientCreateForm,
    ClientRecordForm,
    StatusForm,
    UnassignForm,
)
from clients.forms.common import ask_to_confirm
from clients.models import Client
from clients.selectors.appointments import client_appointments
from clients.selectors.consents import client_consents
from clients.selectors.retention import client_retention
from clients.services.caseload import (
    CapacityExceeded,
    client_assign,
    client_change_status,
    client_create,
    client_unassign,
    client_update,
)


@with_client(care=False)
@require_GET
def client_detail(request: HttpRequest, client: Client) -> HttpResponse:
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        obj=client,
        summary="Client record",
    )
    user = request.user
    clinical = can_see_clinical(user, client)
    context = {
        "client": client,
        "clinical": clinical,
        "emergency_grant": active_grant(user, client),
        "may_break_the_glass": may_break_the_glass(user) and not clinical,
        "can_manage": bool(user.is_clinic_admin and user.clinic_id == client.clinic_id),
        "status_changes": client.status_changes.select_related("changed_by"),
        "assignments": client.assignments.select_related("therapist", "assigned_by", "ended_by"),
        # Read only when the kept panels are drawn afresh (the template's {% cache %}).
        "consents": SimpleLazyObject(lambda: client_consents(client)) if clinical else None,
        "discharges": client.discharges.all() if clinical else (),
        "appointments": SimpleLazyObject(lambda: client_appointments(client)),
        "retention": SimpleLazyObject(lambda: client_retention(user=user, client=client)),
        "records_token": freshness.token(),
        "kept_seconds": freshness.KEPT_SECONDS,
    }
    return render(request, "clients/client_detail.html", context)


@require_http_methods(["GET", "POST"])
def client_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.clinic_id is None or not (user.is_clinic_admin or user.is_therapist):
        raise PermissionDenied
    form = ClientCreateForm(request.POST or None, user=user)
    over = None
    if request.method == "POST" and form.is_valid():
        kwargs = form.create_kwargs()
        try:
            client = client_create(**kwargs, by=user, request=request)
        except CapacityExceeded as exc:
            over = exc.load
            form = ask_to_confirm(ClientCreateForm, request, exc, user=user)
        else:
            if kwargs["therapist"] is not None:
                messages.success(request, f"{client.display_name} was added and assigned.")
            else:
                messages.success(request, f"{client.display_name} was added to the waitlist.")
            return redirect(client)
    return render(request, "clients/client_form.html", {"form": form, "over": over})


def _record_form_page(
    request: HttpRequest, client: Client, form, *, summary: str, saved: str, viewed: str, **context
) -> HttpResponse:
    """The record's edit pages: save what changed (audited as `summary`, where {changed}
    names the fields), or show the form (audited as `viewed`)."""
    if request.method == "POST":
        if form.is_valid():
            changed = ", ".join(form.fields[f].label or f for f in form.changed_data)
            client_update(
                client=form.instance,
                fields=form.changed_data,
                summary=summary.format(changed=changed),
                request=request,
            )
            messages.success(request, saved)
            return redirect(client)
    else:
        audit(
            request=request,
            action=AuditEvent.Action.VIEW,
            client_id=client.pk,
            obj=client,
            summary=viewed,
        )
    context = {"form": form, "client": client, **context}
    return render(request, "clients/client_edit.html", context)


@with_client(care=False)
@require_http_methods(["GET", "POST"])
def client_edit(request: HttpRequest, client: Client) -> HttpResponse:
    # A copy, so a rejected edit never shows up in the page header as if saved.
    form = ClientRecordForm(request.POST or None, instance=copy.copy(client))
    return _record_form_page(
        request,
        client,
        form,
        summary="Record edited: {changed}",
        saved="The record was saved.",
        viewed="Record edit form",
    )


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def client_clinical_edit(request: HttpRequest, client: Client) -> HttpResponse:
    form = ClientClinicalForm(request.POST or None, instance=copy.copy(client))
    return _record_form_page(
        request,
        client,
        form,
        summary="Clinical background edited",
        saved="The clinical background was saved.",
        viewed="Clinical background edit form",
        clinical_form=True,
    )


@with_client(care=False)
@require_http_methods(["GET", "POST"])
def client_status(request: HttpRequest, client: Client) -> HttpResponse:
    form = StatusForm(request.POST or None, client=client)
    if request.method == "GET":
        audit(
            request=request,
            action=AuditEvent.Action.VIEW,
            client_id=client.pk,
            obj=client,
            summary="Status form",
        )
    if request.method == "POST" and form.is_valid():
        old = client.get_status_display()
        client_change_status(
            client=client,
            status=form.cleaned_data["status"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        audit(
            request=request,
            action=AuditEvent.Action.CHANGE,
            client_id=client.pk,
            obj=client,
            summary=f"Status {old} → {client.get_status_display()}",
        )
        messages.success(request, f"Status changed to {client.get_status_display()}.")
        if not clients_visible_to(request.user).filter(pk=client.pk).exists():
            # A therapist who returned their client to the waitlist no longer holds the record.
            return redirect("clients:home")
        return redirect(client)
    return render(request, "clients/client_status.html", {"form": form, "client": client})


def _require_clinic_admin(request: HttpRequest, client: Client) -> None:
    if not (request.user.is_clinic_admin and request.user.clinic_id == client.clinic_id):
        raise PermissionDenied


@with_client(care=False)
@require_http_methods(["GET", "POST"])
def client_assign_view(request: HttpRequest, client: Client) -> HttpResponse:
    _require_clinic_admin(request, client)
    form = AssignForm(request.POST or None, user=request.user, client=client)
    if request.method == "GET":
        audit(
            request=request,
            action=AuditEvent.Action.VIEW,
            client_id=client.pk,
            obj=client,
            summary="Assignment form",
        )
    over = None
    if request.method == "POST" and form.is_valid():
        kwargs = form.assign_kwargs()
        try:
            client_assign(client=client, **kwargs, by=request.user, request=request)
        except CapacityExceeded as exc:
            over = exc.load
            form = ask_to_confirm(AssignForm, request, exc, user=request.user, client=client)
        else:
            messages.success(request, f"{client.display_name} is now with {kwargs['therapist']}.")
            return redirect(client)
    return render(
        request, "clients/client_assign.html", {"form": form, "client": client, "over": over}
    )


@with_client(care=False)
@require_http_methods(["GET", "POST"])
def client_unassign_view(request: HttpRequest, client: Client) -> HttpResponse:
    _require_clinic_admin(request, client)
    form = UnassignForm(request.POST or None)
    if request.method == "GET":
        audit(
            request=request,
            action=AuditEvent.Action.VIEW,
            client_id=client.pk,
            obj=client,
            summary="Unassign form",
        )
    if request.method == "POST" and form.is_valid() and client.primary_therapist_id:
        previous = client.primary_therapist
        client_unassign(client=client, by=request.user, reason=form.cleaned_data["reason"])
        audit(
            request=request,
            action=AuditEvent.Action.ASSIGN,
            client_id=client.pk,
            obj=client,
            summary=f"Unassigned from {previous}",
        )
        messages.success(request, f"{client.display_name} is now unassigned.")
        return redirect(client)
    return render(request, "clients/client_unassign.html", {"form": form, "client": client})
