"""Therapist accounts, managed by the clinic admin: list, invite, capacity, deactivate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from attachment_app.permissions import clinic_admin_required
from clients.access import therapists_managed_by, with_therapist
from clients.forms.common import NewPasswordForm
from clients.forms.therapists import (
    DeactivateForm,
    TherapistCreateForm,
    TherapistEditForm,
)
from clients.models import Client
from clients.services.caseload import (
    therapist_counts,
    therapist_deactivate,
    therapist_reactivate,
)
from clients.services.invitations import (
    InvitationUnusable,
    invitation_open,
    invitations_pending,
    therapist_invite,
)
from clients.services.invitations import invitation_accept as invitation_accept_service
from clients.services.supervision import supervision_of


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
        {
            "therapists": therapists.order_by("-is_active", "full_name"),
            "invitations": invitations_pending(clinic_id=request.user.clinic_id),
        },
    )


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def therapist_new(request: HttpRequest) -> HttpResponse:
    """Invite a therapist: the same answer whether or not the address has an account."""
    form = TherapistCreateForm(request.POST or None, clinic_id=request.user.clinic_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invitation = therapist_invite(
            by=request.user,
            email=data["email"],
            full_name=data["full_name"],
            credentials=data["credentials"],
            capacity=data["caseload_capacity"],
            is_clinic_admin=data["is_clinic_admin"],
            site_url=request.build_absolute_uri("/"),
        )
        audit(
            action=AuditEvent.Action.CREATE,
            request=request,
            summary=f"Therapist invited: {invitation.email}",
        )
        messages.success(
            request,
            f"An invitation was sent to {invitation.email}. The account is made when they "
            "accept it and choose their password.",
        )
        return redirect("clients:therapist_list")
    return render(request, "clients/therapist_form.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_open(token=token)
    except InvitationUnusable:
        return render(request, "clients/invitation_accept.html", {"unusable": True}, status=404)
    form = NewPasswordForm(
        request.POST or None, email=invitation.email, full_name=invitation.full_name
    )
    if request.method == "POST" and form.is_valid():
        try:
            account = invitation_accept_service(
                token=token, password=form.cleaned_data["password1"]
            )
        except InvitationUnusable:
            return render(request, "clients/invitation_accept.html", {"unusable": True}, status=404)
        audit(
            actor=account,
            action=AuditEvent.Action.CREATE,
            request=request,
            obj=account,
            summary=f"Therapist account created from an invitation: {account.email}",
        )
        messages.success(request, "Your account is ready. Please sign in.")
        return redirect("account_login")
    return render(
        request, "clients/invitation_accept.html", {"form": form, "invitation": invitation}
    )


@with_therapist
@require_http_methods(["GET", "POST"])
def therapist_edit(request: HttpRequest, therapist: User) -> HttpResponse:
    form = TherapistEditForm(request.POST or None, instance=therapist)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit(
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
            "supervision": supervision_of(therapist),
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
    audit(action=AuditEvent.Action.CHANGE, request=request, obj=therapist, summary=summary)
    return redirect("clients:therapist_list")
