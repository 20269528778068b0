"""allauth's sign-in code step, saying plainly when too many wrong codes have locked it."""

import time
from datetime import UTC, datetime

from allauth.core import context
from allauth.core.internal import ratelimit
from allauth.mfa.base.forms import AuthenticateForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import time_format

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User


def code_step_locked_until(request: HttpRequest, user: User) -> float | None:
    """When this account's code step opens again (a Unix time), or None if it is open.

    allauth counts wrong codes under its "login_failed" limits (ACCOUNT_RATE_LIMITS),
    keyed by the account (and by address): read the same counters back.
    """
    now = time.time()
    until = None
    key = f"mfa-auth-user-{user.pk}"  # allauth.mfa.base.internal.flows.check_rate_limit
    for rate in ratelimit.get_rates(app="allauth.account", action="login_failed"):
        cache_key = ratelimit.get_cache_key(
            request, app="allauth.account", action="login_failed", rate=rate, key=key
        )
        history = [at for at in cache.get(cache_key, []) if at > now - rate.duration]
        if len(history) >= rate.amount:
            opens_at = min(history) + rate.duration
            until = opens_at if until is None else max(until, opens_at)
    return until


def code_step_locked_message(until: float) -> str:
    at = timezone.localtime(datetime.fromtimestamp(until, tz=UTC))
    minutes = max(1, round((until - time.time()) / 60))
    return (
        "Too many wrong codes were entered for this account, so signing in with a code "
        f"is paused on every device until {time_format(at, 'H:i T')} "
        f"(about {minutes} minute{'s' if minutes != 1 else ''}). "
        "If that was not you, someone may know your password: change it, and tell "
        "your clinic's administrator."
    )


class SecondFactorForm(AuthenticateForm):
    """The code step at sign-in (MFA_FORMS["authenticate"])."""

    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except ValidationError as error:
            request = context.request
            until = code_step_locked_until(request, self.user)
            if until is None:
                raise
            if error.code != "too_many_login_attempts":
                # This wrong code is the one that locked the step: record it once.
                audit(
                    actor=self.user,
                    action=AuditEvent.Action.LOCKED_OUT,
                    request=request,
                    summary="Sign-in code step locked after repeated wrong codes",
                )
            message = code_step_locked_message(until)
            raise ValidationError(message, code="code_step_locked") from None
