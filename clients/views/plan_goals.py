"""A plan draft's goals on one page: edit, add, reorder and remove them together.

Plain forms and submit buttons, so every action works without JavaScript."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from clients.access import with_client
from clients.forms.plan_goals import GoalsPage
from clients.models import Client, PlanRevision
from clients.services.plan_goals import goals_save


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def plan_goals(request: HttpRequest, client: Client, revision_id) -> HttpResponse:
    revision = get_object_or_404(PlanRevision, pk=revision_id, plan__client=client)
    if revision.is_signed:
        messages.info(request, "This revision is signed and locked. Revise the plan to change it.")
        return redirect("clients:revision_detail", client.pk, revision.pk)
    data = request.POST if request.method == "POST" else None
    page = GoalsPage(data, revision=revision)
    if page.is_valid():
        goals_save(revision=revision, **page.save_kwargs(), request=request)
        if "done" in request.POST:
            messages.success(request, "Goals saved.")
            return redirect("clients:revision_edit", client.pk, revision.pk)
        return redirect(reverse("clients:plan_goals", args=[client.pk, revision.pk]) + "#goals")
    if data is None:
        audit(
            request=request,
            action=AuditEvent.Action.VIEW,
            client_id=client.pk,
            obj=revision,
            summary="Plan goals",
        )
    context = {"client": client, "revision": revision, "rows": page.rows, "new": page.new}
    return render(request, "clients/plan_goals.html", context, status=200 if data is None else 400)
