from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from attachment_app.audit import audit
from clients.access import with_client
from clients.models import Client
from exercises.forms.safe_space import PracticeForm, SafeSpacePlanForm
from exercises.models import SafeSpacePlan, SafeSpacePractice
from exercises.selectors import current_safe_space_plan, practice_series
from exercises.svg.charts import line_chart_svg
from exercises.views.common import Action


def _plan(client: Client, safe_space_id) -> SafeSpacePlan:
    return get_object_or_404(
        SafeSpacePlan.objects.select_related("session"), pk=safe_space_id, client=client
    )


def _form_page(request: HttpRequest, client: Client, plan: SafeSpacePlan | None) -> HttpResponse:
    form = SafeSpacePlanForm(request.POST or None, instance=plan, client=client)
    if request.method == "POST" and form.is_valid():
        is_new = plan is None
        if is_new:
            form.instance.client = client
            form.instance.therapist = request.user
        saved = form.save()
        audit(
            request=request,
            action=Action.CREATE if is_new else Action.CHANGE,
            client_id=client.pk,
            obj=saved,
            summary="Safe-space plan",
        )
        messages.success(request, "Safe-space plan saved.")
        return redirect(saved.get_absolute_url())
    return render(
        request, "exercises/safe_space_form.html", {"client": client, "form": form, "plan": plan}
    )


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, client: Client) -> HttpResponse:
    return _form_page(request, client, None)


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, client: Client, safe_space_id) -> HttpResponse:
    return _form_page(request, client, _plan(client, safe_space_id))


def _detail(request, client, plan, practice_form=None, status=200) -> HttpResponse:
    practices, labels, series = practice_series(plan)
    chart = ""
    if practices:
        chart = line_chart_svg(
            title="Distress before and after each practice (0 to 10)",
            x_labels=labels,
            series=series,
            y_min=0,
            y_max=10,
            y_label="Distress",
        )
    return render(
        request,
        "exercises/safe_space_detail.html",
        {
            "client": client,
            "plan": plan,
            "practices": list(reversed(practices)),
            "chart": chart,
            "practice_form": practice_form or PracticeForm(),
            "crisis_line": client.clinic.crisis_line,
            # A card with nothing on it but its name is not offered as if it were ready.
            "card_ready": plan.has_card_content() or bool(client.clinic.crisis_line),
        },
        status=status,
    )


@with_client(care=True)
@require_http_methods(["GET"])
def plan_detail(request: HttpRequest, client: Client, safe_space_id) -> HttpResponse:
    plan = _plan(client, safe_space_id)
    audit(
        request=request,
        action=Action.VIEW,
        client_id=client.pk,
        obj=plan,
        summary="Safe-space plan",
    )
    return _detail(request, client, plan)


@with_client(care=True)
@require_POST
def practice_add(request: HttpRequest, client: Client, safe_space_id) -> HttpResponse:
    plan = _plan(client, safe_space_id)
    form = PracticeForm(request.POST)
    if form.is_valid():
        form.instance.plan = plan
        practice = form.save()
        audit(
            request=request,
            action=Action.CREATE,
            client_id=client.pk,
            obj=practice,
            summary="Safe-space practice",
        )
        messages.success(request, "Practice recorded.")
        return redirect(plan.get_absolute_url() + "#practice")
    return _detail(request, client, plan, practice_form=form, status=400)


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def practice_edit(
    request: HttpRequest, client: Client, safe_space_id, practice_id: int
) -> HttpResponse:
    plan = _plan(client, safe_space_id)
    practice = get_object_or_404(SafeSpacePractice, pk=practice_id, plan=plan)
    form = PracticeForm(request.POST or None, instance=practice)
    if request.method == "POST":
        if request.POST.get("delete") == "1":
            practice.delete()
            audit(
                request=request,
                action=Action.DELETE,
                client_id=client.pk,
                obj=plan,
                summary="Safe-space practice removed",
            )
            return redirect(plan.get_absolute_url() + "#practice")
        if form.is_valid():
            form.save()
            audit(
                request=request,
                action=Action.CHANGE,
                client_id=client.pk,
                obj=practice,
                summary="Safe-space practice",
            )
            return redirect(plan.get_absolute_url() + "#practice")
    return render(
        request,
        "exercises/practice_form.html",
        {"client": client, "plan": plan, "practice": practice, "form": form},
    )


@with_client(care=True)
@require_http_methods(["GET"])
def safe_space_quick(request: HttpRequest, client: Client) -> HttpResponse:
    """The plan and grounding techniques, for the moment distress rises in the room."""
    plan = current_safe_space_plan(client)
    audit(
        request=request,
        action=Action.VIEW,
        client_id=client.pk,
        obj=plan,
        summary="Safe-space plan (quick view)",
    )
    # htmx fills the panel with the fragment; a plain GET (a new tab, no script) gets a page.
    template = (
        "exercises/_safe_space_quick.html" if request.htmx else "exercises/safe_space_now.html"
    )
    return render(
        request,
        template,
        {"client": client, "plan": plan, "crisis_line": client.clinic.crisis_line},
    )
