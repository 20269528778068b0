"""The client's companion pages: what their clinician shared, and their own entries.

Every page resolves the client from the signed-in account (clients.access.with_companion);
no client id is ever in a companion URL. The invitation page is the one public page.
"""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from attachment_app.audit import audit
from attachment_app.middleware import has_second_factor
from clients.access import with_companion, with_companion_check_in
from clients.forms.common import NewPasswordForm
from clients.forms.companion import CompanionBirthForm
from clients.models import Client
from clients.services.companion import (
    CompanionInvitationUnusable,
    companion_account_create,
    companion_invitation_check,
    companion_invitation_open,
)
from exercises.forms.companion import (
    CheckInAnswerForm,
    ClosenessForm,
    LetterDraftForm,
    LetterReplyForm,
    PracticeEntryForm,
)
from exercises.models import (
    CheckIn,
    ClosenessRating,
    CompanionLetter,
    SharedItem,
    SharedKind,
)
from exercises.selectors import companion_practice_entries
from exercises.services.checkins import CheckInClosed, check_in_complete
from exercises.services.companion import (
    closeness_rate,
    companion_letter_write,
    companion_practice_record,
)
from exercises.views.common import Action

# The invitation whose date of birth this browser confirmed (its id, never the token).
BIRTH_CONFIRMED = "companion_birth_confirmed"


def page(request: HttpRequest, template: str, client: Client | None, **context) -> HttpResponse:
    """A companion page: the clinic's crisis information is on every one."""
    status = context.pop("status", 200)
    nav = context.pop("nav", True)
    clinic = client.clinic if client is not None else None
    context |= {
        "companion_client": client if nav else None,
        "crisis_line": clinic.crisis_line if clinic else "",
    }
    return render(request, template, context, status=status)


def _shared(client: Client, kind: str | None = None):
    items = SharedItem.objects.current().filter(client=client)
    return items.filter(kind=kind) if kind else items


@with_companion
@require_http_methods(["GET"])
def home(request: HttpRequest, client: Client) -> HttpResponse:
    audit(request=request, action=Action.VIEW, client_id=client.pk, summary="Companion home")
    shared = list(_shared(client))
    return page(
        request,
        "exercises/companion/home.html",
        client,
        second_factor=has_second_factor(request.user),
        safe_spaces=[i for i in shared if i.kind == SharedKind.SAFE_SPACE],
        letters=[i for i in shared if i.kind == SharedKind.LETTER],
        maps=[i for i in shared if i.kind == SharedKind.MAP_PEOPLE],
        check_ins=CheckIn.objects.pending().filter(client=client).select_related("scale"),
    )


@with_companion
@require_http_methods(["GET"])
def safe_space(request: HttpRequest, client: Client) -> HttpResponse:
    audit(request=request, action=Action.VIEW, client_id=client.pk, summary="Companion safe space")
    return page(
        request,
        "exercises/companion/safe_space.html",
        client,
        cards=list(_shared(client, SharedKind.SAFE_SPACE)),
    )


@with_companion
@require_http_methods(["GET"])
def safe_space_now(request: HttpRequest, client: Client) -> HttpResponse:
    """The light page for a hard moment: the card, a few lines of text, no script."""
    audit(
        request=request,
        action=Action.VIEW,
        client_id=client.pk,
        summary="Companion safe space: use it now",
    )
    return page(
        request,
        "exercises/companion/safe_space_now.html",
        client,
        card=_shared(client, SharedKind.SAFE_SPACE).first(),
    )


def shared_item_form(item: SharedItem, data) -> LetterReplyForm | ClosenessForm | None:
    """What the client may write on a shared copy: a reply to a letter, ratings of a map's
    people; nothing on a safe-space card."""
    if item.kind == SharedKind.LETTER:
        return LetterReplyForm(data)
    if item.kind == SharedKind.MAP_PEOPLE:
        return ClosenessForm(data, people=item.content.get("people", []))
    return None


def shared_item_answer(request: HttpRequest, client: Client, item: SharedItem, form) -> str:
    """Save the client's reply or ratings (the services audit them); the thanks to show."""
    if item.kind == SharedKind.LETTER:
        companion_letter_write(
            by=request.user,
            client=client,
            body=form.cleaned_data["body"],
            in_reply_to=item,
            request=request,
        )
        return "Your reply is saved. Your clinician reads it next time."
    ratings = form.cleaned_data["ratings"]
    closeness_rate(by=request.user, client=client, item=item, ratings=ratings, request=request)
    return "Your ratings are saved. You can rate again whenever you like."


@with_companion
@require_http_methods(["GET", "POST"])
def shared_item(request: HttpRequest, client: Client, shared_id) -> HttpResponse:
    """One shared copy: a letter can be answered, the people of a map rated (the clinician
    reads both at the next visit)."""
    item = get_object_or_404(_shared(client), pk=shared_id)
    posted = request.method == "POST"
    form = shared_item_form(item, request.POST if posted else None)
    if posted and form is None:
        return redirect("companion:shared_item", item.pk)
    if posted and form.is_valid():
        messages.success(request, shared_item_answer(request, client, item, form))
        return redirect("companion:shared_item", item.pk)
    if not posted:
        audit(
            request=request,
            action=Action.VIEW,
            client_id=client.pk,
            obj=item,
            summary=f"Companion: {item.get_kind_display()}",
        )
    return page(
        request,
        "exercises/companion/shared_item.html",
        client,
        item=item,
        form=form,
        replies=CompanionLetter.objects.filter(client=client, in_reply_to=item),
        ratings=ClosenessRating.objects.filter(client=client, shared_item=item)[:60],
        status=400 if posted else 200,
    )


