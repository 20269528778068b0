"""The clinic admin's caseload: loads, what needs attention, the client list, bulk actions, CSV."""

from django.contrib import messages
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attachment_app import freshness
from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from attachment_app.permissions import clinic_admin_required
from clients.charts.capacity import load_figures
from clients.exports.spreadsheet import caseload_csv_lines
from clients.forms.caseload import AlertSettingsForm, BulkActionForm, CaseloadFilterForm
from clients.forms.common import ask_to_confirm
from clients.models import Client
from clients.selectors.caseload import (
    DEFAULT_SORT,
    SORT_LABELS,
    Attention,
    attention_for,
    attention_panels,
    client_list,
    parse_sort,
    therapist_loads_kept,
)
from clients.selectors.releases import release_clock_kept
from clients.services.caseload import (
    CapacityExceeded,
    clients_bulk_act,
)

PAGE_SIZE = 25
ATTENTION_PANELS = [
    "waitlist",
    "unassigned",
    "first_session",
    "no_session",
    "reviews",
    "no_consent",
    "no_telehealth_consent",
]


def _filters(request: HttpRequest, loads) -> tuple[CaseloadFilterForm, dict[str, str]]:
    form = CaseloadFilterForm(request.GET, therapists=loads)
    filters = form.filters()
    filters["sort"] = filters.get("sort") or DEFAULT_SORT
    return form, filters


def _sort_headers(current: str) -> list[dict]:
    """Column headers: the link toggles direction; aria-sort tells where the list stands."""
    headers = []
    for key, label in SORT_LABELS.items():
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        headers.append(
            {
                "key": key,
                "label": label,
                "next": f"-{key}" if active and not descending else key,
                "aria": ("descending" if descending else "ascending") if active else "",
            }
        )
    return headers


def _sorting(sort: str) -> dict:
    """The column headers and the words for the list's order."""
    key, descending = parse_sort(sort)
    label = f"{SORT_LABELS[key]}, {'descending' if descending else 'ascending'}"
    return {"headers": _sort_headers(sort), "sort_label": label}


def _page(request: HttpRequest, attention: Attention, filters: dict) -> tuple[Page, int]:
    # A separate count: a window count joins every row.
    return freshness.kept_page(
        f"caseload:{request.user.pk}:{attention.today}:{request.GET.urlencode()}",
        lambda: client_list(request.user, attention, **filters),
        PAGE_SIZE,
        request.GET.get("page"),
    )


@clinic_admin_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    user = request.user
    attention = attention_for(user)
    loads = therapist_loads_kept(user)
    form, filters = _filters(request, loads)
    page, number = _page(request, attention, filters)
    audit(
        actor=user,
        action=AuditEvent.Action.VIEW,
        request=request,
        summary=f"Caseload list, page {number}",
    )
    context = {
        "loads": loads,
        "form": form,
        "filters": filters,
        "filtered": any(filters.get(k) for k in ["q", "status", "therapist", "needs"]),
        "page": page,
        # Read only when the kept panels are drawn afresh (the template's {% cache %}).
        "panels": SimpleLazyObject(lambda: attention_panels(user, attention, ATTENTION_PANELS)),
        "records_token": freshness.token(),
        "kept_seconds": freshness.KEPT_SECONDS,
        "attention": attention,
        "statuses": Client.Status.choices,
        "today": attention.today,
        "query": request.GET.urlencode(),
    }
    context |= _sorting(filters["sort"]) | release_clock_kept(user)
    filter_url = reverse("clients:caseload")
    context |= load_figures(loads, selected=filters["therapist"], filter_url=filter_url)
    return render(request, "clients/caseload.html", context)


@clinic_admin_required
@require_GET
def caseload_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered caseload as CSV: demographics and assignment only, never clinical content."""
    user = request.user
    attention = attention_for(user)
    loads = therapist_loads_kept(user)
    _, filters = _filters(request, loads)
    clients = client_list(user, attention, **filters)
    total = clients.count()
    audit(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        request=request,
        summary=f"Caseload CSV, {total} clients",
    )
    response = StreamingHttpResponse(
        caseload_csv_lines(clients), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="caseload-{stamp}.csv"'
    return response


def _back_to_caseload(query: str) -> str:
    # Re-encoded from a parsed QueryDict: only a query string, never another address.
    clean = QueryDict(query or "").urlencode()
    return reverse("clients:caseload") + (f"?{clean}" if clean else "")


@clinic_admin_required
@require_POST
def caseload_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkActionForm(request.POST, user=request.user)
    query = request.POST.get("return_query", "")
    over = None
    if form.is_valid():
        try:
            message = clients_bulk_act(**form.action_kwargs(), by=request.user, request=request)
        except CapacityExceeded as exc:
            over = exc.load
            form = ask_to_confirm(BulkActionForm, request, exc, user=request.user)
        else:
            messages.success(request, message)
            return redirect(_back_to_caseload(query))
    context = {"form": form, "over": over, "chosen": form.chosen(), "return_query": query}
    return render(
        request, "clients/caseload_bulk.html", context | {"back": _back_to_caseload(query)}
    )


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def caseload_alerts(request: HttpRequest) -> HttpResponse:
    """The clinic's "no session for N days" window."""
    clinic = request.user.clinic
    form = AlertSettingsForm(request.POST or None, instance=clinic)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit(
            action=AuditEvent.Action.CHANGE,
            request=request,
            obj=clinic,
            summary=f"No-session alert set to {clinic.no_session_alert_days} days",
        )
        messages.success(request, "The alert window was saved.")
        return redirect("clients:caseload")
    return render(request, "clients/caseload_alerts.html", {"form": form})
