"""Treatment plan views: the plan in force, drafts and revisions, goals, compare, progress."""

from itertools import zip_longest

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attachment_app.audit import audit
from attachment_app.autosave import autosave_rejected, autosave_saved, is_autosave
from attachment_app.models import AuditEvent
from clients.access import with_client
from clients.forms.common import add_service_errors
from clients.forms.plans import (
    GoalForm,
    GoalParts,
    PlanRevisionForm,
    RevisionSignForm,
)
from clients.models import Client, PlanGoal, PlanRevision
from clients.plan_diff import revision_diff
from clients.plan_suggestions import suggestion_by_key
from clients.selectors.plans import (
    current_revision,
    full_revision,
    objective_progress,
    open_draft,
    plan_of,
    revision_sign_facts,
    revision_writing_aids,
    sessions_by_goal_key,
)
from clients.services import plans as plan_services


def _revision(client: Client, revision_id) -> PlanRevision:
    return get_object_or_404(PlanRevision, pk=revision_id, plan__client=client)


def _goal(client: Client, goal_id) -> PlanGoal:
    return get_object_or_404(
        PlanGoal.objects.select_related("revision"), pk=goal_id, revision__plan__client=client
    )


def _locked(request, client, revision) -> HttpResponse:
    if is_autosave(request):
        return JsonResponse({"error": "This revision is signed and locked."}, status=409)
    messages.info(request, "This revision is signed and locked. Revise the plan to change it.")
    return redirect("clients:revision_detail", client.pk, revision.pk)


@with_client(care=True)
@require_GET
def plan_detail(request: HttpRequest, client: Client) -> HttpResponse:
    plan = plan_of(client)
    revision = current_revision(plan) if plan else None
    draft = open_draft(plan) if plan else None
    revisions = list(plan.revisions.select_related("author")) if plan else []
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        obj=plan,
        summary="Treatment plan",
    )
    return render(
        request,
        "clients/plan_detail.html",
        {
            "client": client,
            "plan": plan,
            "revision": revision,
            "draft": draft,
            "revisions": revisions,
            # Newest first, each with the revision before it, for "what changed".
            "revision_rows": list(zip_longest(revisions, revisions[1:])),
            "sessions_by_goal": sessions_by_goal_key(client) if revision else {},
        },
    )


@with_client(care=True)
@require_POST
def plan_start(request: HttpRequest, client: Client) -> HttpResponse:
    revision = plan_services.plan_start(client=client, author=request.user, request=request)
    return redirect("clients:revision_edit", client.pk, revision.pk)


@with_client(care=True)
@require_POST
def plan_revise(request: HttpRequest, client: Client) -> HttpResponse:
    plan = plan_of(client)
    if plan is None:
        return redirect("clients:plan_detail", client.pk)
    revision = plan_services.plan_revise(plan=plan, author=request.user, request=request)
    return redirect("clients:revision_edit", client.pk, revision.pk)


@with_client(care=True)
@require_GET
def revision_detail(request: HttpRequest, client: Client, revision_id) -> HttpResponse:
    revision = full_revision(_revision(client, revision_id).pk)
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        obj=revision,
        summary="Treatment plan revision",
    )
    return render(request, "clients/revision_detail.html", {"client": client, "revision": revision})


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def revision_edit(request: HttpRequest, client: Client, revision_id) -> HttpResponse:
    revision = _revision(client, revision_id)
    if revision.is_signed:
        return _locked(request, client, revision)
    edit_url = reverse("clients:revision_edit", args=[client.pk, revision.pk])
    data = request.POST if request.method == "POST" else None
    form = PlanRevisionForm(data, instance=revision, strict="sign" in request.POST)
    if data is not None and form.is_valid():
        plan_services.revision_save(revision=revision, values=form.cleaned_data, request=request)
        if is_autosave(request):
            return autosave_saved(url=edit_url)
        if "sign" in request.POST:  # saved; signing shows what changes first
            return redirect("clients:revision_sign", client.pk, revision.pk)
        messages.success(request, "Draft saved.")
        return redirect(edit_url)
    if data is not None and is_autosave(request):
        return autosave_rejected(form)
    revision = full_revision(revision.pk)
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        obj=revision,
        summary="Treatment plan draft",
    )
    context = {"client": client, "revision": revision, "form": form, "goal_form": GoalForm()}
    context |= revision_writing_aids(revision)
    return render(
        request, "clients/revision_edit.html", context, status=200 if data is None else 400
    )


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def revision_sign(request: HttpRequest, client: Client, revision_id) -> HttpResponse:
    """The confirmation before a revision locks: what changes, and agreement when in doubt."""
    revision = _revision(client, revision_id)
    if revision.is_signed:
        return _locked(request, client, revision)
    previous = plan_services.previous_signed(revision)
    ask = plan_services.agreement_needs_asking(revision=revision, previous=previous)
    form = RevisionSignForm(request.POST if request.method == "POST" else None, ask_agreement=ask)
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.revision_sign(
                revision=revision, user=request.user, **form.agreement_kwargs(), request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Plan revision signed. It is now locked.")
            return redirect("clients:plan_detail", client.pk)
    revision = full_revision(revision.pk)
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        obj=revision,
        summary="Treatment plan signing",
    )
    context = {"client": client, "revision": revision, "form": form, "ask_agreement": ask}
    context |= revision_sign_facts(revision=revision, previous=previous)
    context["carried"] = plan_services.agreement_carried(revision=revision, previous=previous)
    status = 400 if request.method == "POST" else 200
    return render(request, "clients/revision_sign.html", context, status=status)


