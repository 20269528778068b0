"""The client's companion account: invited by the clinician, made by the client.

The link works once and for COMPANION_INVITATION_HOURS; on first use the client
confirms their date of birth (COMPANION_DOB_ATTEMPTS wrong answers close the link),
then chooses a password. The account is a user of the client's clinic with no staff
role, linked to that one client; a new invitation withdraws any earlier open one.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from attachment_app.sessions import end_sessions_of
from clients.models import Client, ClientAccount, CompanionInvitation, TherapistInvitation
from clients.models.invitations import token_digest

SUBJECT = "Your companion for the work between sessions"


class CompanionInvitationUnusable(Exception):
    """The link is unknown, used, withdrawn, expired, or its address has an account by now."""


class CompanionInviteRefused(Exception):
    """Why this client cannot be invited now (shown beside the form)."""


def _send(*, email: str, context: dict) -> None:
    send_mail(
        SUBJECT,
        render_to_string("clients/email/companion_invitation.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )


@transaction.atomic
def companion_invite(
    *, by: User, client: Client, email: str, site_url: str
) -> tuple[CompanionInvitation, str]:
    """A new single-use link for the client (returned once, with the invitation)."""
    if ClientAccount.objects.filter(client=client).exists():
        raise CompanionInviteRefused("This client already has a companion account.")
    if client.date_of_birth is None:
        raise CompanionInviteRefused(
            "Add the client's date of birth to their record first: the link asks for it."
        )
    email = email.strip().lower()
    now = timezone.now()
    CompanionInvitation.objects.filter(
        client=client, used_at__isnull=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    token = TherapistInvitation.new_token()
    invitation = CompanionInvitation.objects.create(
        client=client,
        email=email,
        invited_by=by,
        token_digest=token_digest(token),
        created_at=now,
        expires_at=CompanionInvitation.expiry_from(now),
    )
    link = site_url.rstrip("/") + reverse("companion:welcome", args=[token])
    if not User.objects.filter(email__iexact=email).exists():
        context = {"invitation": invitation, "link": link, "clinic": client.clinic}
        transaction.on_commit(lambda: _send(email=email, context=context))
    return invitation, link


def companion_invitation_open(*, token: str) -> CompanionInvitation:
    invitation = (
        CompanionInvitation.objects.select_related("client__clinic")
        .filter(token_digest=token_digest(token))
        .first()
    )
    if invitation is None or not invitation.is_open:
        raise CompanionInvitationUnusable
    if ClientAccount.objects.filter(client_id=invitation.client_id).exists():
        raise CompanionInvitationUnusable
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise CompanionInvitationUnusable
    return invitation


@transaction.atomic
def companion_invitation_check(
    *, token: str, date_of_birth: datetime.date, request: HttpRequest | None = None
) -> bool:
    """Whether the date of birth matches the client's; a wrong one counts against the link
    (and, when someone typed it (a request), is audited as a failed sign-in)."""
    invitation = companion_invitation_open(token=token)
    invitation = CompanionInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise CompanionInvitationUnusable
    if invitation.client.date_of_birth == date_of_birth:
        return True
    invitation.failed_checks += 1
    invitation.save(update_fields=["failed_checks"])
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.LOGIN_FAILED,
            client_id=invitation.client_id,
            obj=invitation,
            summary="Companion invitation: date of birth did not match",
            clinic_id=invitation.client.clinic_id,
        )
    return False


@transaction.atomic
def companion_account_create(
    *, token: str, password: str, request: HttpRequest | None = None
) -> ClientAccount:
    """The client's account, with the password they chose; the link is used up. Audited,
    as the new account's own act, when the client makes it (a request)."""
    invitation = companion_invitation_open(token=token)
    invitation = (
        CompanionInvitation.objects.select_for_update()
        .select_related("client")
        .get(pk=invitation.pk)
    )
    if not invitation.is_open:
        raise CompanionInvitationUnusable
    client = invitation.client
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                full_name=client.preferred_name or client.legal_first_name,
                clinic_id=client.clinic_id,
                is_therapist=False,
                is_clinic_admin=False,
            )
            account = ClientAccount.objects.create(
                client=client, user=user, invited_by=invitation.invited_by
            )
    except IntegrityError as exc:  # the address or the client was taken in the meantime
        raise CompanionInvitationUnusable from exc
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    if request is not None:
        audit(
            request=request,
            actor=user,
            action=AuditEvent.Action.CREATE,
            client_id=client.pk,
            obj=account,
            summary="Companion account created from an invitation",
        )
    return account


@transaction.atomic
def companion_invitation_withdraw(*, client: Client) -> int:
    return CompanionInvitation.objects.filter(
        client=client, used_at__isnull=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())


@transaction.atomic
def companion_access_set(*, account: ClientAccount, active: bool) -> None:
    """Pause or restore the client's sign-in; pausing ends their sessions at once."""
    user = account.user
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        end_sessions_of(user)


def companion_invitation_latest(*, client: Client) -> CompanionInvitation | None:
    return CompanionInvitation.objects.filter(client=client).first()
