"""Release of information: requests with their 30-day clock, the release bundle (prepared
through the exports), and the client's accounting of disclosures. Who may: clients/access.py
(`with_release_client`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from clients.access import can_see_clinical, with_release_client, with_release_request
from clients.exports.registry import RELEASE_BUNDLE, RELEASE_FHIR
from clients.exports.release import NOT_IN_BUNDLE
from clients.forms.releases import ReleaseFulfilForm, ReleaseRefuseForm, ReleaseRequestForm
from clients.models import Client, ReleaseRequest
from clients.selectors.releases import client_disclosures, client_releases
from clients.services.releases import (
    release_request_fulfil,
    release_request_log,
    release_request_refuse,
)


@with_release_client
@require_http_methods(["GET", "POST"])
def release_list(request: HttpRequest, client: Client) -> HttpResponse:
    form = ReleaseRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            release = release_request_log(
                client=client, by=request.user, **form.cleaned_data, request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)  # a dict names the form's own fields
        else:
            messages.success(request, f"Release request logged: due {release.due_on:%d %b %Y}.")
            return redirect(release)
    audit(request=request, action=AuditEvent.Action.VIEW, client_id=client.pk, summary="Releases")
    context = {"client": client, "form": form, "releases": client_releases(client)}
    context["not_in_bundle"] = NOT_IN_BUNDLE
    status = 400 if form.errors else 200
    return render(request, "clients/releases.html", context, status=status)


def _release_page(request, client, release, fulfil=None, refuse=None, status=200):
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        obj=release,
        summary="Release request",
    )
    context = {
        "client": client,
        "release": release,
        "days": release.days_left(),
        "fulfil_form": fulfil or ReleaseFulfilForm(),
        "refuse_form": refuse or ReleaseRefuseForm(),
        "may_prepare": can_see_clinical(request.user, client),
        "kinds": {"pdf": RELEASE_BUNDLE, "fhir": RELEASE_FHIR},
        "not_in_bundle": NOT_IN_BUNDLE,
        "disclosure": getattr(release, "disclosure", None),
    }
    return render(request, "clients/release_detail.html", context, status=status)


@with_release_request
@require_GET
def release_detail(request: HttpRequest, client: Client, release: ReleaseRequest) -> HttpResponse:
    return _release_page(request, client, release)


def _closed(request: HttpRequest, release: ReleaseRequest) -> HttpResponse | None:
    if release.is_open:
        return None
    messages.info(request, "This release request is already closed.")
    return redirect(release)


@with_release_request
@require_POST
def release_fulfil(request: HttpRequest, client: Client, release: ReleaseRequest) -> HttpResponse:
    form = ReleaseFulfilForm(request.POST)
    if closed := _closed(request, release):
        return closed
    if not form.is_valid():
        return _release_page(request, client, release, fulfil=form, status=400)
    try:
        release_request_fulfil(release=release, by=request.user, request=request)
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return _release_page(request, client, release, fulfil=form, status=400)
    messages.success(request, "Released. The disclosure is in the accounting of disclosures.")
    return redirect(release)


@with_release_request
@require_POST
def release_refuse(request: HttpRequest, client: Client, release: ReleaseRequest) -> HttpResponse:
    form = ReleaseRefuseForm(request.POST)
    if closed := _closed(request, release):
        return closed
    if not form.is_valid():
        return _release_page(request, client, release, refuse=form, status=400)
    release_request_refuse(
        release=release, by=request.user, reason=form.cleaned_data["reason"], request=request
    )
    messages.success(request, "Request refused; the reason is kept with it.")
    return redirect(release)


@with_release_client
@require_GET
def disclosures(request: HttpRequest, client: Client) -> HttpResponse:
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        summary="Accounting of disclosures",
    )
    context = {"client": client, "disclosures": client_disclosures(client)}
    return render(request, "clients/disclosures.html", context)
