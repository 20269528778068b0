from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from attachment_app.audit import audit
from attachment_app.autosave import autosave_rejected, autosave_saved, is_autosave
from clients.access import with_client
from clients.models import Client
from exercises import services as exercise_services
from exercises.forms.exploration import AddPromptsForm, ExplorationForm, StartExplorationForm
from exercises.models import Exploration, ExplorationAnswer
from exercises.selectors import exploration_plane_points, retired_prompt_ids
from exercises.svg.charts import style_plane_svg
from exercises.views.common import Action


def _exploration(client: Client, exploration_id) -> Exploration:
    return get_object_or_404(
        Exploration.objects.select_related("session").prefetch_related(
            Prefetch("answers", queryset=ExplorationAnswer.objects.select_related("prompt"))
        ),
        pk=exploration_id,
        client=client,
    )


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def exploration_start(request: HttpRequest, client: Client) -> HttpResponse:
    prompts = exercise_services.prompts_for_clinic(client.clinic_id)
    form = StartExplorationForm(
        request.POST or None,
        client=client,
        prompts=prompts,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        exploration = exercise_services.exploration_start(
            **form.start_kwargs(), therapist=request.user, request=request
        )
        return redirect("exercises:exploration_edit", client.pk, exploration.pk)
    return render(request, "exercises/exploration_start.html", {"client": client, "form": form})


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def exploration_edit(request: HttpRequest, client: Client, exploration_id) -> HttpResponse:
    exploration = _exploration(client, exploration_id)
    answers = list(exploration.answers.all())
    form = ExplorationForm(
        request.POST or None, instance=exploration, client=client, answers=answers
    )
    change = None
    if request.method == "POST" and form.is_valid():
        # The record's hypothesis changes only when the therapist says so: an autosave
        # keeps it, and a save that would change it asks first (nothing typed is lost).
        change, decision = form.hypothesis_decision()
        if not change or decision or is_autosave(request):
            kwargs = form.save_kwargs(change=change, decision=decision)
            exercise_services.exploration_save(**kwargs, request=request)
            if is_autosave(request):
                return autosave_saved(url=request.path)
            messages.success(request, _saved_message(change, decision))
            return redirect(exploration)
    elif request.method == "POST" and is_autosave(request):
        return autosave_rejected(form)
    elif request.method == "GET":
        audit(
            request=request,
            action=Action.VIEW,
            client_id=client.pk,
            obj=exploration,
            summary="Attachment style exploration",
        )
    context = _edit_context(client, exploration, form, answers, change)
    return render(request, "exercises/exploration_edit.html", context)


def _saved_message(change, decision: str) -> str:
    """What a save says about the record's working hypothesis."""
    if change and decision == "change":
        return f"Exploration saved. The working hypothesis is now {change.after}."
    if change:
        return "Exploration saved; the record's hypothesis is unchanged."
    return "Exploration saved."


def _edit_context(client, exploration, form, answers, change) -> dict:
    in_use = {a.prompt_id for a in answers}
    add_form = AddPromptsForm(
        prompts=exercise_services.prompts_for_clinic(client.clinic_id).exclude(pk__in=in_use)
    )
    return {
        "client": client,
        "exploration": exploration,
        "form": form,
        "add_form": add_form,
        "hypothesis_change": change,
    }


@with_client(care=True)
@require_POST
def exploration_add_prompts(request: HttpRequest, client: Client, exploration_id) -> HttpResponse:
    exploration = _exploration(client, exploration_id)
    form = AddPromptsForm(
        request.POST, prompts=exercise_services.prompts_for_clinic(client.clinic_id)
    )
    if form.is_valid():
        exercise_services.exploration_prompts_add(
            exploration=exploration, prompts=list(form.cleaned_data["prompts"])
        )
        audit(
            request=request,
            action=Action.CHANGE,
            client_id=client.pk,
            obj=exploration,
            summary="Prompts added to exploration",
        )
        messages.success(request, "Prompts added.")
    else:
        messages.error(request, "Choose at least one prompt to add.")
    return redirect("exercises:exploration_edit", client.pk, exploration.pk)


@with_client(care=True)
@require_http_methods(["GET"])
def exploration_detail(request: HttpRequest, client: Client, exploration_id) -> HttpResponse:
    exploration = _exploration(client, exploration_id)
    audit(
        request=request,
        action=Action.VIEW,
        client_id=client.pk,
        obj=exploration,
        summary="Attachment style exploration",
    )
    answers = list(exploration.answers.all())
    retired = retired_prompt_ids(client.clinic_id, [a.prompt_id for a in answers])
    return render(
        request,
        "exercises/exploration_detail.html",
        {
            "client": client,
            "exploration": exploration,
            "answers": answers,
            "retired_prompt_ids": retired,
        },
    )


@with_client(care=True)
@require_http_methods(["GET"])
def exploration_list(request: HttpRequest, client: Client) -> HttpResponse:
    explorations = list(
        Exploration.objects.filter(client=client).select_related("session").order_by("-date")
    )
    points = exploration_plane_points(explorations)
    audit(
        request=request,
        action=Action.VIEW,
        client_id=client.pk,
        summary="Attachment style explorations",
    )
    return render(
        request,
        "exercises/exploration_list.html",
        {
            "client": client,
            "explorations": explorations,
            "points": points,
            "plane_svg": style_plane_svg(points) if points else "",
        },
    )
