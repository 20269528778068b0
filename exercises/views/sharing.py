"""The clinician's side of the companion: the client's account, and what is shared with them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from attachment_app.audit import audit
from clients.access import companion_accounts_for_care, with_client
from clients.forms.companion import CompanionInviteForm
from clients.models import Client
from clients.services.companion import (
    CompanionInviteRefused,
    companion_access_set,
    companion_invitation_latest,
    companion_invitation_withdraw,
    companion_invite,
)
from exercises.views.common import Action


def _manage_page(request: HttpRequest, client: Client, **context) -> HttpResponse:
    account = companion_accounts_for_care(request.user, client).select_related("user").first()
    invitation = companion_invitation_latest(client=client)
    context.setdefault(
        "invite_form", CompanionInviteForm(initial={"email": client.email}) if not account else None
    )
    return render(
        request,
        "exercises/companion_manage.html",
        {
            "client": client,
            "account": account,
            "invitation": invitation if invitation and invitation.is_open else None,
            **context,
        },
        status=context.pop("status", 200),
    )


@with_client(care=True)
@require_http_methods(["GET"])
def companion_manage(request: HttpRequest, client: Client) -> HttpResponse:
    audit(request=request, action=Action.VIEW, client_id=client.pk, summary="Companion settings")
    return _manage_page(request, client)


@with_client(care=True)
@require_POST
def companion_invite_view(request: HttpRequest, client: Client) -> HttpResponse:
    form = CompanionInviteForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, client, invite_form=form, status=400)
    try:
        invitation, link = companion_invite(
            by=request.user,
            client=client,
            email=form.cleaned_data["email"],
            site_url=request.build_absolute_uri("/"),
        )
    except CompanionInviteRefused as refusal:
        form.add_error(None, str(refusal))
        return _manage_page(request, client, invite_form=form, status=400)
    audit(
        request=request,
        action=Action.CREATE,
        client_id=client.pk,
        obj=invitation,
        summary="Companion invitation sent",
    )
    # The link is shown this once (a POST's answer, never stored): to hand over in person.
    return _manage_page(request, client, link=link, invite_form=None)


@with_client(care=True)
@require_POST
def companion_invitation_withdraw_view(request: HttpRequest, client: Client) -> HttpResponse:
    if companion_invitation_withdraw(client=client):
        audit(
            request=request,
            action=Action.CHANGE,
            client_id=client.pk,
            summary="Companion invitation withdrawn",
        )
        messages.success(request, "The invitation was withdrawn; its link no longer works.")
    return redirect("exercises:companion_manage", client.pk)


@with_client(care=True)
@require_POST
def companion_access_view(request: HttpRequest, client: Client) -> HttpResponse:
    account = companion_accounts_for_care(request.user, client).select_related("user").first()
    if account is None:
        return redirect("exercises:companion_manage", client.pk)
    active = request.POST.get("active") == "1"
    companion_access_set(account=account, active=active)
    audit(
        request=request,
        action=Action.CHANGE,
        client_id=client.pk,
        obj=account,
        summary="Companion access " + ("restored" if active else "paused"),
    )
    messages.success(
        request,
        "The client can sign in again."
        if active
        else "The client's companion is paused; they were signed out.",
    )
    return redirect("exercises:companion_manage", client.pk)
