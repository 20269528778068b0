"""Deleting a draft (any kind: clients.drafts), and undoing that for a few minutes."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from attachment_app.audit import audit
from attachment_app.dates import format_time
from attachment_app.models import AuditEvent
from clients.access import with_client
from clients.drafts import DraftKind, draft_kind
from clients.models import Client, DeletedDraft
from clients.services import drafts as draft_services


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def draft_delete(request: HttpRequest, client: Client, kind: str, **ids) -> HttpResponse:
    kind = draft_kind(kind)
    obj = kind.find(client, ids[kind.url_kwarg])
    if kind.author_id(obj) != request.user.pk:
        raise Http404  # someone else's draft: not theirs to see deleted
    if request.method == "POST":
        return _delete(request, client, kind, obj)  # the service checks, under a lock
    refusal = draft_services.draft_refusal(kind=kind, obj=obj, by=request.user)
    if refusal:
        messages.info(request, refusal)
        return redirect(obj)
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        obj=obj,
        summary=f"Delete {kind.noun} draft form",
    )
    context = {"client": client, "kind": kind, "draft": obj, "label": kind.label(obj)}
    context["minutes"] = settings.DRAFT_UNDO_MINUTES
    return render(request, "clients/draft_delete.html", context)


def _delete(request: HttpRequest, client: Client, kind: DraftKind, obj) -> HttpResponse:
    """Delete, then land where the draft was listed, with an Undo button in the message."""
    try:
        deleted = draft_services.draft_delete(kind=kind, obj=obj, by=request.user, request=request)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect(obj)
    undo = reverse("clients:draft_undo", args=[client.pk, deleted.pk])
    until = format_time(deleted.undo_until)
    text = f"{deleted.label} deleted. You can undo this until {until}."
    messages.success(request, text, extra_tags=f"undo {undo}")
    return redirect(kind.back_to(client))


@with_client(care=True)
@require_POST
def draft_undo(request: HttpRequest, client: Client, deleted_id) -> HttpResponse:
    deleted = get_object_or_404(DeletedDraft, pk=deleted_id, client=client)
    try:
        obj = draft_services.draft_restore(deleted=deleted, by=request.user, request=request)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect(client)
    messages.success(request, f"{deleted.label} is back.")
    return redirect(obj)
