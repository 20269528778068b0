from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from attachment_app import freshness
from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from clients.access import with_client
from clients.models import Client
from clients.timeline import timeline_sources
from clients.timeline_sources import timeline_for


@with_client(care=True)
@require_GET
def timeline(request: HttpRequest, client: Client) -> HttpResponse:
    sources = timeline_sources()
    known = {s.kind for s in sources}
    chosen = {k for k in request.GET.getlist("kind") if k in known}
    # Read from every source of the record: kept until the records change.
    key = f"timeline:{request.user.pk}:{client.pk}:{','.join(sorted(chosen))}"
    entries = freshness.kept(key, lambda: timeline_for(client, chosen or None))
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    audit(
        action=AuditEvent.Action.VIEW,
        request=request,
        client_id=client.pk,
        obj=client,
        summary="Client timeline",
    )
    return render(
        request,
        "clients/timeline.html",
        {
            "client": client,
            "sources": sources,
            "chosen": chosen,
            "page": page,
            "kind_query": urlencode([("kind", k) for k in sorted(chosen)]) + "&" if chosen else "",
            "records_token": freshness.token(),
            "kept_seconds": freshness.KEPT_SECONDS,
        },
    )
