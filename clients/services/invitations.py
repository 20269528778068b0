"""Inviting a therapist: the same answer whether or not the address has an account.

The account is created when the invitee accepts and chooses a password, in the
inviting clinic. An address that already has an account anywhere gets a neutral
e-mail without a link; the admin sees the same pending invitation either way.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from attachment_app.models import User
from clients.models import TherapistInvitation
from clients.models.invitations import token_digest

SUBJECT = "An invitation to Attachment Therapy"


class InvitationUnusable(Exception):
    """The link is unknown, used, expired, or its address has an account by now."""


def _send(*, email: str, template: str, context: dict) -> None:
    send_mail(
        SUBJECT,
        render_to_string(template, context),
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )


@transaction.atomic
def therapist_invite(
    *,
    by: User,
    email: str,
    full_name: str,
    credentials: str = "",
    capacity: int = 25,
    is_clinic_admin: bool = False,
    site_url: str,
) -> TherapistInvitation:
    email = email.strip().lower()
    token = TherapistInvitation.new_token()
    invitation = TherapistInvitation.objects.create(
        clinic_id=by.clinic_id,
        email=email,
        full_name=full_name,
        credentials=credentials,
        caseload_capacity=capacity,
        is_clinic_admin=is_clinic_admin,
        invited_by=by,
        token_digest=token_digest(token),
        expires_at=TherapistInvitation.expiry_from(),
    )
    if User.objects.filter(email__iexact=email).exists():
        template, context = "clients/email/invitation_existing.txt", {}
    else:
        link = site_url.rstrip("/") + reverse("clients:invitation_accept", args=[token])
        template = "clients/email/invitation.txt"
        context = {"invitation": invitation, "link": link, "clinic": by.clinic}
    transaction.on_commit(lambda: _send(email=email, template=template, context=context))
    return invitation


def invitation_open(*, token: str) -> TherapistInvitation:
    invitation = TherapistInvitation.objects.filter(token_digest=token_digest(token)).first()
    if invitation is None or not invitation.is_open:
        raise InvitationUnusable
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationUnusable
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """The therapist's account, in the inviting clinic, with the password they chose."""
    invitation = invitation_open(token=token)
    invitation = TherapistInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise InvitationUnusable
    try:
        with transaction.atomic():
            account = User.objects.create_user(
                email=invitation.email,
                password=password,
                full_name=invitation.full_name,
                credentials=invitation.credentials,
                clinic_id=invitation.clinic_id,
                is_therapist=True,
                is_clinic_admin=invitation.is_clinic_admin,
                caseload_capacity=invitation.caseload_capacity,
            )
    except IntegrityError as exc:  # the address was taken in the meantime
        raise InvitationUnusable from exc
    invitation.accepted_at = timezone.now()
    invitation.account = account
    invitation.save(update_fields=["accepted_at", "account"])
    return account


def invitations_pending(*, clinic_id: int):
    return TherapistInvitation.objects.filter(clinic_id=clinic_id, accepted_at__isnull=True)
