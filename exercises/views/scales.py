from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from attachment_app.audit import audit
from clients.access import with_client
from clients.models import Client
from exercises.forms.exploration import AdministerScaleForm
from exercises.models import PHQ9_DIFFICULTY_QUESTION, RatingScale
from exercises.selectors import clinic_scales, scale_results
from exercises.services import scale_administration_create
from exercises.svg.charts import scale_means_chart, scale_totals_chart
from exercises.views.common import Action


def _scale(client: Client, scale_id: int) -> RatingScale:
    return get_object_or_404(
        RatingScale.objects.filter(Q(clinic_id=client.clinic_id) | Q(clinic__isnull=True)),
        pk=scale_id,
    )


def _result_rows(scored: list, subscales: list[str]) -> list[tuple]:
    """One table row per administration: its means by subscale, total and band (built-ins)."""
    return [
        (s.administration, [s.means.get(k) for k in subscales], s.total, s.band) for s in scored
    ]


def _results_chart(scale: RatingScale, scored: list, subscales: list[str], *, n_items: int) -> str:
    """Totals over time for a built-in measure, subscale means for a clinic scale."""
    dates = [f"{s.administration.date:%d %b %y}" for s in scored]
    if scale.builtin:
        return scale_totals_chart(
            title=f"{scale.name}: totals over time",
            dates=dates,
            totals=[s.total for s in scored],
            y_max=scale.max_value * n_items,
        )
    return scale_means_chart(
        title=f"{scale.name}: subscale means over time",
        dates=dates,
        means=[s.means for s in scored],
        subscales=subscales,
        y_min=scale.min_value,
        y_max=scale.max_value,
    )


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def scale_administer(request: HttpRequest, client: Client, scale_id: int) -> HttpResponse:
    scale = get_object_or_404(clinic_scales(client.clinic_id), pk=scale_id)
    items = list(scale.items.all())
    form = AdministerScaleForm(
        request.POST or None,
        scale=scale,
        items=items,
        client=client,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        scale_administration_create(
            client=client, therapist=request.user, **form.administration_kwargs(), request=request
        )
        messages.success(request, "Answers saved.")
        return redirect("exercises:scale_results", client.pk, scale.pk)
    return render(
        request,
        "exercises/scale_administer.html",
        {"client": client, "scale": scale, "form": form},
    )


@with_client(care=True)
@require_http_methods(["GET"])
def scale_results_view(request: HttpRequest, client: Client, scale_id: int) -> HttpResponse:
    scale = _scale(client, scale_id)
    items, scored, subscales = scale_results(client, scale)
    audit(
        request=request,
        action=Action.VIEW,
        client_id=client.pk,
        obj=scale,
        summary="Rating scale results",
    )
    chart = _results_chart(scale, scored, subscales, n_items=len(items))
    rows = _result_rows(scored, subscales)
    return render(
        request,
        "exercises/scale_results.html",
        {
            "client": client,
            "scale": scale,
            "items": items,
            "rows": rows,
            "subscales": subscales,
            "chart": chart,
            "difficulty_question": PHQ9_DIFFICULTY_QUESTION,
        },
    )
