"""The clinician's side of the companion: the client's account, and what is shared with them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from attachment_app.audit import audit
from clients.access import check_ins_for_care, companion_accounts_for_care, with_client
from clients.forms.companion import CompanionInviteForm
from clients.models import Client
from clients.services.companion import (
    CompanionInviteRefused,
    companion_access_set,
    companion_invitation_latest,
    companion_invitation_withdraw,
    companion_invite,
)
from exercises.forms.companion import CheckInScheduleForm, ShareForm
from exercises.models import (
    ClosenessRating,
    CompanionLetter,
    CompanionPractice,
    RelationshipMap,
    ReparentingLetter,
    SafeSpacePlan,
    SharedItem,
    SharedKind,
)
from exercises.selectors import clinic_scales
from exercises.services.checkins import check_in_acknowledge, check_in_cancel, check_in_schedule
from exercises.services.companion import (
    NothingToShare,
    practice_technique_choices,
    shared_item_share,
    shared_item_withdraw,
)
from exercises.views.common import Action


def _shareable(client: Client) -> list[dict]:
    """Each record that can be shared, with its current copy (if shared) beside it."""
    current = {
        (item.kind, item.source_id): item
        for item in SharedItem.objects.current().filter(client=client)
    }
    rows = []
    for kind, queryset in (
        (SharedKind.SAFE_SPACE, SafeSpacePlan.objects.filter(client=client)),
        (SharedKind.LETTER, ReparentingLetter.objects.filter(client=client)),
        (SharedKind.MAP_PEOPLE, RelationshipMap.objects.filter(client=client)),
    ):
        for source in queryset:
            rows.append(
                {
                    "kind": kind,
                    "kind_label": kind.label,
                    "source": source,
                    "shared": current.get((kind.value, source.pk)),
                }
            )
    return rows


def _client_entries(client: Client) -> dict:
    techniques = dict(practice_technique_choices())
    practices = list(CompanionPractice.objects.filter(client=client)[:50])
    for practice in practices:
        practice.technique_label = techniques.get(practice.technique, practice.technique)
    by_person: dict[str, dict] = {}
    for rating in ClosenessRating.objects.filter(client=client)[:200]:
        row = by_person.setdefault(rating.person_key, {"label": rating.person_label, "ratings": []})
        row["ratings"].append(rating)
    return {
        "closeness": list(by_person.values()),
        "practices": practices,
        "client_letters": CompanionLetter.objects.filter(client=client).select_related(
            "in_reply_to"
        )[:50],
    }


def manage_page(request: HttpRequest, client: Client, **context) -> HttpResponse:
    account = companion_accounts_for_care(request.user, client).select_related("user").first()
    invitation = companion_invitation_latest(client=client)
    # A closed record invites nobody and schedules nothing (the account may still be paused).
    writes = request.may_write
    context.setdefault(
        "invite_form",
        CompanionInviteForm(initial={"email": client.email}) if writes and not account else None,
    )
    context.setdefault(
        "checkin_form",
        CheckInScheduleForm(scales=clinic_scales(client.clinic_id)) if writes and account else None,
    )
    return render(
        request,
        "exercises/companion_manage.html",
        {
            "client": client,
            "account": account,
            "invitation": invitation if invitation and invitation.is_open else None,
            "shareable": _shareable(client),
            "check_ins": check_ins_for_care(request.user, client)[:30],
            **_client_entries(client),
            **context,
        },
        status=context.pop("status", 200),
    )


@with_client(care=True)
@require_http_methods(["GET"])
def companion_manage(request: HttpRequest, client: Client) -> HttpResponse:
    audit(request=request, action=Action.VIEW, client_id=client.pk, summary="Companion settings")
    return manage_page(request, client)


@with_client(care=True)
@require_POST
def companion_invite_view(request: HttpRequest, client: Client) -> HttpResponse:
    form = CompanionInviteForm(request.POST)
    if not form.is_valid():
        return manage_page(request, client, invite_form=form, status=400)
    try:
        invitation, link = companion_invite(
            by=request.user,
            client=client,
            email=form.cleaned_data["email"],
            site_url=request.build_absolute_uri("/"),
        )
    except CompanionInviteRefused as refusal:
        form.add_error(None, str(refusal))
        return manage_page(request, client, invite_form=form, status=400)
    audit(
        request=request,
        action=Action.CREATE,
        client_id=client.pk,
        obj=invitation,
        summary="Companion invitation sent",
    )
    # The link is shown this once (a POST's answer, never stored): to hand over in person.
    return manage_page(request, client, link=link, invite_form=None)


@with_client(care=True, while_discharged=True)
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


@with_client(care=True, while_discharged=True)
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


@with_client(care=True)
@require_POST
def companion_share_view(request: HttpRequest, client: Client) -> HttpResponse:
    """Share a copy of one record as it is now (or share its current version again)."""
    form = ShareForm(request.POST)
    try:
        if not form.is_valid():
            raise NothingToShare
        item = shared_item_share(
            by=request.user,
            client=client,
            kind=form.cleaned_data["kind"],
            source_id=form.cleaned_data["source_id"],
        )
    except NothingToShare:
        messages.error(request, "That record cannot be shared.")
        return redirect("exercises:companion_manage", client.pk)
    audit(
        request=request,
        action=Action.CREATE,
        client_id=client.pk,
        obj=item,
        summary=f"Shared with the client's companion: {item.get_kind_display()}",
    )
    messages.success(request, f"A copy of “{item.title}” is now in the client's companion.")
    return redirect("exercises:companion_manage", client.pk)


@with_client(care=True, while_discharged=True)
@require_POST
def companion_unshare_view(request: HttpRequest, client: Client, shared_id) -> HttpResponse:
    item = get_object_or_404(SharedItem.objects.current(), client=client, pk=shared_id)
    shared_item_withdraw(item=item)
    audit(
        request=request,
        action=Action.CHANGE,
        client_id=client.pk,
        obj=item,
        summary=f"Stopped sharing with the client's companion: {item.get_kind_display()}",
    )
    messages.success(request, f"“{item.title}” is no longer in the client's companion.")
    return redirect("exercises:companion_manage", client.pk)


@with_client(care=True)
@require_POST
def check_in_schedule_view(request: HttpRequest, client: Client) -> HttpResponse:
    form = CheckInScheduleForm(request.POST, scales=clinic_scales(client.clinic_id))
    if not form.is_valid():
        return manage_page(request, client, checkin_form=form, status=400)
    check_in = check_in_schedule(
        by=request.user, client=client, request=request, **form.cleaned_data
    )
    messages.success(request, f"{check_in.scale.name} is waiting in the client's companion.")
    return redirect("exercises:companion_manage", client.pk)


@with_client(care=True)
@require_POST
def check_in_acknowledge_view(request: HttpRequest, client: Client, check_in_id) -> HttpResponse:
    check_in = get_object_or_404(check_ins_for_care(request.user, client), pk=check_in_id)
    check_in_acknowledge(by=request.user, check_in=check_in, request=request)
    messages.success(request, f"Acknowledged: {client.display_name}'s check-in answer.")
    return redirect("clients:home")


@with_client(care=True, while_discharged=True)
@require_POST
def check_in_cancel_view(request: HttpRequest, client: Client, check_in_id) -> HttpResponse:
    """Take back a waiting check-in (the service audits it); the client no longer sees it."""
    check_in = get_object_or_404(check_ins_for_care(request.user, client), pk=check_in_id)
    if check_in_cancel(check_in=check_in, by=request.user, request=request):
        messages.success(
            request, f"{check_in.scale.name} is cancelled; the client no longer sees it."
        )
    else:
        messages.error(request, "That check-in was already answered or cancelled.")
    return redirect("exercises:companion_manage", client.pk)
