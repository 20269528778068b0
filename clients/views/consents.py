"""Intake consents: the clinic's documents (settings, clinic admins) and a client's
signatures (the clinician, with the client beside them)."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from attachment_app.permissions import clinic_admin_required
from clients.access import consent_template_for_signing, with_client, with_consent_template
from clients.exports.registry import CONSENT
from clients.forms.common import add_service_errors
from clients.forms.consents import ConsentSignForm, ConsentTemplateForm
from clients.models import Client, ClientConsent, ConsentKind, ConsentTemplate
from clients.selectors.consents import (
    client_consents,
    current_templates,
    template_versions,
)
from clients.services.consents import consent_revoke, consent_sign, consent_template_save

# The clinic's documents (settings) -----------------------------------------------


@clinic_admin_required
@require_GET
def consent_templates(request: HttpRequest) -> HttpResponse:
    current = current_templates(request.user.clinic)
    kinds = [
        {"kind": kind, "label": label, "template": current.get(kind)}
        for kind, label in ConsentKind.choices
    ]
    return render(
        request,
        "clients/consent_templates.html",
        {"kinds": kinds, "clinic": request.user.clinic, "settings_page": "consents"},
    )


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def consent_template_new(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    return _consent_template_page(request, kind=kind if kind in ConsentKind.values else "")


@with_consent_template
@require_http_methods(["GET", "POST"])
def consent_template_edit(request: HttpRequest, template: ConsentTemplate) -> HttpResponse:
    return _consent_template_page(request, template=template)


def _consent_template_page(
    request: HttpRequest, *, template: ConsentTemplate | None = None, kind: str = ""
) -> HttpResponse:
    """A new document (of a kind chosen on the form) or the next version of one."""
    versions = template_versions(template) if template else []
    current = versions[0] if versions else None
    initial = {"kind": kind} if kind else {}
    form = ConsentTemplateForm(request.POST or None, current=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = consent_template_save(
                clinic=request.user.clinic,
                kind=current.kind if current else form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            saved_as = f"Saved as version {saved.version}." if current else f"{saved} saved."
            messages.success(request, saved_as)
            return redirect(saved.get_absolute_url())
    page = {"form": form, "template": template, "current": current, "versions": versions}
    return render(
        request, "clients/consent_template_form.html", {**page, "settings_page": "consents"}
    )


# A client's consents ---------------------------------------------------------------


@with_client(care=True)
@require_GET
def client_consents_page(request: HttpRequest, client: Client) -> HttpResponse:
    consents = client_consents(client)
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        obj=client,
        summary="Consents",
    )
    return render(request, "clients/client_consents.html", {"client": client, "consents": consents})


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def consent_sign_page(request: HttpRequest, client: Client, template_id) -> HttpResponse:
    template = consent_template_for_signing(client, template_id)
    form = ConsentSignForm(request.POST or None, template=template)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = consent_sign(
                client=client,
                template=template,
                signed_name=data["signed_name"],
                signed_on=data["signed_on"],
                read_confirmed=data["read_confirmed"],
                recipient=data.get("recipient", ""),
                information=data.get("information", ""),
                purpose=data.get("purpose", ""),
                expires_on=data.get("expires_on"),
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{consent.get_kind_display()} signed.")
            return redirect(consent.get_absolute_url())
    return render(
        request,
        "clients/consent_sign.html",
        {"client": client, "template": template, "form": form},
    )


def _consent(client: Client, consent_id: uuid.UUID) -> ClientConsent:
    return get_object_or_404(
        ClientConsent.objects.select_related("template", "witnessed_by", "revoked_by"),
        client=client,
        pk=consent_id,
    )


@with_client(care=True)
@require_GET
def consent_detail(request: HttpRequest, client: Client, consent_id) -> HttpResponse:
    consent = _consent(client, consent_id)
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        obj=consent,
        summary=f"Signed consent: {consent.get_kind_display()}",
    )
    return render(
        request,
        "clients/consent_detail.html",
        {"client": client, "consent": consent, "export_kind": CONSENT},
    )


@with_client(care=True)
@require_POST
def consent_withdraw(request: HttpRequest, client: Client, consent_id) -> HttpResponse:
    consent = _consent(client, consent_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm the client withdraws this consent.")
        return redirect(consent.get_absolute_url())
    consent_revoke(consent=consent, by=request.user, request=request)
    messages.success(request, f"{consent.get_kind_display()} withdrawn; the signed copy stays.")
    return redirect(consent.get_absolute_url())
