"""The client page's Documents panel: what can be exported, and what was lately."""

from django import template
from django.utils.functional import SimpleLazyObject

from attachment_app import freshness
from clients.exports.forms import ClientExportForm
from clients.exports.registry import SESSION_SUMMARY, documents, label_for
from clients.models import Client, ExportJob

register = template.Library()


def _sessions(form: ClientExportForm) -> list[tuple]:
    # Plain values, kept until the records change: a client of years has hundreds of sessions.
    sessions = form.fields["session"].queryset.values_list("pk", "date")
    return [(pk, f"Session on {date:%Y-%m-%d}") for pk, date in sessions]


@register.inclusion_tag("clients/exports/_panel.html", takes_context=True)
def client_exports_panel(context, client: Client) -> dict:
    request = context["request"]
    # Kept like the forms: every change of a job's status renews the records' token.
    jobs = freshness.kept(
        f"export-jobs:{request.user.pk}:{client.pk}",
        lambda: list(ExportJob.objects.filter(client=client).select_related("requested_by")[:5]),
    )
    form = SimpleLazyObject(
        lambda: ClientExportForm(
            client=client, user=request.user, initial={"kind": SESSION_SUMMARY}
        )
    )
    return {
        "client": client,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "records_token": freshness.token(),
        "kept_seconds": freshness.KEPT_SECONDS,
        "one_click": [d for d in documents("client") if d.one_click],
        "form": form,
        # Read only when the kept forms are drawn afresh (the template's {% cache %}).
        "session_options": SimpleLazyObject(
            lambda: freshness.kept(f"export-sessions:{client.pk}", lambda: _sessions(form))
        ),
        "jobs": [(job, label_for(job.kind)) for job in jobs],
    }
