"""The clinic admin's caseload: loads, what needs attention, the client list, bulk actions, CSV."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from attachment_app.permissions import clinic_admin_required
from clients.charts.capacity import load_chart, load_table, therapist_options
from clients.exports.spreadsheet import caseload_csv_lines
from clients.forms.caseload import AlertSettingsForm, BulkActionForm, CaseloadFilterForm
from clients.forms.common import ask_to_confirm, confirmed_for
from clients.models import Client
from clients.selectors.caseload import (
    DEFAULT_SORT,
    SORT_LABELS,
    attention_for,
    attention_panel,
    client_list,
    parse_sort,
    therapist_loads,
)
from clients.services.caseload import (
    CapacityExceeded,
    clients_bulk_assign,
    clients_bulk_change_status,
)

PAGE_SIZE = 25


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


def _sort_label(sort: str) -> str:
    key, descending = parse_sort(sort)
    return f"{SORT_LABELS[key]}, {'descending' if descending else 'ascending'}"


@clinic_admin_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    user = request.user
    attention = attention_for(user)
    loads = therapist_loads(user)
    form, filters = _filters(request, loads)
    # A separate count: a window count here would make PostgreSQL join every row.
    page = Paginator(client_list(user, attention, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    panels = [
        attention_panel(user, attention, name)
        for name in [
            "waitlist",
            "unassigned",
            "first_session",
            "no_session",
            "reviews",
            "no_consent",
        ]
    ]
    audit(
        actor=user,
        action=AuditEvent.Action.VIEW,
        request=request,
        summary=f"Caseload list, page {page.number}",
    )
    return render(
        request,
        "clients/caseload.html",
        {
            "loads": loads,
            "chart": load_chart(loads),
            "load_table": load_table(loads, filter_url=reverse("clients:caseload")),
            "filter_options": therapist_options(loads, selected=filters["therapist"]),
            "bulk_options": therapist_options(loads),
            "form": form,
            "filters": filters,
            "filtered": any(filters.get(k) for k in ["q", "status", "therapist", "needs"]),
            "page": page,
            "headers": _sort_headers(filters["sort"]),
            "sort_label": _sort_label(filters["sort"]),
            "panels": panels,
            "attention": attention,
            "statuses": Client.Status.choices,
            "today": attention.today,
            "query": request.GET.urlencode(),
        },
    )


@clinic_admin_required
@require_GET
def caseload_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered caseload as CSV: demographics and assignment only, never clinical content."""
    user = request.user
    attention = attention_for(user)
    loads = therapist_loads(user)
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
    user = request.user
    form = BulkActionForm(request.POST, user=user)
    query = request.POST.get("return_query", "")
    over = None
    if form.is_valid():
        data = form.cleaned_data
        clients = list(data["clients"])
        if data["action"] == BulkActionForm.ASSIGN:
            therapist = data["therapist"]
            try:
                done = clients_bulk_assign(
                    clients=clients,
                    therapist=therapist,
                    by=user,
                    reason=data["reason"],
                    allow_over_capacity=confirmed_for(form, therapist),
                )
            except CapacityExceeded as exc:
                over = exc.load
                form = ask_to_confirm(BulkActionForm, request, exc, user=user)
            else:
                for client in clients:
                    audit(
                        actor=user,
                        action=AuditEvent.Action.ASSIGN,
                        request=request,
                        client_id=client.pk,
                        obj=client,
                        summary=f"Assigned to {therapist} (bulk)",
                    )
                messages.success(request, f"{done} clients assigned to {therapist}.")
                return redirect(_back_to_caseload(query))
        else:
            status = data["status"]
            done = clients_bulk_change_status(
                clients=clients, status=status, by=user, reason=data["reason"]
            )
            label = dict(Client.Status.choices)[status]
            for client in clients:
                audit(
                    actor=user,
                    action=AuditEvent.Action.CHANGE,
                    request=request,
                    client_id=client.pk,
                    obj=client,
                    summary=f"Status → {label} (bulk)",
                )
            messages.success(request, f"{done} clients moved to {label}.")
            return redirect(_back_to_caseload(query))
    chosen = form.cleaned_data.get("clients") if hasattr(form, "cleaned_data") else None
    return render(
        request,
        "clients/caseload_bulk.html",
        {
            "form": form,
            "over": over,
            "chosen": list(chosen or []),
            "back": _back_to_caseload(query),
            "return_query": query,
        },
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
