import time

from allauth.account.signals import user_logged_in, user_logged_out
from allauth.core import context as allauth_context
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authentication_failed as mfa_authentication_failed
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in as django_user_logged_in
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from attachment_app.audit import audit
from attachment_app.middleware import (
    LAST_ACTIVE,
    LOGIN_AT,
    MFA_ENROLLED_AT,
    SECOND_FACTOR_TYPES,
)
from attachment_app.models import AuditEvent, User
from attachment_app.sessions import end_sessions_of


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs) -> None:
    audit(actor=user, action=AuditEvent.Action.LOGIN, request=request)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit(actor=user, action=AuditEvent.Action.LOGOUT, request=request)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    email = str(credentials.get("email") or credentials.get("username") or "")[:254]
    user = User.objects.filter(email__iexact=email).first()
    audit(actor=user, action=AuditEvent.Action.LOGIN_FAILED, request=request, summary=email)


@receiver(mfa_authentication_failed)
def audit_wrong_code(sender, request, user, authenticator, reauthentication, **kwargs) -> None:
    audit(
        actor=user,
        action=AuditEvent.Action.LOGIN_FAILED,
        request=request,
        summary="Wrong code when re-confirming" if reauthentication else "Wrong sign-in code",
    )


@receiver(user_locked_out)
def audit_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    user = User.objects.filter(email__iexact=username or "").first()
    audit(actor=user, action=AuditEvent.Action.LOCKED_OUT, request=request, summary=username or "")


@receiver(post_save, sender=Authenticator)
def note_mfa_enrolment(sender, instance: Authenticator, created: bool, **kwargs) -> None:
    # Setting up the authenticator app or a passkey in this session counts as its second
    # factor.
    # (allauth's own signal fires on commit, after the session is saved: too late.)
    request = getattr(allauth_context, "request", None)
    if (
        created
        and instance.type in SECOND_FACTOR_TYPES
        and request is not None
        and hasattr(request, "session")
        and getattr(request.user, "pk", None) == instance.user_id
    ):
        request.session[MFA_ENROLLED_AT] = time.time()


@receiver(django_user_logged_in)
def start_session_clock(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT] = now
        request.session[LAST_ACTIVE] = now


@receiver(pre_save, sender=User)
def end_sessions_of_deactivated_user(sender, instance: User, **kwargs) -> None:
    was_active = User.objects.filter(pk=instance.pk, is_active=True)
    if instance.pk and not instance.is_active and was_active.exists():
        end_sessions_of(instance)
