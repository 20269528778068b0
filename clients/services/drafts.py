"""Deleting a draft, undoing that for a short while, and purging what was not undone.

The rows are deleted at once (with everything that cascades from them), so no list, chart,
export or release ever has to skip a deleted draft. Their serialized copy, and the links
the deletion set to null, wait in a `DeletedDraft` for `DRAFT_UNDO_MINUTES`; undo writes
them back as they were. Signed work is refused before anything is collected.
"""

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, models, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from clients.drafts import DraftKind, draft_kind
from clients.models import DeletedDraft


def draft_refusal(*, kind: DraftKind, obj: models.Model, by: User) -> str:
    """Why `by` may not delete `obj` now, in words for them; "" when they may."""
    if kind.author_id(obj) != by.pk:
        return f"Only the author of this {kind.noun} can delete it."
    return kind.refusal(obj)


@transaction.atomic
def draft_delete(
    *, kind: DraftKind, obj: models.Model, by: User, request: HttpRequest | None = None
) -> DeletedDraft:
    # Locked first: a draft signed in another tab a moment ago is refused, not deleted.
    obj = kind.model._base_manager.select_for_update().get(pk=obj.pk)
    refusal = draft_refusal(kind=kind, obj=obj, by=by)
    if refusal:
        raise ValidationError(refusal)
    collector = Collector(using=DEFAULT_DB_ALIAS, origin=obj)
    try:
        collector.collect([obj])
    except (ProtectedError, RestrictedError) as exc:
        raise ValidationError(
            f"This {kind.noun} is referred to elsewhere in the record, so it is kept."
        ) from exc
    rows, links = _copy(collector)
    client_id = kind.client_id(obj)
    deleted = DeletedDraft.objects.create(
        client_id=client_id,
        kind=kind.key,
        object_id=obj.pk,
        label=kind.label(obj),
        deleted_by=by,
        rows=rows,
        links=links,
    )
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.DELETE,
            client_id=client_id,
            obj=obj,
            summary=f"{deleted.label} deleted (undo possible for "
            f"{settings.DRAFT_UNDO_MINUTES} minutes)",
        )
    collector.delete()
    return deleted


def _copy(collector: Collector) -> tuple[str, list]:
    """The collected rows in an order they can be written back in (a row after the rows
    it points to), and the links to them that the deletion will set to null."""
    collector.sort()  # the order of deletion: rows that point to others come first
    instances = [obj for objs in reversed(list(collector.data.values())) for obj in objs]
    # Fast deletes are rows nothing else points to: written back last.
    instances += [obj for rows in collector.fast_deletes for obj in rows]
    rows = serializers.serialize("json", instances)
    links = []
    for (fk, _value), querysets in collector.field_updates.items():
        for linked in querysets:
            for row in linked:
                links.append(
                    {
                        "model": row._meta.label,
                        "pk": str(row.pk),
                        "field": fk.attname,
                        "value": str(getattr(row, fk.attname)),
                    }
                )
    return rows, links


@transaction.atomic
def draft_restore(
    *, deleted: DeletedDraft, by: User, request: HttpRequest | None = None
) -> models.Model:
    """The deleted draft back as it was, with what pointed to it; the copy goes."""
    deleted = DeletedDraft.objects.select_for_update().filter(pk=deleted.pk).first()
    if deleted is None:
        raise ValidationError("This draft has already been restored.")
    if deleted.deleted_by_id != by.pk:
        raise ValidationError("Only the person who deleted a draft can undo it.")
    if timezone.now() > deleted.undo_until:
        raise ValidationError("The time to undo this has passed, and the draft is gone.")
    kind = draft_kind(deleted.kind)
    try:
        with transaction.atomic():
            for row in serializers.deserialize("json", deleted.rows):
                row.save(save_m2m=False)  # the link rows themselves are among the rows
            for link in deleted.links:
                model = apps.get_model(link["model"])
                model._base_manager.filter(pk=link["pk"], **{link["field"]: None}).update(
                    **{link["field"]: link["value"]}
                )
    except IntegrityError as exc:
        raise ValidationError(
            f"This {kind.noun} cannot come back: something new has taken its place."
        ) from exc
    obj = kind.model._base_manager.get(pk=deleted.object_id)
    kind.after_restore(obj)
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CHANGE,
            client_id=deleted.client_id,
            obj=obj,
            summary=f"{deleted.label} restored (deletion undone)",
        )
    deleted.delete()
    return obj


def deleted_drafts_purge(*, now: dt.datetime | None = None) -> int:
    """Drop the copies whose undo time has passed. Safe to run twice, or twice at once."""
    cutoff = (now or timezone.now()) - timezone.timedelta(minutes=settings.DRAFT_UNDO_MINUTES)
    count, _ = DeletedDraft.objects.filter(deleted_at__lt=cutoff).delete()
    return count
