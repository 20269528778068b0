"""The clinic's own exercise material: its prompts and rating scales (clinic admins)."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from exercises.forms.exploration import PromptForm, RatingScaleForm
from exercises.models import ExplorationAnswer, Prompt, RatingScale, ScaleAdministration
from exercises.services import prompt_retired_set


def _member(user: User) -> None:
    if not user.is_authenticated or user.clinic_id is None:
        raise Http404
    if not (user.is_clinic_admin or user.is_therapist):
        raise Http404


def _admin(user: User) -> None:
    # 404 rather than 403, like every other out-of-scope object.
    if not user.is_authenticated or user.clinic_id is None or not user.is_clinic_admin:
        raise Http404


def _admin_prompt(user: User, prompt_id: int) -> Prompt:
    _admin(user)
    return get_object_or_404(Prompt, Q(clinic=None) | Q(clinic_id=user.clinic_id), pk=prompt_id)


def _admin_scale(user: User, scale_id: int) -> RatingScale:
    _admin(user)
    return get_object_or_404(RatingScale, pk=scale_id, clinic_id=user.clinic_id)


def _resolve(kwarg: str, lookup: Callable) -> Callable:
    """Resolve the id within the admin's clinic before anything else (404 for every method)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, **kwargs):
            if kwargs.get(kwarg) is not None:
                kwargs[kwarg] = lookup(request.user, kwargs[kwarg])
            else:
                _admin(request.user)
            return view(request, **kwargs)

        return wrapper

    return decorator


def _log(request: HttpRequest, action: str, obj: object, summary: str) -> None:
    audit(action=action, request=request, obj=obj, summary=summary)


@require_http_methods(["GET"])
def prompt_bank(request: HttpRequest) -> HttpResponse:
    _member(request.user)
    clinic_id = request.user.clinic_id
    prompts = (
        Prompt.objects.filter(Q(clinic=None) | Q(clinic_id=clinic_id))
        .annotate(
            retired_here=Count("retired_in", filter=Q(retired_in__id=clinic_id)),
        )
        .order_by("theme", "id")
    )
    return render(request, "exercises/prompt_bank.html", {"prompts": prompts})


@_resolve("prompt_id", _admin_prompt)
@require_http_methods(["GET", "POST"])
def prompt_edit(request: HttpRequest, prompt_id: Prompt | None = None) -> HttpResponse:
    prompt = prompt_id
    if prompt is not None and prompt.is_shipped:
        raise Http404  # shipped prompts are retired, never reworded
    form = PromptForm(request.POST or None, instance=prompt)
    if prompt and ExplorationAnswer.objects.filter(prompt=prompt).exists():
        form.fields["text"].disabled = True
        form.fields["text"].help_text = (
            "Clients have answered this prompt, so its words stay as asked. Retire it and add "
            "a new one to reword it."
        )
    if request.method == "POST" and form.is_valid():
        form.instance.clinic_id = request.user.clinic_id
        saved = form.save()
        _log(
            request,
            AuditEvent.Action.CHANGE if prompt else AuditEvent.Action.CREATE,
            saved,
            "Exploration prompt",
        )
        messages.success(request, "Prompt saved.")
        return redirect("exercises:prompt_bank")
    return render(request, "exercises/prompt_form.html", {"form": form, "prompt": prompt})


@_resolve("prompt_id", _admin_prompt)
@require_POST
def prompt_retire(request: HttpRequest, prompt_id: Prompt) -> HttpResponse:
    prompt = prompt_id
    retire = request.POST.get("retired", "1") == "1"
    prompt_retired_set(prompt=prompt, clinic=request.user.clinic, retired=retire)
    _log(
        request, AuditEvent.Action.CHANGE, prompt, "Prompt retired" if retire else "Prompt restored"
    )
    messages.success(request, "Prompt retired." if retire else "Prompt back in use.")
    return redirect("exercises:prompt_bank")


@require_http_methods(["GET"])
def scale_list(request: HttpRequest) -> HttpResponse:
    _member(request.user)
    scales = RatingScale.objects.filter(clinic_id=request.user.clinic_id).annotate(
        item_count=Count("items")
    )
    return render(request, "exercises/scale_list.html", {"scales": scales})


@_resolve("scale_id", _admin_scale)
@require_http_methods(["GET", "POST"])
def scale_edit(request: HttpRequest, scale_id: RatingScale | None = None) -> HttpResponse:
    scale = scale_id
    locked = bool(scale and ScaleAdministration.objects.filter(scale=scale).exists())
    form = RatingScaleForm(request.POST or None, instance=scale, locked=locked)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.clinic_id = request.user.clinic_id
            if scale is None:
                form.instance.created_by = request.user
            saved = form.save()
            if not locked:
                saved.items.all().delete()
                rows = form.item_rows()
                for row in rows:
                    row.scale = saved
                saved.items.bulk_create(rows)
        _log(
            request,
            AuditEvent.Action.CHANGE if scale else AuditEvent.Action.CREATE,
            saved,
            "Rating scale",
        )
        messages.success(request, "Scale saved.")
        return redirect("exercises:scale_list")
    return render(
        request, "exercises/scale_form.html", {"form": form, "scale": scale, "locked": locked}
    )


@_resolve("scale_id", _admin_scale)
@require_POST
def scale_retire(request: HttpRequest, scale_id: RatingScale) -> HttpResponse:
    scale = scale_id
    scale.is_retired = request.POST.get("retired", "1") == "1"
    scale.save(update_fields=["is_retired"])
    _log(request, AuditEvent.Action.CHANGE, scale, "Rating scale retired or restored")
    return redirect("exercises:scale_list")
