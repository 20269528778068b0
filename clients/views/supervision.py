"""Supervision: the supervisor's review queue, co-signing and returning notes; the clinic
admin's supervision setting on a therapist's page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from clients.access import therapists_of_clinic, with_therapist
from clients.forms.common import add_service_errors
from clients.forms.supervision import SupervisionForm
from clients.models import Supervision
from clients.selectors.supervision import review_queue as review_queue_of
from clients.selectors.supervision import supervisees_with_counts
from clients.services.supervision import supervision_of, supervision_set


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    notes = list(review_queue_of(request.user))
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        summary=f"Review queue ({len(notes)} notes)",
    )
    return render(
        request,
        "clients/review_queue.html",
        {"notes": notes, "supervisees": supervisees_with_counts(request.user)},
    )


@with_therapist
@require_http_methods(["GET", "POST"])
def therapist_supervision(request: HttpRequest, therapist: User) -> HttpResponse:
    current = supervision_of(therapist)
    supervisors = therapists_of_clinic(request.user).exclude(pk=therapist.pk).order_by("full_name")
    initial = (
        {"supervisor": current.supervisor_id, "policy": current.policy}
        if current
        else {"policy": Supervision.Policy.COSIGN}
    )
    form = SupervisionForm(request.POST or None, supervisors=supervisors, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = supervision_set(
                by=request.user,
                supervisee=therapist,
                supervisor=data["supervisor"],
                policy=data["policy"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            done = f"supervised by {result.supervisor}" if result else "supervision ended"
            messages.success(request, f"{therapist}: {done}.")
            return redirect("clients:therapist_edit", therapist.pk)
    return render(
        request,
        "clients/therapist_supervision.html",
        {"form": form, "therapist": therapist, "current": current},
        status=400 if request.method == "POST" else 200,
    )
