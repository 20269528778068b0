"""What changed between two plan revisions, as readable sections.

Goals and objectives are matched by their key (kept across revisions), so a
reworded goal reads as "changed", not as one removed and one added. Text is
compared word by word; the template marks added words with <ins> and removed
words with <del>, with words for screen readers and no reliance on colour.
"""

from dataclasses import dataclass, field

from django.utils.text import capfirst

from clients.models import PlanRevision
from clients.word_diff import Segment, word_diff

# The diff is a list of changes, so two labels are shorter than the form's.
SHORT_LABELS = {
    "client_participated": "Agreed with the client in session",
    "participation_note": "Client's participation",
}


def field_label(name: str) -> str:
    return SHORT_LABELS.get(name) or capfirst(PlanRevision._meta.get_field(name).verbose_name)


@dataclass
class Change:
    label: str
    kind: str  # "changed", "added", "removed"
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Section:
    title: str
    changes: list[Change] = field(default_factory=list)


def _display(revision: PlanRevision, name: str) -> str:
    value = getattr(revision, name)
    if name == "style_hypothesis":
        return revision.get_style_hypothesis_display()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)


def _text_change(label: str, old: str, new: str) -> Change | None:
    if old == new:
        return None
    kind = "added" if not old else "removed" if not new else "changed"
    return Change(label=label, kind=kind, segments=word_diff(old, new))


def _objective_text(o) -> str:
    target = f"target {o.target_date}" if o.target_date else "no target date"
    return f"{o.text} ({o.get_status_display()}, {o.progress}% progress, {target})"


def _intervention_text(i) -> str:
    return i.sentence()


def _goals(revision: PlanRevision) -> dict:
    return {g.key: g for g in revision.goals.all()}


def revision_diff(old: PlanRevision, new: PlanRevision) -> list[Section]:
    """Sections of changes from `old` to `new`; an empty list means no change."""
    sections: list[Section] = []
    formulation = Section("Plan")
    for name in PlanRevision.CONTENT_FIELDS:
        change = _text_change(field_label(name), _display(old, name), _display(new, name))
        if change:
            formulation.changes.append(change)
    if formulation.changes:
        sections.append(formulation)

    old_goals, new_goals = _goals(old), _goals(new)
    for key in list(new_goals) + [k for k in old_goals if k not in new_goals]:
        before, after = old_goals.get(key), new_goals.get(key)
        title = f"Goal: {(after or before).text}"
        section = Section(title)
        goal_change = _text_change(
            "Goal", before.text if before else "", after.text if after else ""
        )
        if goal_change:
            section.changes.append(goal_change)
        before_obj = {o.key: o for o in before.objectives.all()} if before else {}
        after_obj = {o.key: o for o in after.objectives.all()} if after else {}
        for okey in list(after_obj) + [k for k in before_obj if k not in after_obj]:
            change = _text_change(
                "Objective",
                _objective_text(before_obj[okey]) if okey in before_obj else "",
                _objective_text(after_obj[okey]) if okey in after_obj else "",
            )
            if change:
                section.changes.append(change)
        before_int = [_intervention_text(i) for i in before.interventions.all()] if before else []
        after_int = [_intervention_text(i) for i in after.interventions.all()] if after else []
        for text in after_int:
            if text not in before_int:
                section.changes.append(Change("Intervention", "added", [Segment("added", text)]))
        for text in before_int:
            if text not in after_int:
                section.changes.append(
                    Change("Intervention", "removed", [Segment("removed", text)])
                )
        if section.changes:
            sections.append(section)
    return sections
