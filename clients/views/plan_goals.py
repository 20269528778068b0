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
from clients.forms.plan_goals import GoalRowsFormSet, NewGoalForm
from clients.models import Client, PlanRevision
from clients.services.plan_goals import goals_save


def _move(post) -> tuple[str, int] | None:
    if post.get("move_up"):
        return (post["move_up"], -1)
    if post.get("move_down"):
        return (post["move_down"], 1)
    return None


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def plan_goals(request: HttpRequest, client: Client, revision_id) -> HttpResponse:
    revision = get_object_or_404(PlanRevision, pk=revision_id, plan__client=client)
    if revision.is_signed:
        messages.info(request, "This revision is signed and locked. Revise the plan to change it.")
        return redirect("clients:revision_detail", client.pk, revision.pk)
    goals = revision.goals.order_by("order", "text")
    data = request.POST if request.method == "POST" else None
    rows = GoalRowsFormSet(data, queryset=goals, prefix="goals")
    new = NewGoalForm(data, prefix="new")
    if data is not None and rows.is_valid() and new.is_valid():
        kept = [f for f in rows.forms if f.instance.pk and not rows._should_delete_form(f)]
        goals_save(
            revision=revision,
            texts={str(f.instance.pk): f.cleaned_data["text"] for f in kept},
            remove={str(f.instance.pk) for f in rows.deleted_forms},
            add=new.cleaned_data["text"].strip(),
            move=_move(request.POST),
        )
        audit(
            request=request,
            action=AuditEvent.Action.CHANGE,
            client_id=client.pk,
            obj=revision,
            summary="Plan goals edited",
        )
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
    return render(
        request,
        "clients/plan_goals.html",
        {"client": client, "revision": revision, "rows": rows, "new": new},
        status=400 if data is not None else 200,
    )
