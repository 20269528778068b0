"""Protections that apply to every page by themselves, so no view has to remember them."""

import math
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

# Session keys written by the session policy.
LOGIN_AT = "policy.login_at"
LAST_ACTIVE = "policy.last_active"
MFA_ENROLLED_AT = "policy.mfa_enrolled_at"


class NoStoreMiddleware:
    """Pages may carry client data: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


def idle_passive(view: Callable) -> Callable:
    """Mark a view whose requests do not count as the person being active (status polls)."""
    view.idle_passive = True
    return view


def idle_timeout_seconds(user) -> int:
    minutes = getattr(getattr(user, "clinic", None), "idle_timeout_minutes", None) or 15
    return int(minutes) * 60


def session_seconds_left(request: HttpRequest, now: float | None = None) -> int:
    """Seconds until the idle timeout or the absolute lifetime ends this sign-in."""
    now = time.time() if now is None else now
    session = request.session
    idle_left = session.get(LAST_ACTIVE, now) + idle_timeout_seconds(request.user) - now
    absolute_left = session.get(LOGIN_AT, now) + settings.SESSION_COOKIE_AGE - now
    return max(0, math.ceil(min(idle_left, absolute_left)))


def _counts_as_activity(request: HttpRequest) -> bool:
    # Background htmx GETs (progress polls) must not keep an unattended screen signed in.
    if getattr(request, "_idle_passive", False):
        return False
    return not (request.method == "GET" and request.headers.get("HX-Request") == "true")


def _signed_out_response(request: HttpRequest, reason: str) -> HttpResponse:
    logout(request)
    messages.info(request, reason)  # shown on the sign-in page, however the browser gets there
    login_url = reverse("account_login")
    if (
        request.headers.get("HX-Request") == "true"
        or request.headers.get("X-Autosave") == "1"
        or "application/json" in request.headers.get("Accept", "")
    ):
        response = JsonResponse({"error": reason, "login_url": login_url}, status=401)
        response["HX-Redirect"] = login_url
        return response
    return HttpResponseRedirect(login_url)


class SessionPolicyMiddleware:
    """Idle timeout (per clinic) and an absolute lifetime, enforced on the server.

    The browser's warning (static/js/idle_timeout.js) is a courtesy; this is the rule.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            session.setdefault(LOGIN_AT, now)
            session.setdefault(LAST_ACTIVE, now)
            if now - session[LOGIN_AT] >= settings.SESSION_COOKIE_AGE:
                return _signed_out_response(
                    request, "For privacy, sign-ins last a limited time. Please sign in again."
                )
            if now - session[LAST_ACTIVE] >= idle_timeout_seconds(user):
                return _signed_out_response(
                    request, "You were signed out after a period of inactivity, for privacy."
                )
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _counts_as_activity(request):
            now = time.time()
            # Written at most every few seconds: no session write on every request.
            if now - request.session.get(LAST_ACTIVE, 0) >= settings.SESSION_ACTIVITY_WRITE_SECONDS:
                request.session[LAST_ACTIVE] = now
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        request._idle_passive = getattr(view_func, "idle_passive", False)
        return None


def mfa_required_for(user) -> bool:
    """The clinic's rule; staff (the Django admin shows client names) follow the setting."""
    if getattr(user, "is_staff", False) and settings.MFA_REQUIRED_FOR_STAFF:
        return True
    clinic = getattr(user, "clinic", None)
    return bool(clinic is not None and clinic.mfa_required)


# Authenticator types that are a second factor (recovery codes are only a way back in).
SECOND_FACTOR_TYPES = ("totp", "webauthn")


def accepted_second_factors(user) -> tuple[str, ...]:
    """The authenticator types the user's clinic accepts (its settings page chooses)."""
    clinic = getattr(user, "clinic", None)
    return clinic.second_factor_types if clinic is not None else SECOND_FACTOR_TYPES


def has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    types = accepted_second_factors(user)
    return Authenticator.objects.filter(user=user, type__in=types).exists()


def session_passed_mfa(request: HttpRequest) -> bool:
    """True when this sign-in went through a second factor (or set one up just now)."""
    records = request.session.get("account_authentication_methods", [])
    return MFA_ENROLLED_AT in request.session or any(r.get("method") == "mfa" for r in records)


class MfaRequiredMiddleware:
    """Where the clinic requires MFA, a password alone reaches nothing but MFA set-up.

    A member without an authenticator app or passkey is sent to set one up; a session that
    signed in without the second factor (any path around allauth's login flow)
    is ended.
    """

    # Sign-in, MFA set-up, password change and sign-out live under accounts/.
    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/session/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and mfa_required_for(user)
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            if not has_second_factor(user):
                types = accepted_second_factors(user)
                if "totp" not in types:
                    messages.info(
                        request,
                        "Your clinic asks everyone to sign in with a passkey as a second "
                        "factor. Please add a passkey to continue.",
                    )
                    return HttpResponseRedirect(reverse("mfa_add_webauthn"))
                passkey_too = " (or add a passkey from Two-factor authentication)"
                messages.info(
                    request,
                    "Your clinic asks everyone to sign in with a second factor. Please set "
                    "up an authenticator app"
                    + (passkey_too if len(types) > 1 else "")
                    + " to continue.",
                )
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
            if not session_passed_mfa(request):
                return _signed_out_response(
                    request, "Please sign in again with your authenticator app."
                )
        return self.get_response(request)


class ClinicLocaleMiddleware:
    """Pages show times in the signed-in person's clinic's zone and dates in its format."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from attachment_app.dates import activate_clinic, deactivate_clinic

        user = getattr(request, "user", None)
        activate_clinic(getattr(user, "clinic", None) if user and user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            deactivate_clinic()
