from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from attachment_app.services import broker_state, database_state


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    states = {"database": database_state(), "broker": broker_state()}
    healthy = all(state in {"ok", "disabled"} for state in states.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", **states}, status=200 if healthy else 503
    )


@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """The cheapest signed-in page: the floor the benchmarks compare pages to."""
    return HttpResponse("ok", content_type="text/plain")
