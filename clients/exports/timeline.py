"""The client timeline's "Exports" source: each document asked for, newest first."""

from clients.exports.registry import label_for
from clients.models import Client, ExportJob
from clients.timeline import TimelineEntry, register_timeline_source


def export_entries(client: Client) -> list[TimelineEntry]:
    jobs = ExportJob.objects.filter(client=client).select_related("requested_by")[:200]
    return [
        TimelineEntry(
            kind="exports",
            when=job.requested_at,
            title=f"{label_for(job.kind)} exported",
            url=job.get_absolute_url(),
            detail=f"Asked for by {job.requested_by.full_name}; {job.get_status_display().lower()}",
        )
        for job in jobs
    ]


def register_exports_timeline() -> None:
    register_timeline_source(kind="exports", label="Exports", entries=export_entries)
