from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import PermissionDenied

from attachment_app.clientip import client_address
from attachment_app.fields import decrypt, encrypt

PASSWORD_RATE_LIMITS = {"login_failed": "10/m/ip"}


class AccountAdapter(DefaultAccountAdapter):
    """Clinic admins create accounts; nobody signs themselves up."""

    def pre_authenticate(self, request, **credentials) -> None:
        # The password step keeps allauth's per-address limit only: axes already locks
        # an account at one address, and a per-account pause here would let anyone who
        # knows a colleague's e-mail keep them out. ACCOUNT_RATE_LIMITS' per-account part
        # is for the code step, where the password is already known.
        self._login_failed_rl_usage = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed",
            config=PASSWORD_RATE_LIMITS,
            key=self._get_login_attempts_cache_key(request, **credentials),
        )
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")

    def is_open_for_signup(self, request) -> bool:
        return False

    def get_client_ip(self, request) -> str:
        # The same reading as the lockout and the audit trail (attachment_app.clientip).
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address


class MFAAdapter(DefaultMFAAdapter):
    """Authenticator secrets encrypted with the field keys; no opting out where required."""

    def encrypt(self, text: str) -> str:
        return encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator) -> bool:
        from allauth.mfa.models import Authenticator

        from attachment_app.middleware import accepted_second_factors, mfa_required_for

        # Where the clinic requires a second factor, the last accepted app or passkey stays.
        accepted = accepted_second_factors(authenticator.user)
        if authenticator.type in accepted and mfa_required_for(authenticator.user):
            others = Authenticator.objects.filter(
                user_id=authenticator.user_id, type__in=accepted
            ).exclude(pk=authenticator.pk)
            if not others.exists():
                return False
        return super().can_delete_authenticator(authenticator)
