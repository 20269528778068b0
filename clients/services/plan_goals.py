"""Editing a draft's goals together: texts, removals, one new goal and one move at a time."""

from django.db import transaction
from django.http import HttpRequest

from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from clients.models import PlanGoal, PlanRevision, SignedRecordLocked


@transaction.atomic
def goals_save(
    *,
    revision: PlanRevision,
    texts: dict[str, str],
    remove: set[str],
    add: str = "",
    move: tuple[str, int] | None = None,
    request: HttpRequest | None = None,
) -> list[PlanGoal]:
    """Apply the edits of the goals page in one transaction and number the goals 1..n.

    texts maps a goal's id to its text; remove holds ids to drop; add is a new goal's text
    (empty for none); move is (goal id, -1 for up or +1 for down). Returns the goals in
    their new order. Audited when a person edits them (a request)."""
    locked = PlanRevision.objects.select_for_update().get(pk=revision.pk)
    if locked.status == PlanRevision.Status.SIGNED:
        raise SignedRecordLocked("A signed revision cannot be changed; revise the plan instead")
    goals, removed = [], []
    for goal in revision.goals.order_by("order", "text"):
        (removed if str(goal.pk) in remove else goals).append(goal)
    for goal in removed:
        goal.delete()
    for goal in goals:
        text = texts.get(str(goal.pk))
        if text is not None:
            goal.text = text
    if add:
        goals.append(PlanGoal(revision=revision, text=add))
    if move is not None:
        ids = [str(g.pk) for g in goals]
        if move[0] in ids:
            i = ids.index(move[0])
            j = i + move[1]
            if 0 <= j < len(goals):
                goals[i], goals[j] = goals[j], goals[i]
    for number, goal in enumerate(goals, start=1):
        goal.order = number
        goal.save()
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CHANGE,
            client_id=revision.plan.client_id,
            obj=revision,
            summary="Plan goals edited",
        )
    return goals
