from allauth.account.signals import user_logged_in, user_logged_out
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from attachment_app.audit import audit_record
from attachment_app.models import AuditEvent, User


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action=AuditEvent.Action.LOGIN, request=request)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditEvent.Action.LOGOUT, request=request)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    email = str(credentials.get("email") or credentials.get("username") or "")[:254]
    user = User.objects.filter(email__iexact=email).first()
    audit_record(actor=user, action=AuditEvent.Action.LOGIN_FAILED, request=request, summary=email)


@receiver(user_locked_out)
def audit_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    user = User.objects.filter(email__iexact=username or "").first()
    audit_record(
        actor=user, action=AuditEvent.Action.LOCKED_OUT, request=request, summary=username or ""
    )