@with_client(care=True)
@require_POST
def goal_new(request: HttpRequest, client: Client, revision_id) -> HttpResponse:
    revision = _revision(client, revision_id)
    if revision.is_signed:
        return _locked(request, client, revision)
    suggestion = suggestion_by_key(request.POST.get("suggestion", ""))
    if suggestion is not None:
        text = suggestion.goal
    else:
        form = GoalForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Please write the goal before adding it.")
            return redirect("clients:revision_edit", client.pk, revision.pk)
        text = form.cleaned_data["text"]
    goal = plan_services.goal_add(revision=revision, text=text, suggestion=suggestion)
    audit(
        request=request,
        action=AuditEvent.Action.CREATE,
        client_id=client.pk,
        obj=goal,
        summary="Plan goal added",
    )
    return redirect("clients:goal_edit", client.pk, goal.pk)


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, client: Client, goal_id) -> HttpResponse:
    goal = _goal(client, goal_id)
    if goal.revision.is_signed:
        return _locked(request, client, goal.revision)
    parts = GoalParts(request.POST if request.method == "POST" else None, goal=goal)
    if parts.is_valid():
        with transaction.atomic():
            parts.save()
            audit(
                request=request,
                action=AuditEvent.Action.CHANGE,
                client_id=client.pk,
                obj=goal,
                summary="Plan goal saved",
            )
        messages.success(request, "Goal saved.")
        return redirect("clients:revision_edit", client.pk, goal.revision_id)
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        obj=goal,
        summary="Plan goal",
    )
    context = {"client": client, "goal": goal, **parts.context()}
    status = 400 if request.method == "POST" else 200
    return render(request, "clients/goal_edit.html", context, status=status)


@with_client(care=True)
@require_POST
def goal_delete(request: HttpRequest, client: Client, goal_id) -> HttpResponse:
    goal = _goal(client, goal_id)
    if goal.revision.is_signed:
        return _locked(request, client, goal.revision)
    audit(
        request=request,
        action=AuditEvent.Action.DELETE,
        client_id=client.pk,
        obj=goal,
        summary="Plan goal removed",
    )
    plan_services.goal_delete(goal=goal)
    messages.success(request, "Goal removed from the draft.")
    return redirect("clients:revision_edit", client.pk, goal.revision_id)


@with_client(care=True)
@require_GET
def plan_compare(request: HttpRequest, client: Client) -> HttpResponse:
    plan = plan_of(client)
    revisions = list(plan.revisions.order_by("number")) if plan else []
    by_id = {str(r.pk): r for r in revisions}
    old = by_id.get(request.GET.get("a", ""))
    new = by_id.get(request.GET.get("b", ""))
    if len(revisions) >= 2 and (old is None or new is None):
        old, new = revisions[-2], revisions[-1]
    sections = None
    if old and new:
        sections = revision_diff(full_revision(old.pk), full_revision(new.pk))
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        obj=plan,
        summary="Treatment plan comparison",
    )
    return render(
        request,
        "clients/plan_compare.html",
        {
            "client": client,
            "revisions": revisions,
            "old": old,
            "new": new,
            "sections": sections,
        },
    )


@with_client(care=True)
@require_GET
def plan_progress(request: HttpRequest, client: Client) -> HttpResponse:
    plan = plan_of(client)
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        obj=plan,
        summary="Treatment plan progress",
    )
    return render(
        request,
        "clients/plan_progress.html",
        {"client": client, "plan": plan, "progress": objective_progress(plan) if plan else []},
    )
