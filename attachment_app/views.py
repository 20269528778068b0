import sys

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.http import require_GET, require_POST

from attachment_app.audit import audit
from attachment_app.middleware import idle_passive, idle_timeout_seconds, session_seconds_left
from attachment_app.models import AuditEvent
from attachment_app.services import broker_state, database_state
from attachment_app.sessions import end_sessions_of


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    states = {"database": database_state(), "broker": broker_state()}
    healthy = all(state in {"ok", "disabled"} for state in states.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", **states}, status=200 if healthy else 503
    )


@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """The cheapest signed-in page: the floor the benchmarks compare pages to."""
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def session_keepalive(request: HttpRequest) -> JsonResponse:
    """ "Keep me signed in": the POST itself counts as activity (SessionPolicyMiddleware)."""
    return JsonResponse({"seconds_left": idle_timeout_seconds(request.user)})


@idle_passive
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How long this sign-in has left; asking does not count as activity."""
    return JsonResponse({"seconds_left": session_seconds_left(request)})


@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every sign-in of this person on every device: a choice made on the sessions
    page (a lost phone, a shared computer), never a side effect of one browser's sign-out."""
    ended = end_sessions_of(request.user)
    audit(
        request=request, action=AuditEvent.Action.LOGOUT, summary=f"Signed out everywhere ({ended})"
    )
    logout(request)
    messages.info(request, "You were signed out on every device.")
    return redirect("account_login")


def _error_page(request, template: str, status: int) -> HttpResponse:
    try:
        return render(request, template, status=status)
    except Exception:  # the layout itself failed: fall back to a plain page
        return HttpResponse(loader.get_template("500.html").render(), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return _error_page(request, "413.html", 413)
    return _error_page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors, no database: whatever broke must not break this page too.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        # The database is restarting or unreachable: say so, and when to try again.
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
