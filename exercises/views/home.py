from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from attachment_app.audit import audit
from clients.access import with_client
from clients.models import Client
from exercises.selectors import client_exercises
from exercises.views.common import Action


@with_client(care=True)
@require_http_methods(["GET"])
def client_home(request: HttpRequest, client: Client) -> HttpResponse:
    audit(
        request=request,
        action=Action.VIEW,
        client_id=client.pk,
        summary="Exercises overview",
    )
    return render(
        request,
        "exercises/client_home.html",
        {"client": client, "ex": client_exercises(client)},
    )
