"""Discharge, the closing summary (edited and signed like a note) and reopening."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from clients.access import can_see_clinical, with_client
from clients.exports.registry import DISCHARGE_SUMMARY
from clients.forms.discharge import (
    DischargeForm,
    DischargeSignForm,
    DischargeSummaryForm,
    ReopenForm,
)
from clients.models import Client, DischargeSummary, SignedRecordLocked
from clients.services.discharge import (
    client_discharge,
    client_reopen,
    discharge_summary_save,
    discharge_summary_sign,
)


def _may_close(request: HttpRequest, client: Client) -> None:
    """The client's clinician, or an admin of the clinic, discharges and reopens."""
    admin = request.user.is_clinic_admin and request.user.clinic_id == client.clinic_id
    if not (admin or client.primary_therapist_id == request.user.pk):
        raise PermissionDenied


@with_client(care=False)
@require_http_methods(["GET", "POST"])
def client_discharge_view(request: HttpRequest, client: Client) -> HttpResponse:
    _may_close(request, client)
    if client.status == Client.Status.DISCHARGED:
        messages.info(request, "This client is already discharged.")
        return redirect(client)
    form = DischargeForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        try:
            summary = client_discharge(
                client=client, by=request.user, **form.cleaned_data, request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)  # a dict names the form's own fields
        else:
            messages.success(request, "Discharged. The closing summary is drafted from the record.")
            return redirect(summary if can_see_clinical(request.user, client) else client)
    status = 400 if form.errors else 200
    return render(
        request, "clients/discharge.html", {"form": form, "client": client}, status=status
    )


def _summary(client: Client, discharge_id) -> DischargeSummary:
    return get_object_or_404(client.discharges.select_related("signed_by"), pk=discharge_id)


def _summary_page(request, client, summary, form=None, sign_form=None, status=200):
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        obj=summary,
        summary="Discharge summary",
    )
    context = {
        "client": client,
        "summary": summary,
        "form": form or DischargeSummaryForm(instance=summary),
        "sign_form": sign_form or DischargeSignForm(),
        "export_kind": DISCHARGE_SUMMARY,
    }
    return render(request, "clients/discharge_summary.html", context, status=status)


@with_client(care=True)
@require_GET
def discharge_detail(request: HttpRequest, client: Client, discharge_id) -> HttpResponse:
    return _summary_page(request, client, _summary(client, discharge_id))


@with_client(care=True, while_discharged=True)
@require_POST
def discharge_edit(request: HttpRequest, client: Client, discharge_id) -> HttpResponse:
    summary = _summary(client, discharge_id)
    if summary.is_signed:
        messages.info(request, "This summary is signed and locked.")
        return redirect(summary)
    form = DischargeSummaryForm(request.POST, instance=summary)
    if not form.is_valid():
        return _summary_page(request, client, summary, form=form, status=400)
    discharge_summary_save(
        summary=summary, by=request.user, values=form.cleaned_data, request=request
    )
    messages.success(request, "Summary draft saved.")
    return redirect(summary)


@with_client(care=True, while_discharged=True)
@require_POST
def discharge_sign(request: HttpRequest, client: Client, discharge_id) -> HttpResponse:
    summary = _summary(client, discharge_id)
    form = DischargeSignForm(request.POST)
    if not form.is_valid():
        return _summary_page(request, client, summary, sign_form=form, status=400)
    try:
        discharge_summary_sign(summary=summary, by=request.user, request=request)
    except SignedRecordLocked:
        messages.info(request, "This summary is already signed.")
    else:
        messages.success(request, "Discharge summary signed.")
    return redirect(summary)


@with_client(care=False, while_discharged=True)
@require_http_methods(["GET", "POST"])
def client_reopen_view(request: HttpRequest, client: Client) -> HttpResponse:
    _may_close(request, client)
    if client.status != Client.Status.DISCHARGED:
        messages.info(request, "This record is open.")
        return redirect(client)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client_reopen(
            client=client, by=request.user, reason=form.cleaned_data["reason"], request=request
        )
        messages.success(request, "The record is open again.")
        return redirect(client)
    status = 400 if form.errors else 200
    return render(
        request, "clients/client_reopen.html", {"form": form, "client": client}, status=status
    )
