"""Therapist accounts, managed by the clinic admin: list, create, capacity, deactivate."""

from allauth.account.forms import ResetPasswordForm
from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from attachment_app.audit import audit_record
from attachment_app.models import AuditEvent, User
from attachment_app.permissions import clinic_admin_required
from clients.access import therapists_managed_by, with_therapist
from clients.forms import DeactivateForm, TherapistCreateForm, TherapistEditForm
from clients.models import Client
from clients.services.caseload import (
    therapist_counts,
    therapist_create,
    therapist_deactivate,
    therapist_reactivate,
)


@clinic_admin_required
@require_http_methods(["GET"])
def therapist_list(request: HttpRequest) -> HttpResponse:
    therapists = therapists_managed_by(request.user).annotate(
        n_active=Count("primary_clients", filter=Q(primary_clients__status=Client.Status.ACTIVE)),
        n_paused=Count("primary_clients", filter=Q(primary_clients__status=Client.Status.PAUSED)),
    )
    return render(
        request,
        "clients/therapist_list.html",
        {"therapists": therapists.order_by("-is_active", "full_name")},
    )


def _send_set_password_mail(request: HttpRequest, user: User) -> None:
    # The same reset link as "forgot password": the new colleague chooses their own password.
    form = ResetPasswordForm({"email": user.email})
    if form.is_valid():
        form.save(request)


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def therapist_new(request: HttpRequest) -> HttpResponse:
    form = TherapistCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        therapist = therapist_create(
            clinic_id=request.user.clinic_id,
            email=data["email"],
            full_name=data["full_name"],
            credentials=data["credentials"],
            capacity=data["caseload_capacity"],
            is_clinic_admin=data["is_clinic_admin"],
        )
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.CREATE,
            request=request,
            obj=therapist,
            summary=f"Therapist account created: {therapist.email}",
        )
        _send_set_password_mail(request, therapist)
        messages.success(
            request,
            f"{therapist} was added. They have been sent a link to choose their password.",
        )
        return redirect("clients:therapist_list")
    return render(request, "clients/therapist_form.html", {"form": form})


@with_therapist
@require_http_methods(["GET", "POST"])
def therapist_edit(request: HttpRequest, therapist: User) -> HttpResponse:
    form = TherapistEditForm(request.POST or None, instance=therapist)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.CHANGE,
            request=request,
            obj=therapist,
            summary=f"Therapist account edited: {', '.join(form.changed_data) or 'no change'}",
        )
        messages.success(request, f"{therapist} was saved.")
        return redirect("clients:therapist_list")
    return render(
        request,
        "clients/therapist_edit.html",
        {
            "form": form,
            "therapist": therapist,
            "counts": therapist_counts(therapist),
            "deactivate_form": DeactivateForm(),
        },
    )


@with_therapist
@require_POST
def therapist_active(request: HttpRequest, therapist: User) -> HttpResponse:
    """Deactivate (their current clients become unassigned) or reactivate an account."""
    if therapist.pk == request.user.pk:
        messages.error(request, "You cannot deactivate your own account.")
        return redirect("clients:therapist_edit", therapist.pk)
    if therapist.is_active:
        form = DeactivateForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        moved = therapist_deactivate(therapist=therapist, by=request.user, reason=reason)
        summary = f"Therapist account deactivated; {moved} clients unassigned"
        messages.success(
            request,
            f"{therapist} can no longer sign in. {moved} clients are now unassigned "
            "and wait on the caseload for reassignment.",
        )
    else:
        therapist_reactivate(therapist=therapist)
        summary = "Therapist account reactivated"
        messages.success(request, f"{therapist} can sign in again.")
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.CHANGE,
        request=request,
        obj=therapist,
        summary=summary,
    )
    return redirect("clients:therapist_list")