@with_companion
@require_http_methods(["GET", "POST"])
def practice_log(request: HttpRequest, client: Client) -> HttpResponse:
    form = PracticeEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        companion_practice_record(
            by=request.user, client=client, request=request, **form.cleaned_data
        )
        messages.success(request, "Your practice is recorded. Well done for taking the time.")
        return redirect("companion:practice_log")
    if request.method == "GET":
        audit(
            request=request,
            action=Action.VIEW,
            client_id=client.pk,
            summary="Companion practice log",
        )
    return page(
        request,
        "exercises/companion/practice_log.html",
        client,
        form=form,
        entries=companion_practice_entries(client),
        status=400 if request.method == "POST" else 200,
    )


@with_companion
@require_http_methods(["GET", "POST"])
def letters(request: HttpRequest, client: Client) -> HttpResponse:
    """A new letter draft of the client's own (not a reply); the clinician reads it next visit."""
    form = LetterDraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        companion_letter_write(
            by=request.user, client=client, body=form.cleaned_data["body"], request=request
        )
        messages.success(request, "Your letter is saved. Your clinician reads it next time.")
        return redirect("companion:letters")
    if request.method == "GET":
        audit(request=request, action=Action.VIEW, client_id=client.pk, summary="Companion letters")
    return page(
        request,
        "exercises/companion/letters.html",
        client,
        form=form,
        own_letters=CompanionLetter.objects.filter(client=client, in_reply_to__isnull=True)[:30],
        status=400 if request.method == "POST" else 200,
    )


@with_companion
@require_http_methods(["GET"])
def account(request: HttpRequest, client: Client) -> HttpResponse:
    return page(
        request,
        "exercises/companion/account.html",
        client,
        second_factor=has_second_factor(request.user),
    )


def _unusable(request: HttpRequest) -> HttpResponse:
    return page(
        request, "exercises/companion/welcome.html", None, unusable=True, status=404, nav=False
    )


def welcome_page(request: HttpRequest, invitation, form, step: str) -> HttpResponse:
    return page(
        request,
        "exercises/companion/welcome.html",
        invitation.client,
        form=form,
        step=step,
        invitation=invitation,
        nav=False,
    )


def welcome_birth(request: HttpRequest, token: str, invitation) -> HttpResponse:
    """The first step: the client's date of birth (a wrong one counts against the link)."""
    form = CompanionBirthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matches = companion_invitation_check(
                token=token, date_of_birth=form.cleaned_data["date_of_birth"], request=request
            )
        except CompanionInvitationUnusable:
            return _unusable(request)
        if matches:
            request.session[BIRTH_CONFIRMED] = str(invitation.pk)
            return redirect(request.path)
        form.add_error(
            "date_of_birth",
            "This is not the date we have. Please check it; after a few tries the link "
            "stops working and your clinician can send a new one.",
        )
    return welcome_page(request, invitation, form, "birth")


def welcome_password(request: HttpRequest, token: str, invitation) -> HttpResponse:
    """The second step: the client's password, which makes the account."""
    form = NewPasswordForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            companion_account_create(
                token=token, password=form.cleaned_data["password1"], request=request
            )
        except CompanionInvitationUnusable:
            return _unusable(request)
        request.session.pop(BIRTH_CONFIRMED, None)
        messages.success(request, "Your companion is ready. Please sign in.")
        return redirect("account_login")
    return welcome_page(request, invitation, form, "password")


@login_not_required
@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest, token: str) -> HttpResponse:
    """First use of the link: the date of birth, then a password (login_not_required)."""
    try:
        invitation = companion_invitation_open(token=token)
    except CompanionInvitationUnusable:
        return _unusable(request)
    if request.session.get(BIRTH_CONFIRMED) == str(invitation.pk):
        return welcome_password(request, token, invitation)
    return welcome_birth(request, token, invitation)


def check_in_save(request: HttpRequest, check_in: CheckIn, form: CheckInAnswerForm) -> None:
    """The client's answers (and the PHQ-9's unscored closing answer), saved once."""
    with contextlib.suppress(CheckInClosed):  # a second tap: the first answers stand
        check_in_complete(
            by=request.user,
            check_in=check_in,
            responses=form.responses(),
            difficulty=form.difficulty(),
            request=request,
        )


@with_companion_check_in
@require_http_methods(["GET", "POST"])
def check_in_answer(request: HttpRequest, client: Client, check_in: CheckIn) -> HttpResponse:
    """One pending check-in on the phone: radio buttons, every item answered, no script."""
    if check_in.completed_at is not None:
        return redirect("companion:check_in_done", check_in.pk)
    items = list(check_in.scale.items.all())
    form = CheckInAnswerForm(request.POST or None, scale=check_in.scale, items=items)
    if request.method == "POST" and form.is_valid():
        check_in_save(request, check_in, form)
        return redirect("companion:check_in_done", check_in.pk)
    if request.method == "GET":
        audit(
            request=request,
            action=Action.VIEW,
            client_id=client.pk,
            obj=check_in,
            summary="Companion check-in",
        )
    return page(
        request,
        "exercises/companion/check_in.html",
        client,
        check_in=check_in,
        scale=check_in.scale,
        form=form,
        status=400 if request.method == "POST" else 200,
    )


@with_companion_check_in
@require_http_methods(["GET"])
def check_in_done(request: HttpRequest, client: Client, check_in: CheckIn) -> HttpResponse:
    """The thank-you page: after a flagged answer, the clinic's crisis information first."""
    if check_in.completed_at is None:
        return redirect("companion:check_in", check_in.pk)
    return page(request, "exercises/companion/check_in_done.html", client, check_in=check_in)
