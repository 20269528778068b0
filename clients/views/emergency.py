from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attachment_app.permissions import clinic_admin_required
from clients.access import active_grant, can_see_clinical, may_break_the_glass, with_client
from clients.forms.emergency import EmergencyAccessForm
from clients.models import Client
from clients.selectors.emergency import grants_of_clinic
from clients.services import emergency as emergency_services


@with_client(care=False, while_discharged=True)
@require_http_methods(["GET", "POST"])
def emergency_access(request: HttpRequest, client: Client) -> HttpResponse:
    if not may_break_the_glass(request.user):
        raise PermissionDenied
    if can_see_clinical(request.user, client):
        return redirect(client)
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        emergency_services.emergency_access_grant(
            user=request.user, client=client, reason=form.cleaned_data["reason"], request=request
        )
        return redirect(client)
    return render(
        request,
        "clients/emergency_access.html",
        {"client": client, "form": form, "minutes": settings.EMERGENCY_ACCESS_MINUTES},
    )


@with_client(care=False, while_discharged=True)
@require_POST
def emergency_access_end(request: HttpRequest, client: Client) -> HttpResponse:
    grant = active_grant(request.user, client)
    if grant is None:
        raise Http404
    emergency_services.emergency_access_end(user=request.user, grant=grant, request=request)
    return redirect(client)


@clinic_admin_required
@require_GET
def emergency_access_log(request: HttpRequest) -> HttpResponse:
    grants = grants_of_clinic(request.user.clinic_id)[:200]
    return render(request, "clients/emergency_access_log.html", {"grants": grants})
